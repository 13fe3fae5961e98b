"""The actions a file offers in its status, and running one: dialog, write, announce, slip.

`run_action` opens the action's dialog modally. Tests (and scripts) drive it through
`dialog_hook`: a callable given the open dialog once its event loop runs; it fills the fields
and calls `dialog.submit()`, and must leave the dialog closed (submit accepts it on success;
call `dialog.reject()` after a refusal).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QDialog, QWidget

from desk_app.domain.workflow import Action, allowed_actions
from desk_app.services import permissions
from desk_app.services.context import PermissionDeniedError
from desk_app.services.views import FileView
from desk_app.ui.action_base import ActionDialog
from desk_app.ui.action_dialogs import make_dialog
from desk_app.ui.context import UiContext
from desk_app.ui.errors import show_error

__all__ = ["ActionSpec", "actions_for", "role_allows", "run_action"]

RESCHEDULE = "reschedule"
CORRECT = "correct"

# Moves offered by the panel, in the order the workflow lists them; postal moves and intake
# moves belong to other screens.
PANEL_MOVES = frozenset(
    {
        Action.FORWARD,
        Action.REQUEST_SUPPLEMENT,
        Action.RECEIVE_SUPPLEMENT,
        Action.REQUEST_FINANCIAL,
        Action.FINANCIAL_DONE,
        Action.WITHDRAW,
        Action.STOP,
        Action.RECORD_RESULT,
        Action.RETURN_RESULT,
    }
)

# Ctrl+Shift+P is the panel's receipt; the letters echo the Vietnamese or English word.
SHORTCUTS: dict[str, str] = {
    Action.FORWARD: "Ctrl+Shift+F",
    Action.REQUEST_SUPPLEMENT: "Ctrl+Shift+B",
    Action.RECEIVE_SUPPLEMENT: "Ctrl+Shift+N",
    Action.REQUEST_FINANCIAL: "Ctrl+Shift+M",
    Action.FINANCIAL_DONE: "Ctrl+Shift+D",
    Action.WITHDRAW: "Ctrl+Shift+W",
    Action.STOP: "Ctrl+Shift+S",
    Action.RECORD_RESULT: "Ctrl+Shift+K",
    Action.RETURN_RESULT: "Ctrl+Shift+T",
    RESCHEDULE: "Ctrl+Shift+H",
    CORRECT: "Ctrl+Shift+E",
}


@dataclass(frozen=True)
class ActionSpec:
    """One button of the file panel."""

    key: str  # stable id: an Action value, "reschedule" or "correct"
    text: str  # translated button text
    shortcut: str | None


def action_text(key: str) -> str:
    """The button text of `key` (each literal on its own so lupdate finds it)."""
    texts = {
        Action.FORWARD: QCoreApplication.translate("actions", "Forward"),
        Action.REQUEST_SUPPLEMENT: QCoreApplication.translate("actions", "Request supplement"),
        Action.RECEIVE_SUPPLEMENT: QCoreApplication.translate("actions", "Supplement received"),
        Action.REQUEST_FINANCIAL: QCoreApplication.translate("actions", "Financial obligation"),
        Action.FINANCIAL_DONE: QCoreApplication.translate("actions", "Obligation fulfilled"),
        Action.WITHDRAW: QCoreApplication.translate("actions", "Withdraw"),
        Action.STOP: QCoreApplication.translate("actions", "Stop processing"),
        Action.RECORD_RESULT: QCoreApplication.translate("actions", "Result received"),
        Action.RETURN_RESULT: QCoreApplication.translate("actions", "Return result"),
        RESCHEDULE: QCoreApplication.translate("actions", "Reschedule"),
        CORRECT: QCoreApplication.translate("actions", "Correct"),
    }
    return texts.get(key, key)


def role_allows(key: str, ctx: UiContext) -> bool:
    """Whether the signed-in user's role may take action `key` at all (in any status)."""
    if key == RESCHEDULE:
        return ctx.is_supervisor
    if key == CORRECT:
        return ctx.actor.role in permissions.CORRECT
    if key not in Action.__members__.values():
        return True  # not a step of the file's life cycle (make_dialog refuses unknown keys)
    return permissions.may_take(ctx.actor.role, Action(key))


def actions_for(view: FileView, ctx: UiContext) -> list[ActionSpec]:
    """The actions allowed for this file in its status and for this user's role, in the order
    the panel shows them (illegal actions are never offered). Postal actions are not offered
    here; "correct" is offered for every file that is not terminal, to the agency's staff;
    "reschedule" only to supervisors/admins and only for open files. Post-office staff get
    only the counter's steps (services/permissions.py)."""
    keys: list[str] = [
        str(a) for a in allowed_actions(view.status) if a in PANEL_MOVES and role_allows(a, ctx)
    ]
    if view.status.is_open and role_allows(RESCHEDULE, ctx):
        keys.append(RESCHEDULE)
    if not view.status.is_terminal and role_allows(CORRECT, ctx):
        keys.append(CORRECT)
    return [ActionSpec(k, action_text(k), SHORTCUTS.get(k)) for k in keys]


DialogHook = Callable[[ActionDialog], None]


def run_action(
    key: str,
    view: FileView,
    ctx: UiContext,
    parent: QWidget,
    *,
    dialog_hook: DialogHook | None = None,
) -> FileView | None:
    """Open the small dialog for `key`, perform the service in a writer session (through
    ctx.ops, which announces the change after the commit), open the slip where a form exists
    (supplement request, apology, handover control sheet) with desk_app.ui.preview.show_pdf,
    and return the new FileView (None when cancelled or refused).

    `dialog_hook` (tests, scripts) is called with the dialog once it is open; see the module
    docstring for what it must do.
    """
    if not role_allows(key, ctx):
        # Not offered to this role; a stale button (another user signed in) says why.
        words = QCoreApplication.translate("actions", "Your account may not take this step.")
        show_error(parent, PermissionDeniedError(words))
        return None
    dialog = make_dialog(key, view, ctx, parent)
    if dialog_hook is not None:
        hook = dialog_hook
        QTimer.singleShot(0, dialog, lambda: hook(dialog))
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        outcome = dialog.outcome
    finally:
        dialog.deleteLater()
    if not accepted or outcome is None:
        return None
    if outcome.slip is not None:
        from desk_app.ui.preview import show_pdf

        show_pdf(parent, outcome.slip.pdf, outcome.slip.title, outcome.slip.file_name)
    elif outcome.print_error is not None:
        show_error(
            parent,
            outcome.print_error,
            QCoreApplication.translate("actions", "Recorded, but the slip could not be printed"),
        )
    return outcome.view
