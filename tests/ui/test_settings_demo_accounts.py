"""Settings › Users (issue 13): one button closes the demo accounts before the desk goes live."""

from __future__ import annotations

from datetime import datetime

from pytestqt.qtbot import QtBot

from desk_app.services import users
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.settings import SettingsDialog
from tests.ui.test_settings import admin_ctx, idle

__all__ = ["admin_ctx"]  # the administrator with a real worker thread, as in test_settings

NOW = datetime(2026, 3, 2, 10, 0)


def test_the_demo_accounts_are_closed_at_once(qtbot: QtBot, admin_ctx: UiContext) -> None:
    seen: list[Change] = []
    admin_ctx.bus.changed.connect(seen.append)
    settings = SettingsDialog(admin_ctx)
    qtbot.addWidget(settings)
    settings.show()
    idle(qtbot, admin_ctx)
    tab = settings.users_tab
    assert tab is not None
    settings.tabs.setCurrentWidget(tab)
    # No demo account on this desk: the button is not offered.
    assert not tab.demo_button.isVisibleTo(tab)

    with admin_ctx.db.writer.begin() as s:
        for name, full_name, role in users.DEMO_USERS[:2]:
            users.create_user(
                s, name, full_name, role, users.DEMO_PASSWORD, admin_ctx.actor, now=NOW
            )
    tab.load()
    idle(qtbot, admin_ctx)
    assert tab.demo_button.isVisibleTo(tab)
    assert tab.demo_button.text() == "Close demo accounts"
    tab.demo_button.click()
    assert not tab.demo_button.isEnabled()  # a second click cannot close them twice
    idle(qtbot, admin_ctx)
    assert tab.notice.text() == "Demo accounts closed: canbo1, canbo2."
    assert [c.kinds for c in seen] == [frozenset({"users"})]
    with admin_ctx.db.reader.begin() as s:
        assert users.demo_accounts(s) == []
        closed = {u.username for u in users.list_users(s) if not u.active}
    assert closed == {"canbo1", "canbo2"}
    rows = [tab.model.index(r, 3).data() for r in range(tab.model.rowCount())]
    assert rows.count("Closed") == 2
    assert not tab.demo_button.isVisibleTo(tab)  # nothing left to close
