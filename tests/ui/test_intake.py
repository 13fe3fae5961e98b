"""The intake form: type-ahead, appointment, keyboard-only accept, drafts, refuse, supplement."""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desk_app.domain import people
from desk_app.domain.workflow import Status
from desk_app.services import intake, queries
from desk_app.services.views import FileView
from desk_app.store.models import AuditEntry, FileRecord
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.intake import IntakeDialog
from desk_app.ui.intake_draft import DRAFT_NAME
from desk_app.ui.intake_form import IntakeForm

# The offscreen platform says it cannot resize or raise a shown window, nor let the procedure
# list popup grab the keyboard; nothing else may warn.
pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$"
)

KARAOKE = "1.001029"  # 5 working days, 4,000,000 VND, two papers
CTRL = Qt.KeyboardModifier.ControlModifier


@dataclass
class Shown:
    """What `show_pdf` was asked to show."""

    calls: list[tuple[QWidget | None, bytes, str, str]] = field(default_factory=list)

    def text(self, i: int = -1) -> str:
        reader = PdfReader(io.BytesIO(self.calls[i][1]))
        raw = " ".join(page.extract_text() or "" for page in reader.pages)
        return " ".join(unicodedata.normalize("NFC", raw).split())


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Shown:
    record = Shown()

    def fake_show_pdf(parent: QWidget | None, pdf: bytes, title: str, file_name: str) -> None:
        record.calls.append((parent, pdf, title, file_name))

    monkeypatch.setattr("desk_app.ui.preview.show_pdf", fake_show_pdf)
    return record


@dataclass
class Questions:
    """Answers QMessageBox.question with `answer` and remembers the titles asked."""

    answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes
    asked: list[str] = field(default_factory=list)


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> Questions:
    q = Questions()

    def fake_question(_parent: object, title: str, *_args: object) -> QMessageBox.StandardButton:
        q.asked.append(title)
        return q.answer

    monkeypatch.setattr(QMessageBox, "question", fake_question)
    return q


@pytest.fixture
def dialog(ui_ctx: UiContext, qtbot: QtBot, questions: Questions) -> Iterator[IntakeDialog]:
    d = IntakeDialog(ui_ctx)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    yield d
    # Closing at the end of a test must not wait for an answer.
    questions.answer = QMessageBox.StandardButton.Yes


def _files(ctx: UiContext) -> list[FileView]:
    with ctx.db.reader.begin() as s:
        codes = list(s.scalars(select(FileRecord.code).order_by(FileRecord.id)))
        return [queries.show_file(s, code) for code in codes]


def _focused(d: IntakeDialog) -> QWidget:
    widget = d.focusWidget()
    assert widget is not None
    return widget


