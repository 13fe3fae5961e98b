"""The file panel: data, timeline, pauses, slips (reopened byte for byte) and offered actions."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desk_app.services import amend, intake, lifecycle, printing
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.printing import SlipKind
from desk_app.services.views import FileView
from desk_app.ui.context import UiContext
from desk_app.ui.file_detail import FileDetail
from desk_app.ui.table_model import RowsModel

KARAOKE = "1.001029"
MONDAY = datetime(2026, 2, 23, 9, 0)


def _accept(ctx: UiContext, name: str = "Hà Văn Bắc") -> FileView:
    data = intake.IntakeInput(
        procedure=KARAOKE,
        applicant=intake.ApplicantInput(name=name, phone="0912345678"),
        received_at=MONDAY,
    )
    with ctx.db.writer.begin() as s:
        view = intake.accept_file(s, data, ctx.actor, now=MONDAY)
        printing.print_slip(s, view.code, SlipKind.RECEIPT, ctx.actor, now=MONDAY)
    return view


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, str, str]]:
    calls: list[tuple[bytes, str, str]] = []

    def fake(parent: QWidget | None, pdf: bytes, title: str, name: str) -> None:
        calls.append((pdf, title, name))

    monkeypatch.setattr("desk_app.ui.preview.show_pdf", fake)
    return calls


def _texts(panel: FileDetail) -> list[str]:
    return [w.text() for w in panel.findChildren(QLabel) if w.text()]


def test_the_panel_shows_data_timeline_pauses_and_passes_the_model_tester(
    ui_ctx: UiContext, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    view = _accept(ui_ctx)
    with ui_ctx.db.writer.begin() as s:
        lifecycle.forward(s, MoveInput(view.code), ui_ctx.actor, now=MONDAY.replace(hour=10))
        lifecycle.request_supplement(
            s, MoveInput(view.code), "Thiếu bản sao giấy phép", ui_ctx.actor,
            now=MONDAY.replace(hour=11),
        )  # fmt: skip
    panel = FileDetail(ui_ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_code(view.code)
    assert panel.view is not None
    texts = _texts(panel)
    assert view.code in texts
    assert any(t.startswith("Yêu cầu bổ sung") and "tạm dừng" in t for t in texts)
    assert "Hà Văn Bắc" in texts
    assert "0912345678" in texts
    for model in (panel.timeline_model, panel.pauses_model, panel.slips_model):
        qtmodeltester.check(model)
    steps = [panel.timeline_model.index(r, 1).data() for r in range(3)]
    assert steps == ["Tiếp nhận hồ sơ", "Chuyển cơ quan giải quyết", "Yêu cầu bổ sung hồ sơ"]
    assert panel.pauses_model.index(0, 3).data() == "Thiếu bản sao giấy phép"
    assert panel.pauses_model.index(0, 2).data() == "(still paused)"
    # Supplement status: receive, withdraw, correct, result by post — never forward or return.
    assert set(panel.action_buttons) == {
        "receipt",
        "receive_supplement",
        "withdraw",
        "correct",
        "choose_post",
    }


def test_slips_reopen_with_the_bytes_first_printed(
    ui_ctx: UiContext, qtbot: QtBot, shown: list[tuple[bytes, str, str]]
) -> None:
    view = _accept(ui_ctx)
    with ui_ctx.db.reader.begin() as s:
        first = printing.print_slip(s, view.code, SlipKind.RECEIPT, ui_ctx.actor, now=MONDAY)
    panel = FileDetail(ui_ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_code(view.code)
    assert [s.kind for s in panel.slips] == ["receipt"]
    panel.open_slip(panel.slips[0])
    panel.action_buttons["receipt"].click()
    assert [c[0] for c in shown] == [first.pdf, first.pdf]
    assert shown[0][2].endswith(f"{view.code}.pdf")


def test_a_refused_file_offers_nothing(ui_ctx: UiContext, qtbot: QtBot) -> None:
    data = intake.IntakeInput(
        procedure=KARAOKE, applicant=intake.ApplicantInput(name="Tạ Thu Trang"), received_at=MONDAY
    )
    with ui_ctx.db.writer.begin() as s:
        refused = intake.refuse_file(s, data, "Không thuộc thẩm quyền", ui_ctx.actor, now=MONDAY)
    panel = FileDetail(ui_ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_code(refused.code)
    assert panel.action_buttons == {}
    assert any(t.startswith("Không được tiếp nhận") for t in _texts(panel))


def test_rows_model_passes_the_model_tester(qapp: object, qtmodeltester: ModelTester) -> None:
    model = RowsModel(["A", "B"])
    qtmodeltester.check(model)
    model.set_rows([("1", "2"), ("3", "4")], ["x", "y"])
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.payload(1) == "y"
    assert model.index(1, 0).data() == "3"


def test_the_header_names_the_appointment_and_the_rules_due_the_clock_counts_against(
    ui_ctx: UiContext, supervisor: Actor, qtbot: QtBot
) -> None:
    view = _accept(ui_ctx)  # 5 working days: due Mon 02/03/2026 09:00; the clock says 10:00
    panel = FileDetail(ui_ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_code(view.code)
    header = panel.findChild(QLabel, "detailStatus")
    assert header is not None
    assert "Appointment (receipt): 02/03/2026 09:00" in header.text()
    assert "Due by the rules" not in header.text()  # the same moment: said once
    assert "(against the due by the rules)" in header.text()

    with ui_ctx.db.writer.begin() as s:
        amend.reschedule(
            s, view.code, datetime(2026, 3, 6, 17, 0), "Chờ ý kiến", supervisor,
            now=datetime(2026, 2, 25, 9, 0),
        )  # fmt: skip
    panel.show_code(view.code)
    parts = header.text().split(" · ")
    assert parts[1:3] == [
        "Appointment (receipt): 06/03/2026 17:00",
        "Due by the rules: 02/03/2026 09:00",
    ]
    # Overdue against the rules' due although the applicant's appointment is days away.
    assert parts[3].startswith("quá hạn") and parts[3].endswith("(against the due by the rules)")
    texts = _texts(panel)
    assert "Appointment (receipt)" in texts and "Due by the rules" in texts
