"""The national index's weights (Decision 766, DOMAIN §11; unverified): data, the bundled
resources/national_index.json with a desk's own `national_index.json` in the user data folder
laid over it group by group, as a form set is (printing/formset.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desk_app.errors import ConfigurationError
from desk_app.printing import formset
from desk_app.resources import read_resource_text

GROUPS = ("publicity", "progress", "online", "payment", "digitisation", "satisfaction")
WEIGHTS_FILE = "national_index.json"
DEFAULT_SOURCE = "mặc định (chưa kiểm chứng)"
_WHAT = "trọng số chỉ số 766"
MAX_WEIGHT = 100


# --- the weights ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Weights:
    labels: dict[str, str]
    weights: dict[str, float]
    source: str  # the desk's file laid over the bundled one, or DEFAULT_SOURCE
    verify_note: str = ""


def user_weights_path() -> Path:
    """Where a desk keeps its corrected weights: national_index.json in the user data folder."""
    return formset.user_data_dir() / WEIGHTS_FILE


def load_weights() -> Weights:
    """The bundled weights with the desk's own file (if any) laid over them, group by group
    and key by key (`{"groups": {"progress": {"weight": 25}}}` changes one weight). A file
    that is not JSON, names an unknown group or key, or gives a weight that is not a number
    from 0 to 100 is refused with a message naming it."""
    where = f"resources/{WEIGHTS_FILE}"
    raw = _checked(formset.read_data_json(read_resource_text(WEIGHTS_FILE), where, _WHAT), where)
    override, source = formset.read_desk_file(user_weights_path(), _WHAT)
    if source:
        desk = _checked(override, source)
        for key in ("description", "verify_note"):
            if key in desk:
                raw[key] = desk[key]
        for group, entry in desk.get("groups", {}).items():
            raw["groups"][group].update(entry)
    labels, weights = {}, {}
    for group in GROUPS:
        entry = raw["groups"].get(group)
        if entry is None:
            raise ConfigurationError(f"Tệp {_WHAT} {where} thiếu nhóm “{group}”.")
        labels[group] = str(entry.get("label", group))
        weights[group] = _weight(entry.get("weight"), source or where, group)
    return Weights(labels, weights, source or DEFAULT_SOURCE, str(raw.get("verify_note", "")))


def _checked(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or not isinstance(raw.get("groups", {}), dict):
        raise ConfigurationError(f"Tệp {_WHAT} {where} phải có mục “groups”.")
    for group, entry in raw.get("groups", {}).items():
        if group not in GROUPS:
            raise ConfigurationError(
                f"Tệp {_WHAT} {where}: không có nhóm “{group}” (các nhóm: {', '.join(GROUPS)})."
            )
        if not isinstance(entry, dict):
            raise ConfigurationError(
                f"Tệp {_WHAT} {where}: nhóm “{group}” phải là một đối tượng JSON."
            )
        unknown = sorted(set(entry) - {"label", "weight"})
        if unknown:
            raise ConfigurationError(
                f"Tệp {_WHAT} {where}, nhóm “{group}”: không có mục “{unknown[0]}” "
                "(các mục: label, weight)."
            )
        if "weight" in entry:
            _weight(entry["weight"], where, group)
    return raw


def _weight(value: Any, where: str, group: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise ConfigurationError(
            f"Tệp {_WHAT} {where}, nhóm “{group}”: trọng số phải là một số từ 0 đến "
            f"{MAX_WEIGHT} (đang là {value!r})."
        )
    return float(value)
