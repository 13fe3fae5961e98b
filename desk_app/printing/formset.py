"""Form sets: titles, numbering and the legal-basis line of each form, as data.

The 2025 rule set can replace the 2018 one (or a province can add its own) by adding a JSON file
under resources/forms/ and choosing it in the desk settings; no drawing code changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from desk_app.errors import ConfigurationError
from desk_app.resources import read_resource_text, resource_path

FORMS = ("receipt", "supplement", "refusal", "apology", "handover", "register")
DEFAULT_FORM_SET = "2025"


@dataclass(frozen=True)
class FormText:
    number: str  # "Mẫu số 01"
    title: str
    legal_basis: str


@dataclass(frozen=True)
class FormSet:
    name: str
    description: str
    forms: dict[str, FormText]

    def __getitem__(self, form: str) -> FormText:
        return self.forms[form]


def available_form_sets() -> list[str]:
    return sorted(p.stem for p in resource_path("forms").glob("*.json"))


def load_form_set(name: str = DEFAULT_FORM_SET) -> FormSet:
    try:
        raw = json.loads(read_resource_text("forms", f"{name}.json"))
    except FileNotFoundError:
        raise ConfigurationError(
            f"Không có bộ biểu mẫu “{name}”; các bộ có sẵn: {', '.join(available_form_sets())}."
        ) from None
    forms = {}
    for form in FORMS:
        entry = raw["forms"].get(form)
        if entry is None:
            raise ConfigurationError(f"Bộ biểu mẫu “{name}” thiếu mẫu “{form}”.")
        forms[form] = FormText(
            number=str(entry["number"]),
            title=str(entry["title"]),
            legal_basis=str(entry.get("legal_basis", "")),
        )
    return FormSet(name=str(raw["name"]), description=str(raw["description"]), forms=forms)
