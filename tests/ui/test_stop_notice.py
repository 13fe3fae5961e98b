"""Stopping a file in the window prints its notice, numbered and archived like the other slips."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

import desk_app.ui.preview
from desk_app.domain.workflow import Status
from desk_app.services import intake, lifecycle, printing, queries
from desk_app.services.lifecycle import MoveInput
from desk_app.ui.action_base import ActionDialog
from desk_app.ui.action_dialogs import CloseDialog
from desk_app.ui.actions import run_action
from desk_app.ui.context import UiContext

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints|raise)\(\)$"
)

RECEIVED = datetime(2026, 3, 2, 9, 15)  # the fixtures' clock is 10:00 the same day
REASON = "Tổ chức có văn bản đề nghị dừng giải quyết"


def test_a_stop_prints_the_notice_and_a_withdrawal_prints_nothing(
    ui_ctx: UiContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[bytes, str, str]] = []
    monkeypatch.setattr(
        desk_app.ui.preview,
        "show_pdf",
        lambda _p, pdf, title, name: shown.append((pdf, title, name)),
    )
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
        received_at=RECEIVED,
    )
    with ui_ctx.db.writer.begin() as s:
        view = intake.accept_file(s, data, ui_ctx.actor, now=RECEIVED)
        other = intake.accept_file(s, data, ui_ctx.actor, now=RECEIVED)
        view = lifecycle.forward(s, MoveInput(view.code), ui_ctx.actor, now=ui_ctx.now())
    parent = QWidget()
    qtbot.addWidget(parent)

    def fill(d: ActionDialog) -> None:
        assert isinstance(d, CloseDialog)
        assert (
            d.ok_button.text() == "Stop and print the notice"
        )  # the source text; Vietnamese in desk_vi.ts
        d.reason.setText(REASON)
        d.submit()

    assert run_action("stop", view, ui_ctx, parent, dialog_hook=fill) is not None
    [(pdf, title, name)] = shown
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert title == "Thông báo dừng giải quyết hồ sơ"
    assert name == f"thong-bao-dung-giai-quyet-{view.code}-1-DGHS.pdf"
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text and REASON in text and view.code in text
    with ui_ctx.db.reader.begin() as s:
        assert queries.show_file(s, view.code).status is Status.STOPPED
        assert [(x.kind, x.number) for x in printing.list_slips(s, view.code)] == [
            ("stop", "1/DGHS")
        ]

    def withdraw(d: ActionDialog) -> None:
        d.reason.setText("Công dân xin rút hồ sơ")  # type: ignore[attr-defined]
        d.submit()

    assert run_action("withdraw", other, ui_ctx, parent, dialog_hook=withdraw) is not None
    assert len(shown) == 1
