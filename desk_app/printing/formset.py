"""Form sets: titles, numbering and the legal-basis line of each form, as data.

The 2025 rule set can replace the 2018 one (or a province can add its own) by adding a JSON file
under resources/forms/ and choosing it in the desk settings; no drawing code changes.

A desk administrator corrects a bundled set without a release: a file of the same name in the
forms folder of the user's data folder (`user_forms_dir()`, e.g.
`%LOCALAPPDATA%\\one-stop-desk\\forms\\2025.json`) is laid over the bundled one, form by form and
key by key, so it may hold only what it changes:

    {"forms": {"stop": {"number": "Mẫu số 06"}}}

It is read at every print: a corrected file takes effect on the next form printed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desk_app.errors import ConfigurationError
from desk_app.resources import read_resource_text, resource_path

FORMS = ("receipt", "supplement", "refusal", "apology", "handover", "register", "stop")
DEFAULT_FORM_SET = "2025"
_KEYS = ("number", "title", "legal_basis", "grounds")
_WHAT = "bộ biểu mẫu"


@dataclass(frozen=True)
class FormText:
    number: str  # "Mẫu số 01"; "" for a form the rule set does not number
    title: str
    legal_basis: str  # the small line under the number: "Ban hành kèm theo Thông tư số …"
    # What a form cites as its own grounds ("Căn cứ pháp lý: …" on the stop notice); "" leaves
    # a dotted line to write on by hand.
    grounds: str = ""


@dataclass(frozen=True)
class FormSet:
    name: str
    description: str
    forms: dict[str, FormText]
    verify_note: str = ""  # what in the set is not confirmed from the legal text
    source: str = ""  # the user's file laid over the bundled set, if any

    def __getitem__(self, form: str) -> FormText:
        return self.forms[form]


def user_data_dir() -> Path:
    """The user's data folder: a desk's corrected data files live in it (forms/<set>.json, the
    national index's weights national_index.json)."""
    from desk_app.store.engine import default_data_dir  # not at import: the render process

    return default_data_dir()


def user_forms_dir() -> Path:
    """The forms folder of the user's data folder, where a desk's corrected sets live."""
    return user_data_dir() / "forms"


def read_data_json(text: str, where: str, what: str) -> Any:
    """The JSON of a data file (a form set, the index's weights); a file that is not JSON is
    named with the line and column where it goes wrong."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigurationError(
            f"Tệp {what} {where} không đúng định dạng JSON (dòng {exc.lineno}, cột {exc.colno})."
        ) from None


def read_desk_file(path: Path, what: str) -> tuple[Any, str]:
    """A desk's own data file laid over the bundled one: (its JSON, its path), or (None, "")
    when the desk has none. Read at every use, so a corrected file takes effect at once."""
    if not path.is_file():
        return None, ""
    source = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigurationError(f"Tệp {what} {source} không phải văn bản UTF-8.") from None
    return read_data_json(text, source, what), source


def available_form_sets() -> list[str]:
    return sorted(p.stem for p in resource_path("forms").glob("*.json"))


def load_form_set(name: str = DEFAULT_FORM_SET) -> FormSet:
    """The bundled set `name`, with the desk's own `<name>.json` (if any) laid over it."""
    try:
        raw = _parse(read_resource_text("forms", f"{name}.json"), f"resources/forms/{name}.json")
    except FileNotFoundError:
        raise ConfigurationError(
            f"Không có bộ biểu mẫu “{name}”; các bộ có sẵn: {', '.join(available_form_sets())}."
        ) from None
    override, source = read_desk_file(user_forms_dir() / f"{name}.json", _WHAT)
    if source:
        _lay_over(raw, _checked(override, source), source)
    forms = {}
    for form in FORMS:
        entry = raw["forms"].get(form)
        if entry is None:
            raise ConfigurationError(f"Bộ biểu mẫu “{name}” thiếu mẫu “{form}”.")
        forms[form] = FormText(
            number=str(entry.get("number", "")),
            title=str(entry["title"]),
            legal_basis=str(entry.get("legal_basis", "")),
            grounds=str(entry.get("grounds", "")),
        )
    return FormSet(
        name=str(raw["name"]),
        description=str(raw["description"]),
        forms=forms,
        verify_note=str(raw.get("verify_note", "")),
        source=source,
    )


def _parse(text: str, where: str) -> dict[str, Any]:
    return _checked(read_data_json(text, where, _WHAT), where)


def _checked(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or not isinstance(raw.get("forms", {}), dict):
        raise ConfigurationError(f"Tệp bộ biểu mẫu {where} phải có mục “forms”.")
    return raw


def _lay_over(raw: dict[str, Any], override: dict[str, Any], where: str) -> None:
    """Put the desk's values over the bundled ones; an unknown form or key is a typo to name."""
    for key in ("description", "verify_note"):
        if key in override:
            raw[key] = override[key]
    for form, entry in override.get("forms", {}).items():
        if form not in FORMS:
            raise ConfigurationError(
                f"Tệp bộ biểu mẫu {where}: không có mẫu “{form}” (các mẫu: {', '.join(FORMS)})."
            )
        if not isinstance(entry, dict):
            raise ConfigurationError(
                f"Tệp bộ biểu mẫu {where}: mẫu “{form}” phải là một đối tượng JSON."
            )
        unknown = sorted(set(entry) - set(_KEYS))
        if unknown:
            raise ConfigurationError(
                f"Tệp bộ biểu mẫu {where}, mẫu “{form}”: không có mục “{unknown[0]}” "
                f"(các mục: {', '.join(_KEYS)})."
            )
        bundled = raw["forms"].setdefault(form, {})
        bundled.update({k: str(v) for k, v in entry.items()})