def _keys(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type `text` key by key; QTest.keyClicks aborts on letters beyond Latin-1 (ặ, ơ, đ), which
    a Vietnamese keyboard (an input method) delivers as key events carrying the letter."""
    for ch in text:
        if ch.encode("utf-8").isascii():
            qtbot.keyClicks(widget, ch)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            QApplication.sendEvent(widget, event)


def _type(qtbot: QtBot, d: IntakeDialog, text: str) -> None:
    _keys(qtbot, _focused(d), text)


def _tab(qtbot: QtBot, d: IntakeDialog, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(_focused(d), Qt.Key.Key_Tab)


def _choose_karaoke(qtbot: QtBot, d: IntakeDialog) -> None:
    qtbot.keyClicks(d.form.procedure, "giay phep KARAOKE")
    qtbot.keyClick(d.form.procedure, Qt.Key.Key_Return)


def test_type_ahead_without_diacritics_fills_checklist_fee_and_appointment(
    dialog: IntakeDialog, qtbot: QtBot
) -> None:
    form = dialog.form
    assert form.procedure.hasFocus()
    qtbot.keyClicks(form.procedure, "kinh doanh dich vu")
    offered = [c.code for c in form.procedure.matches()]
    assert KARAOKE in offered
    assert len(offered) > 1
    assert form.procedure.popup.isVisible()
    form.procedure.clear()
    _choose_karaoke(qtbot, dialog)
    choice = form.procedure.choice()
    assert choice is not None
    assert choice.code == KARAOKE
    assert not form.procedure.popup.isVisible()
    model = form.documents.model
    assert model.rowCount() == 2
    assert [line.copy_type for line in model.lines()] == ["original", "certified"]
    assert form.fee.value() == 4_000_000
    assert form.duration_label.text() == "Processing time: 5 working days"
    assert form.fee_label.text() == "Usual fee: 4.000.000 VND"
    # Received Monday 2 March 2026 10:00 + 5 working days.
    assert form.appointment_label.text() == "Appointment: 10:00, Monday 09/03/2026"
    assert dialog.due == datetime(2026, 3, 9, 10, 0)


def test_the_appointment_follows_the_receipt_moment(dialog: IntakeDialog, qtbot: QtBot) -> None:
    _choose_karaoke(qtbot, dialog)
    # A postal file that arrived on Friday afternoon.
    dialog.form.received_at.setDateTime(datetime(2026, 2, 27, 16, 30))
    assert dialog.form.received_is_edited
    assert dialog.form.appointment_label.text() == "Appointment: 16:30, Friday 06/03/2026"
    assert dialog.form.intake_input(datetime(2026, 3, 2, 10, 0)).received_at == datetime(
        2026, 2, 27, 16, 30
    )


def test_a_full_accept_by_keyboard_saves_one_file_and_opens_its_receipt(
    dialog: IntakeDialog, qtbot: QtBot, ui_ctx: UiContext, shown: Shown
) -> None:
    announced: list[Change] = []
    ui_ctx.bus.changed.connect(announced.append)
    with qtbot.waitSignal(dialog.accepted_file) as accepted:
        _choose_karaoke(qtbot, dialog)
        _tab(qtbot, dialog)
        assert _focused(dialog) is dialog.form.name
        _type(qtbot, dialog, "Đặng Thị Ánh")
        _tab(qtbot, dialog)
        _type(qtbot, dialog, "020190001234")
        _tab(qtbot, dialog)
        _type(qtbot, dialog, "1990")
        _tab(qtbot, dialog)
        _type(qtbot, dialog, "0912 345 678")
        _tab(qtbot, dialog)
        _type(qtbot, dialog, "anh@example.com")
        _tab(qtbot, dialog, 2)  # past the consent to e-mail, which an address enables
        _type(qtbot, dialog, "12 Lê Lợi, Lạng Sơn")
        # Submitter box, then the documents table, its buttons, then the number of sets.
        _tab(qtbot, dialog, 5)
        assert _focused(dialog) is dialog.form.sets_count
        qtbot.keyClick(_focused(dialog), Qt.Key.Key_Up)
        qtbot.keyClick(_focused(dialog), Qt.Key.Key_Return, CTRL)
        # No paper scanned: refused beside the papers, the focus on "Scan the rest later".
        assert _focused(dialog).objectName() == "scan_later_rest"
        qtbot.keyClick(_focused(dialog), Qt.Key.Key_Space)
        qtbot.keyClick(_focused(dialog), Qt.Key.Key_Return, CTRL)
    view = accepted.args[0]
    assert isinstance(view, FileView)
    files = _files(ui_ctx)
    assert [f.code for f in files] == [view.code]
    saved = files[0]
    assert saved.status == Status.ACCEPTED
    assert (saved.applicant_name, saved.id_number, saved.phone, saved.email, saved.address) == (
        "Đặng Thị Ánh",
        "020190001234",
        "0912345678",
        "anh@example.com",
        "12 Lê Lợi, Lạng Sơn",
    )
    assert saved.sets_count == 2
    assert saved.fee_collected == 4_000_000
    assert saved.received == datetime(2026, 3, 2, 10, 0)
    assert saved.due == datetime(2026, 3, 9, 10, 0)
    assert len(saved.documents) == 2
    assert Change.files(view.code) in announced
    assert len(shown.calls) == 1
    assert shown.calls[0][1].startswith(b"%PDF")
    assert shown.calls[0][3] == f"giay-tiep-nhan-{view.code}.pdf"
    text = shown.text()
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert view.code in text
    assert not dialog.isVisible()
    assert not (ui_ctx.db.path.parent / DRAFT_NAME).exists()


def test_the_receipt_printed_after_ctrl_enter_is_listed_on_the_file_panel(
    dialog: IntakeDialog, qtbot: QtBot, ui_ctx: UiContext, shown: Shown
) -> None:
    # Issue 13: the receipt was stored but no notice said so, and the panel that opened the new
    # file went on showing no printed slips.
    from desk_app.ui.file_detail import FileDetail

    detail = FileDetail(ui_ctx)
    qtbot.addWidget(detail)
    dialog.accepted_file.connect(lambda view: detail.show_code(view.code))
    slip_notices: list[Change] = []
    ui_ctx.bus.changed.connect(lambda c: c.touches("slips") and slip_notices.append(c))
    _choose_karaoke(qtbot, dialog)
    _keys(qtbot, dialog.form.name, "Lý Văn Nam")
    _keys(qtbot, dialog.form.phone, "0912345678")
    dialog.form.documents.model.answer_rest_later()  # every paper answered (issue 15)
    with qtbot.waitSignal(dialog.accepted_file) as accepted:
        qtbot.keyClick(dialog.form.phone, Qt.Key.Key_Return, CTRL)
    code = accepted.args[0].code
    assert len(shown.calls) == 1
    assert [(c.codes, c.origin) for c in slip_notices] == [(frozenset({code}), dialog)]
    qtbot.waitUntil(lambda: detail.view is not None and detail.view.code == code)
    assert [s.kind for s in detail.slips] == ["receipt"]


def test_a_bad_phone_shows_the_core_message_and_saves_nothing(
    dialog: IntakeDialog, qtbot: QtBot, ui_ctx: UiContext, shown: Shown
) -> None:
    form = dialog.form
    _choose_karaoke(qtbot, dialog)
    _keys(qtbot, form.name, "Lý Văn Nam")
    qtbot.keyClicks(form.phone, "0123 45")
    expected = ""
    try:
        people.validate_phone("0123 45")
    except Exception as exc:  # the core's own words
        expected = str(getattr(exc, "message", ""))
    assert expected.startswith("Số điện thoại")
    qtbot.waitUntil(lambda: form.errors.message("phone") == expected)
    assert form.errors.label_for("phone").isVisible()
    qtbot.keyClick(form.phone, Qt.Key.Key_Return, CTRL)
    assert _files(ui_ctx) == []
    assert shown.calls == []
    assert dialog.isVisible()
    assert form.errors.message("phone") == expected
    assert (form.name.text(), form.phone.text()) == ("Lý Văn Nam", "0123 45")
    # Corrected, the message goes away as it is typed.
    form.phone.clear()
    qtbot.keyClicks(form.phone, "0912345678")
    qtbot.waitUntil(lambda: form.errors.message("phone") == "")


def test_core_field_errors_land_next_to_their_fields(
    dialog: IntakeDialog, qtbot: QtBot, ui_ctx: UiContext
) -> None:
    form = dialog.form
    _choose_karaoke(qtbot, dialog)
    form.result_by.setCurrentIndex(form.result_by.findData("post"))
    assert form.delivery_address.isVisibleTo(dialog)
    _keys(qtbot, form.notes, "Hồ sơ nộp thay")
    dialog.save()
    assert _files(ui_ctx) == []
    messages = form.errors.visible_messages()
    assert messages["applicant_name"] == "Họ và tên chủ hồ sơ không được để trống."
    assert messages["delivery_address"] == "Nhận kết quả qua bưu chính cần địa chỉ nhận."
    assert form.notes.toPlainText() == "Hồ sơ nộp thay"
    assert dialog.accept_button.isEnabled()


def test_a_known_applicant_is_offered_and_filled(
    dialog: IntakeDialog, qtbot: QtBot, ui_ctx: UiContext
) -> None:
    data = intake.IntakeInput(
        procedure=KARAOKE,
        applicant=intake.ApplicantInput(
            name="Hoàng Văn Hải",
            id_number="020090001234",
            phone="0987654321",
            email="hai@example.com",
            address="5 Trần Đăng Ninh, Lạng Sơn",
        ),
        received_at=datetime(2026, 2, 27, 9, 0),
    )
    with ui_ctx.db.writer.begin() as s:
        intake.accept_file(s, data, ui_ctx.actor, now=datetime(2026, 2, 27, 9, 0))
    form = dialog.form
    qtbot.keyClicks(form.id_number, "020 090 001 234")
    qtbot.waitUntil(form.known_button.isVisible)
    assert form.known_button.text() == "Use details from an earlier file: Hoàng Văn Hải"
    form.known_button.setFocus()
    qtbot.keyClick(form.known_button, Qt.Key.Key_Space)
    assert (form.name.text(), form.phone.text(), form.email.text(), form.address.text()) == (
        "Hoàng Văn Hải",
        "0987654321",
        "hai@example.com",
        "5 Trần Đăng Ninh, Lạng Sơn",
    )
    assert not form.known_button.isVisible()


def test_a_draft_is_restored_after_the_dialog_dies_unsaved(
    ui_ctx: UiContext, qtbot: QtBot, questions: Questions
) -> None:
    first = IntakeDialog(ui_ctx)
    first.show()
    assert questions.asked == []  # no draft yet, nothing offered
    _choose_karaoke(qtbot, first)
    _keys(qtbot, first.form.name, "Đặng Thị Ánh")
    qtbot.keyClicks(first.form.phone, "0912345678")
    first.form.submitted_by_other.setChecked(True)
    _keys(qtbot, first.form.submitter_name, "Đặng Văn Bình")
    first.form.documents.model.add_row("Bản sao hợp đồng thuê nhà")
    first.form.sets_count.setValue(3)
    path = ui_ctx.db.path.parent / DRAFT_NAME
    qtbot.waitUntil(path.exists, timeout=3000)
    first.save_draft()  # the latest keystrokes too
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["text"]["applicant_name"] == "Đặng Thị Ánh"
    # A crash: the window goes away without Esc, Cancel or a save.
    with qtbot.waitSignal(first.destroyed):
        first.deleteLater()
    assert path.exists()

    second = IntakeDialog(ui_ctx)
    qtbot.addWidget(second)
    assert questions.asked == ["Restore unsaved form?"]
    form = second.form
    choice = form.procedure.choice()
    assert choice is not None
    assert choice.code == KARAOKE
    assert (form.name.text(), form.phone.text()) == ("Đặng Thị Ánh", "0912345678")
    assert form.submitted_by_other.isChecked()
    assert form.submitter_name.isVisibleTo(second)
    assert form.submitter_name.text() == "Đặng Văn Bình"
    assert [r.name for r in form.documents.model.rows()][-1] == "Bản sao hợp đồng thuê nhà"
    assert form.sets_count.value() == 3
    assert form.appointment_label.text() == "Appointment: 10:00, Monday 09/03/2026"


def test_declining_the_draft_discards_it(
    ui_ctx: UiContext, qtbot: QtBot, questions: Questions
) -> None:
    path = ui_ctx.db.path.parent / DRAFT_NAME
    path.write_text(
        json.dumps({"version": 1, "text": {"applicant_name": "Ai đó"}}), encoding="utf-8"
    )
    questions.answer = QMessageBox.StandardButton.No
    d = IntakeDialog(ui_ctx)
    qtbot.addWidget(d)
    assert questions.asked == ["Restore unsaved form?"]
    assert d.form.name.text() == ""
    assert not path.exists()


def test_closing_with_input_asks_first(
    dialog: IntakeDialog, qtbot: QtBot, questions: Questions, ui_ctx: UiContext
) -> None:
    qtbot.keyClick(dialog.form.procedure, Qt.Key.Key_Escape)
    assert questions.asked == []  # nothing typed: Esc just closes
    assert not dialog.isVisible()

    dialog.show()
    _keys(qtbot, dialog.form.name, "Lý Văn Nam")
    dialog.save_draft()
    questions.answer = QMessageBox.StandardButton.No
    qtbot.keyClick(dialog.form.name, Qt.Key.Key_Escape)
    assert questions.asked == ["Discard this form?"]
    assert dialog.isVisible()
    assert dialog.form.name.text() == "Lý Văn Nam"
    assert dialog.close() is False  # the window's X asks the same
    assert dialog.isVisible()
    questions.answer = QMessageBox.StandardButton.Yes
    assert dialog.close() is True
    assert not dialog.isVisible()
    assert not (ui_ctx.db.path.parent / DRAFT_NAME).exists()


def test_refusing_creates_a_refused_file_and_opens_the_refusal_slip(
    dialog: IntakeDialog,
    qtbot: QtBot,
    ui_ctx: UiContext,
    shown: Shown,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reason = "Hồ sơ không thuộc thẩm quyền giải quyết của Sở"
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *_a, **_k: (reason, True))
    _choose_karaoke(qtbot, dialog)
    _keys(qtbot, dialog.form.name, "Lý Văn Nam")
    with qtbot.waitSignal(dialog.accepted_file) as refused:
        qtbot.keyClick(dialog.refuse_button, Qt.Key.Key_Space)
    files = _files(ui_ctx)
    assert len(files) == 1
    assert files[0].status == Status.REFUSED
    assert int(files[0].status) == 3
    assert refused.args[0].code == files[0].code
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in shown.text()
    assert reason in shown.text()
    assert not dialog.isVisible()


def test_a_supplement_request_is_printed_without_accepting(
    dialog: IntakeDialog,
    qtbot: QtBot,
    ui_ctx: UiContext,
    shown: Shown,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[list[str]] = []

    def fake_ask(_parent: object, missing: list[str]) -> tuple[str, list[str]]:
        asked.append(missing)
        return "Thiếu giấy tờ bắt buộc", [*missing, "Bản sao giấy phép đăng ký kinh doanh"]

    monkeypatch.setattr("desk_app.ui.intake_supplement.ask_supplement", fake_ask)
    _choose_karaoke(qtbot, dialog)
    _keys(qtbot, dialog.form.name, "Lý Văn Nam")
    # The certificate was not handed in: untick it.
    model = dialog.form.documents.model
    model.setData(model.index(1, 0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    qtbot.keyClick(dialog.supplement_button, Qt.Key.Key_Space)
    assert asked == [["Giấy chứng nhận đủ điều kiện về an ninh, trật tự"]]
    assert _files(ui_ctx) == []
    text = shown.text()
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "Giấy chứng nhận đủ điều kiện về an ninh, trật tự" in text
    assert "Bản sao giấy phép đăng ký kinh doanh" in text
    assert "Thiếu giấy tờ bắt buộc" in text
    with ui_ctx.db.reader.begin() as s:
        actions = list(s.scalars(select(AuditEntry.action)))
    assert "intake_supplement" in actions
    assert not dialog.isVisible()


def test_tab_order_follows_the_paper_receipt(dialog: IntakeDialog, qtbot: QtBot) -> None:
    form = dialog.form
    form.submitted_by_other.setChecked(True)
    form.channel.setCurrentIndex(form.channel.findData("postal"))
    form.result_by.setCurrentIndex(form.result_by.findData("post"))
    expected = [
        "procedure",
        "applicant_name",
        "id_number",
        "birth_year",
        "phone",
        "email",
        "address",
        "submitted_by_other",
        "submitter_name",
        "submitter_id_number",
        "submitter_phone",
        "authorisation",
        "documents",
        "add_document",
        "remove_document",
        "sets_count",
        "fee_collected",
        "received_at",
        "channel",
        "postal_in_number",
        "postal_in_sender",
        "receipt_return",
        "result_by",
        "delivery_name",
        "delivery_phone",
        "delivery_address",
        "notes",
        "scan_list",  # no procedure chosen: no paper to assign a scan to or to answer for
        "choose_scans",
        "scan_later_rest",
        "accept_file",
        "request_supplement",
        "refuse",
        "cancel",
    ]
    form.procedure.setFocus()
    seen = [_focused(dialog).objectName()]
    for _ in expected[1:]:
        _tab(qtbot, dialog)
        seen.append(_focused(dialog).objectName())
    assert seen == expected


def test_the_documents_model_is_a_sound_qt_model(qtmodeltester: ModelTester) -> None:
    form = IntakeForm()
    model = form.documents.model
    model.add_row("Đơn đề nghị")
    model.add_row("Bản sao CCCD")
    assert model.setData(model.index(1, 1), "certified")
    assert model.setData(model.index(1, 2), 2)
    assert not model.setData(model.index(1, 2), 0)
    assert not model.setData(model.index(1, 1), "scan")
    qtmodeltester.check(model)
    assert [(d.name, d.copy_type, d.count) for d in model.lines()] == [
        ("Đơn đề nghị", "photo", 1),
        ("Bản sao CCCD", "certified", 2),
    ]
    form.deleteLater()


def test_a_postal_arrival_asks_what_happens_to_the_receipt(dialog: IntakeDialog) -> None:
    form = dialog.form
    assert form.receipt_return.isHidden()
    form.channel.setCurrentIndex(form.channel.findData("postal"))
    assert not form.receipt_return.isHidden()
    form.receipt_return.setCurrentIndex(form.receipt_return.findData("kept"))
    now = datetime(2026, 3, 2, 10, 0)
    assert form.intake_input(now).receipt_return == "kept"
    form.channel.setCurrentIndex(form.channel.findData("direct"))
    assert form.intake_input(now).receipt_return is None
