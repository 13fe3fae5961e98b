"""The intake form as data: what the core gets, the crash draft, and putting a draft back."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from desk_app.domain import people
from desk_app.domain.documents import Channel, ResultBy
from desk_app.errors import ValidationError
from desk_app.services import intake
from desk_app.ui.forms import qt_moment
from desk_app.ui.intake_documents import DocumentRow

if TYPE_CHECKING:
    from desk_app.ui.intake_form import IntakeForm

APPLICANT_FIELDS = ("applicant_name", "id_number", "phone", "email")
PHONE_FIELDS = ("submitter_phone", "delivery_phone")


def _blank(text: str) -> str | None:
    return text.strip() or None


def applicant_input(form: IntakeForm) -> intake.ApplicantInput:
    """The applicant as typed; a birth year that is not a number is left out."""
    year = form.birth_year.text().strip()
    return intake.ApplicantInput(
        name=form.name.text(),
        id_number=form.id_number.text(),
        phone=form.phone.text(),
        email=form.email.text(),
        address=form.address.text(),
        birth_year=int(year) if year.isdigit() else None,
    )


def field_errors(form: IntakeForm) -> dict[str, str]:
    """The core's message for each applicant or phone field it finds wrong."""
    errors: dict[str, str] = {}
    intake.validate_applicant(applicant_input(form), errors)
    for field in PHONE_FIELDS:
        text = form.fields[field].text()
        if text.strip():
            try:
                people.validate_phone(text, field=field)
            except ValidationError as exc:
                errors[field] = exc.message
    return errors


def has_input(form: IntakeForm) -> bool:
    """Whether closing now would throw away anything the officer typed."""
    return (
        form.procedure.choice() is not None
        or bool(form.procedure.text().strip())
        or any(edit.text().strip() for edit in form.fields.values())
        or bool(form.notes.toPlainText().strip())
    )


def intake_input(form: IntakeForm, now: datetime) -> intake.IntakeInput:
    """What the core gets: empty optional fields are None; hidden parts are left out."""
    choice = form.procedure.choice()
    other = form.submitted_by_other.isChecked()
    postal = form.channel.currentData() == Channel.POSTAL.value
    post = form.result_by.currentData() == ResultBy.POST.value

    def text(field: str, shown: bool = True) -> str | None:
        return _blank(form.fields[field].text()) if shown else None

    return intake.IntakeInput(
        procedure=choice.code if choice is not None else form.procedure.text().strip(),
        applicant=applicant_input(form),
        channel=Channel(form.channel.currentData()),
        received_at=form.received(now),
        documents=form.documents.model.lines() if choice is not None else None,
        sets_count=form.sets_count.value(),
        fee_collected=form.fee.value(),
        result_by=ResultBy(form.result_by.currentData()),
        delivery_name=text("delivery_name", post),
        delivery_phone=text("delivery_phone", post),
        delivery_address=text("delivery_address", post),
        submitter_name=text("submitter_name", other),
        submitter_id_number=text("submitter_id_number", other),
        submitter_phone=text("submitter_phone", other),
        authorisation=text("authorisation", other),
        notes=form.notes.toPlainText().strip(),
        postal_in_number=text("postal_in_number", postal),
        postal_in_sender=text("postal_in_sender", postal),
        receipt_return=str(form.receipt_return.currentData()) if postal else None,
        backdate_reason=text("backdate_reason"),
        # The catalogue it was picked from: the file is received for that agency.
        agency=choice.agency if choice is not None else None,
    )


def form_state(form: IntakeForm) -> dict[str, object]:
    """Everything typed, as plain JSON data (the crash draft)."""
    choice = form.procedure.choice()
    moment = form.received_at.dateTime().toPython()
    assert isinstance(moment, datetime)
    return {
        "saved_at": datetime.now().isoformat(timespec="seconds"),
        "procedure": choice.code if choice is not None else None,
        "procedure_agency": choice.agency if choice is not None else None,
        "procedure_text": form.procedure.text(),
        "text": {field: edit.text() for field, edit in form.fields.items()},
        "submitted_by_other": form.submitted_by_other.isChecked(),
        "documents": [row.__dict__ for row in form.documents.model.rows()],
        "sets_count": form.sets_count.value(),
        "fee": form.fee.value(),
        "received_at": moment.isoformat() if form.received_is_edited else None,
        "channel": form.channel.currentData(),
        "result_by": form.result_by.currentData(),
        "notes": form.notes.toPlainText(),
    }


def restore_state(form: IntakeForm, state: dict[str, object]) -> None:
    """Put a saved state back (parts that are missing or damaged are skipped)."""
    code, agency = state.get("procedure"), state.get("procedure_agency")
    # Chosen outside `quiet` so the procedure's checklist and fee load as for a pick by hand;
    # the saved documents and fee then replace them.
    agency = agency if isinstance(agency, int) else None
    if not (isinstance(code, str) and form.procedure.choose(code, agency)):
        form.procedure.setText(str(state.get("procedure_text") or ""))
    with form.quiet():
        texts = state.get("text")
        if isinstance(texts, dict):
            for field, value in texts.items():
                if field in form.fields and isinstance(value, str):
                    form.fields[field].setText(value)
        form.submitted_by_other.setChecked(bool(state.get("submitted_by_other")))
        docs = state.get("documents")
        if isinstance(docs, list):
            form.documents.model.set_rows([DocumentRow.from_json(d) for d in docs])
        for spin, key in ((form.sets_count, "sets_count"), (form.fee, "fee")):
            value = state.get(key)
            if isinstance(value, int):
                spin.setValue(value)
        received = state.get("received_at")
        if isinstance(received, str):
            form.received_at.setDateTime(qt_moment(datetime.fromisoformat(received)))
            form.received_is_edited = True
        for combo, key in ((form.channel, "channel"), (form.result_by, "result_by")):
            index = combo.findData(state.get(key))
            if index >= 0:
                combo.setCurrentIndex(index)
        form.notes.setPlainText(str(state.get("notes") or ""))
    form.validate({*APPLICANT_FIELDS, *PHONE_FIELDS})
