"""Settings › This computer names the receipt printer the queue's kiosk prints tickets on
(issue 16): kept per machine when it names one, refused in words beside the field otherwise,
and read without Qt by the kiosk's server."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desk_app.machine_prefs import read_ticket_printer
from desk_app.ui.context import UiContext
from desk_app.ui.settings.machine import MachineTab


def _type(qtbot: QtBot, tab: MachineTab, text: str) -> None:
    tab.ticket_printer.setText(text)
    tab.ticket_printer.editingFinished.emit()


def test_the_ticket_printer_is_kept_per_machine_and_a_bad_one_refused(
    admin_ctx: UiContext, qtbot: QtBot
) -> None:
    tab = MachineTab(admin_ctx)
    qtbot.addWidget(tab)
    assert tab.ticket_printer.text() == ""
    _type(qtbot, tab, " 192.168.1.50:9100 ")
    assert admin_ctx.prefs.ticket_printer == "192.168.1.50:9100"
    assert read_ticket_printer(admin_ctx.prefs.path) == "192.168.1.50:9100"
    _type(qtbot, tab, "máy in quầy 1")
    assert "địa chỉ:cổng" in tab.ticket_printer_note.text()
    assert tab.ticket_printer_note.styleSheet()  # shown as an error
    assert read_ticket_printer(admin_ctx.prefs.path) == "192.168.1.50:9100"  # nothing lost
    _type(qtbot, tab, "/dev/usb/lp0")
    assert not tab.ticket_printer_note.styleSheet()
    assert read_ticket_printer(admin_ctx.prefs.path) == "/dev/usb/lp0"
    _type(qtbot, tab, "")
    assert read_ticket_printer(admin_ctx.prefs.path) == ""
    again = MachineTab(admin_ctx)
    qtbot.addWidget(again)
    assert again.ticket_printer.text() == ""
