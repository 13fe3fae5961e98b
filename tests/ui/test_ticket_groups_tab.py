"""Settings › Queue: an administrator adds, renames, retires and reopens the hall's service
groups; a wrong letter or name is said next to its field, a refusal under the list; the
counters' ticket bars hear it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from desk_app.services import tickets
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.settings import SettingsDialog
from desk_app.ui.settings.ticket_groups import GroupDialog, GroupsTab
from tests.ui.conftest import NOW

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints|raise)\(\)$"
)


@pytest.fixture
def tab(qtbot: QtBot, admin_ctx: UiContext) -> Iterator[GroupsTab]:
    settings = SettingsDialog(admin_ctx, tab="queue")
    qtbot.addWidget(settings)
    settings.resize(1366, 768)
    settings.show()  # error labels count as shown only in a visible window
    assert settings.groups_tab is not None
    assert settings.tabs.currentWidget() is settings.groups_tab
    yield settings.groups_tab  # the dialog kept alive meanwhile


def _save(dialog: GroupDialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert button is not None
    button.click()


def _table(tab: GroupsTab) -> list[tuple[str, ...]]:
    m = tab.model
    return [
        tuple(str(m.index(r, c).data()) for c in range(m.columnCount()))
        for r in range(m.rowCount())
    ]


def test_an_administrator_adds_and_renames_a_group(tab: GroupsTab, admin_ctx: UiContext) -> None:
    heard: list[Change] = []
    admin_ctx.bus.changed.connect(heard.append)
    assert _table(tab) == [("A", "Tiếp nhận và trả kết quả", "Issuing", "0", "")]
    tab.add_button.click()
    dialog = tab.dialog
    assert dialog is not None and not dialog.prefix.isReadOnly()
    dialog.prefix.setText("Đ")
    dialog.name.setText("   ")
    _save(dialog)
    assert dialog.isVisible()  # nothing saved: both reasons beside their fields
    assert "chữ cái không dấu" in dialog.errors.message("prefix")
    assert "không được để trống" in dialog.errors.message("name")
    dialog.prefix.setText("a")
    dialog.name.setText("Đất đai")
    _save(dialog)
    assert dialog.errors.message("prefix").startswith("Đã có nhóm ký hiệu A")
    assert dialog.errors.message("name") == ""
    dialog.prefix.setText("b")
    _save(dialog)
    assert tab.dialog is None
    assert _table(tab)[1] == ("B", "Đất đai", "Issuing", "0", "")
    assert tab.notice.text() == "Group B – Đất đai added."
    assert any(c.touches("tickets") for c in heard)

    selected = tab.selected()
    assert selected is not None and selected.group.prefix == "B"  # the new row is selected
    tab.rename_button.click()
    rename = tab.dialog
    assert rename is not None and rename.prefix.isReadOnly() and rename.prefix.text() == "B"
    rename.name.setText("Đất đai, môi trường")
    _save(rename)
    assert _table(tab)[1][1] == "Đất đai, môi trường"


def test_retiring_is_refused_while_people_wait_then_done_and_undone(
    tab: GroupsTab, admin_ctx: UiContext
) -> None:
    with admin_ctx.db.writer.begin() as s:
        a = tickets.groups(s)[0].id
        tickets.issue_ticket(s, a, NOW - timedelta(hours=1))
    tab.load()
    tab.select(a)
    assert tab.retire_button.isEnabled() and not tab.reopen_button.isEnabled()
    tab.retire_button.click()
    notice = tab.findChild(QLabel, "groupsNotice")
    assert notice is tab.notice and "còn 1 số đang chờ" in notice.text()
    assert _table(tab)[0][2] == "Issuing"

    admin_ctx.now = lambda: NOW + timedelta(days=1)  # the next morning
    tab.retire_button.click()
    assert _table(tab)[0][2:] == ("Retired", "1", f"{NOW:%d/%m/%Y}")
    assert tab.reopen_button.isEnabled() and not tab.retire_button.isEnabled()
    tab.reopen_button.click()
    assert _table(tab)[0][2] == "Issuing" and tab.notice.text() == "Group A issues tickets again."
