"""Results sent by post: the file's postal actions, their small dialogs and the postal history."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, overload

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QWidget
from sqlalchemy.orm import Session

from desk_app.domain import codes, people
from desk_app.domain.workflow import Status
from desk_app.errors import ValidationError
from desk_app.services import post
from desk_app.services.post import PostalItemView
from desk_app.services.views import FileView
from desk_app.ui.action_base import ActionDialog, Write, moment_of
from desk_app.ui.action_dialogs import parse_amount
from desk_app.ui.context import UiContext
from desk_app.ui.post_import import PostalImportDialog

if TYPE_CHECKING:
    from desk_app.ui.actions import ActionSpec

__all__ = [
    "POSTAL_HISTORY_HEADERS",
    "POSTAL_KEYS",
    "ChoosePostDialog",
    "HandOverDialog",
    "OutcomeDialog",
    "PostalImportDialog",
    "make_postal_dialog",
    "postal_action_text",
    "postal_actions_for",
    "postal_history_headers",
    "postal_history_rows",
    "run_postal_action",
]

CHOOSE_POST = "choose_post"
HANDOVER = "post_handover"
DELIVERED = "post_delivered"
FAILED = "post_failed"
RETURNED = "post_returned"
POSTAL_KEYS = (CHOOSE_POST, HANDOVER, DELIVERED, FAILED, RETURNED)

# Free of the panel's Ctrl+Shift letters (actions.SHORTCUTS) and of the window's own.
POSTAL_SHORTCUTS: dict[str, str] = {
    CHOOSE_POST: "Ctrl+Shift+A",
    HANDOVER: "Ctrl+Shift+G",
    DELIVERED: "Ctrl+Shift+Y",
    FAILED: "Ctrl+Shift+X",
    RETURNED: "Ctrl+Shift+R",
}

# The states in which the post holds the item (as the core counts them): an outcome may follow.
_WITH_POST = frozenset({"handed", "failed"})

OK_STYLE = "color: #1b6e20;"
WARN_STYLE = "color: #9a5b00;"
BAD_STYLE = "color: #b00020;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("post", text)


def postal_action_text(key: str, view: FileView | None = None) -> str:
    """The button text of a postal action (each literal on its own so lupdate finds it)."""
    if key == CHOOSE_POST and view is not None and view.result_by == "post":
        return QCoreApplication.translate("post", "Change delivery address")
    texts = {
        CHOOSE_POST: QCoreApplication.translate("post", "Deliver by post"),
        HANDOVER: QCoreApplication.translate("post", "Hand over to post"),
        DELIVERED: QCoreApplication.translate("post", "Delivered by post"),
        FAILED: QCoreApplication.translate("post", "Delivery failed"),
        RETURNED: QCoreApplication.translate("post", "Returned to sender"),
    }
    return texts.get(key, key)


def _active(items: Sequence[PostalItemView]) -> PostalItemView | None:
    """The outgoing item the post holds now, if any."""
    for item in reversed(items):
        if item.direction == "out" and item.state in _WITH_POST:
            return item
    return None


def postal_actions_for(
    view: FileView, items: list[PostalItemView], ctx: UiContext
) -> list[ActionSpec]:
    """The postal actions the file offers now, in panel order.

    "choose_post" while the file is not closed and the post holds nothing of it; "post_handover"
    once the result is at the desk (9) for delivery by post and nothing is with the post (first
    time, or again after a return to sender); the three outcomes while an item is with the post.
    Every role may do them: they are counter work.
    """
    # Imported here so desk_app.ui.actions may itself import this module without a cycle.
    from desk_app.ui.actions import ActionSpec

    del ctx  # the same for every role; kept so the panel calls every "actions_for" alike
    active = _active(items)
    keys: list[str] = []
    if not view.status.is_terminal and active is None:
        keys.append(CHOOSE_POST)
    if view.status == Status.SETTLED and view.result_by == "post" and active is None:
        keys.append(HANDOVER)
    if view.status == Status.SETTLED and active is not None:
        keys += [DELIVERED, FAILED, RETURNED]
    return [ActionSpec(k, postal_action_text(k, view), POSTAL_SHORTCUTS[k]) for k in keys]


# --- the dialogs ----------------------------------------------------------------------------


def _line(text: str = "", placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    return edit


def _info(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _phone_text(phone: str | None) -> str:
    return people.format_phone(phone) if phone else ""


class ChoosePostDialog(ActionDialog):
    """The applicant wants the result by post: who receives it, the phone, the full address."""

    def __init__(self, view: FileView, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(view, ctx, parent)
        changing = view.result_by == "post"
        if changing:
            self.set_texts(self.tr("Change delivery address"), self.tr("Save"))
        else:
            self.set_texts(self.tr("Deliver the result by post"), self.tr("Save"))
        self.setMinimumWidth(560)
        # A new choice starts from the applicant; a change starts from what was recorded.
        name = (view.delivery_name if changing else None) or view.applicant_name
        phone = (view.delivery_phone if changing else None) or view.phone
        address = (view.delivery_address if changing else None) or view.address or ""
        self.name = _line(name)
        self.add_field(self.tr("Recipient"), self.name, "name")
        self.phone = _line(_phone_text(phone))
        self.add_field(self.tr("Phone"), self.phone, "phone")
        self.address = _line(address, self.tr("House number, street, ward, province"))
        self.add_field(self.tr("Delivery address"), self.address, "address")

    def field_alias(self, field: str) -> str:
        # The intake names these fields differently; the core's choose_post uses the short names.
        return {
            "delivery_name": "name",
            "delivery_phone": "phone",
            "delivery_address": "address",
        }.get(field, field)

    def write(self) -> Write:
        code, version, actor, now = (
            self.view.code,
            self.view.version,
            self.ctx.actor,
            self.ctx.now(),
        )
        name, phone, address = self.name.text(), self.phone.text(), self.address.text()
        return lambda s: post.choose_post(
            s,
            code,
            name=name,
            phone=phone,
            address=address,
            actor=actor,
            expected_version=version,
            now=now,
        )


class HandOverDialog(ActionDialog):
    """The result given to the postal worker: tracking number, postage, who pays, when.

    The tracking number is checked as it is typed; a wrong S10 check digit only warns, since the
    number printed on the post's label is the one that counts.
    """

    def __init__(self, view: FileView, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(view, ctx, parent)
        self.set_texts(self.tr("Hand over to the post"), self.tr("Hand over"))
        self.setMinimumWidth(560)
        # Filled by the write job (worker thread): a plain list, never a widget.
        self._warnings: list[str] = []
        recipient = ", ".join(
            x for x in (view.delivery_name or "", _phone_text(view.delivery_phone)) if x
        )
        self.form.addRow(self.tr("Recipient"), _info(recipient, "recipient"))
        self.form.addRow(
            self.tr("Delivery address"), _info(view.delivery_address or "", "delivery_address")
        )
        self.tracking = _line(placeholder=self.tr("e.g. RR123456785VN"))
        self.tracking.setMaxLength(20)
        self.add_field(self.tr("Tracking number"), self.tracking, "tracking")
        self.tracking_check = QLabel()
        self.tracking_check.setObjectName("tracking_check")
        self.tracking_check.setWordWrap(True)
        self.tracking_check.hide()
        self.form.addRow("", self.tracking_check)
        self.postage = _line(placeholder=self.tr("e.g. 25.000"))
        self.postage.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.add_field(self.tr("Postage (VND)"), self.postage, "postage")
        self.paid_by = QComboBox()
        for payer in post.PAYERS:
            self.paid_by.addItem(post.PAYER_LABELS.get(payer, payer), payer)
        self.add_field(self.tr("Paid by"), self.paid_by, "paid_by")
        self.add_moment(self.tr("Handed over at"))

        self.tracking.textChanged.connect(self._on_tracking_text_changed)

    @property
    def warning(self) -> str | None:
        """The core's check-digit warning of the hand-over just written (None when it passed)."""
        return self._warnings[-1] if self._warnings else None

    def _on_tracking_text_changed(self, text: str) -> None:
        self.errors.clear("tracking")
        message, style = self.tracking_feedback(text)
        self.tracking_check.setText(message)
        self.tracking_check.setStyleSheet(style)
        self.tracking_check.setVisible(bool(message))

    def tracking_feedback(self, text: str) -> tuple[str, str]:
        """What the live check says about `text` and in which colour ("" while still typing)."""
        compact = "".join(text.split())
        if len(compact) < 13:
            return "", ""
        try:
            result = codes.check_s10(compact, field="tracking")
        except ValidationError as exc:
            return exc.message, BAD_STYLE
        if result.warning:
            return result.warning, WARN_STYLE
        return self.tr("Check digit correct."), OK_STYLE

    def field_alias(self, field: str) -> str:
        return "postage" if field == "amount" else field

    def write(self) -> Write:
        code, version, actor, now = (
            self.view.code,
            self.view.version,
            self.ctx.actor,
            self.ctx.now(),
        )
        tracking = self.tracking.text()
        postage = parse_amount(self.postage.text())
        paid_by = str(self.paid_by.currentData())
        at = self.moment_value()
        warnings = self._warnings
        warnings.clear()

        def call(s: Session) -> FileView:
            view, warning = post.hand_over(
                s,
                code,
                tracking=tracking,
                postage=postage,
                paid_by=paid_by,
                actor=actor,
                at=at,
                expected_version=version,
                now=now,
            )
            if warning:
                warnings.append(warning)
            return view

        return call


class OutcomeDialog(ActionDialog):
    """What the post reports about the item it holds: delivered, a failed attempt, returned."""

    def __init__(
        self,
        view: FileView,
        ctx: UiContext,
        parent: QWidget | None,
        *,
        outcome: str,
        item: PostalItemView | None = None,
    ) -> None:
        super().__init__(view, ctx, parent)
        self.outcome_key = outcome
        if outcome == "delivered":
            self.set_texts(self.tr("Delivered by post"), self.tr("Record delivery"))
        elif outcome == "failed":
            self.set_texts(self.tr("Delivery attempt failed"), self.tr("Record"))
        else:
            self.set_texts(self.tr("Returned to sender"), self.tr("Record return"))
        if item is not None:
            handed = item.handed_at.strftime("%d/%m/%Y %H:%M") if item.handed_at else ""
            self.form.addRow(
                self.tr("Tracking number"),
                _info(
                    self.tr("{number} (handed over {at})").format(number=item.number, at=handed),
                    "item_number",
                ),
            )
            self.form.addRow(self.tr("Recipient"), _info(item.recipient_name or "", "recipient"))
        self.signed_by: QLineEdit | None = None
        self.reason: QLineEdit | None = None
        if outcome == "delivered":
            self.signed_by = _line(view.delivery_name or "")
            self.add_field(self.tr("Signed for by"), self.signed_by, "signed_by")
            self.add_moment(self.tr("Delivered at"))
        else:
            placeholder = (
                self.tr("e.g. nobody at home, wrong address")
                if outcome == "failed"
                else self.tr("e.g. address not found, refused by the recipient")
            )
            self.reason = _line(placeholder=placeholder)
            self.add_field(self.tr("Reason (required)"), self.reason, "reason")
            self.add_moment(
                self.tr("Attempted at") if outcome == "failed" else self.tr("Returned at")
            )
        if outcome == "returned":
            note = _info(
                self.tr(
                    "The result is back at the desk: call the applicant, then hand it over again"
                    " or return it at the counter."
                ),
                "returned_note",
            )
            self.form.addRow("", note)

    def write(self) -> Write:
        code, actor, now = self.view.code, self.ctx.actor, self.ctx.now()
        assert self.moment is not None
        at = moment_of(self.moment)
        if self.signed_by is not None:
            signed = self.signed_by.text()
            return lambda s: post.record_delivered(
                s, code, at=at, signed_by=signed, actor=actor, now=now
            )
        assert self.reason is not None
        reason = self.reason.text()
        call = post.record_failed if self.outcome_key == "failed" else post.record_returned
        return lambda s: call(s, code, at=at, reason=reason, actor=actor, now=now)


_OUTCOMES = {DELIVERED: "delivered", FAILED: "failed", RETURNED: "returned"}


def make_postal_dialog(
    key: str,
    view: FileView,
    ctx: UiContext,
    parent: QWidget | None,
    items: Sequence[PostalItemView] = (),
) -> ActionDialog:
    """The dialog of postal action `key`; ValueError for a key that is not a postal action."""
    if key == CHOOSE_POST:
        return ChoosePostDialog(view, ctx, parent)
    if key == HANDOVER:
        return HandOverDialog(view, ctx, parent)
    if key in _OUTCOMES:
        return OutcomeDialog(view, ctx, parent, outcome=_OUTCOMES[key], item=_active(items))
    raise ValueError(f"no postal dialog for action {key!r}")


def run_postal_action(
    key: str,
    view: FileView,
    ctx: UiContext,
    parent: QWidget,
    *,
    items: Sequence[PostalItemView] = (),
    dialog_hook: Callable[[QDialog], None] | None = None,
) -> FileView | None:
    """Open the dialog of postal action `key`; it writes through ctx.ops, which announces the
    change after the commit. `items` are the file's postal items as the panel loaded them.

    Returns the new FileView, or None when cancelled. `dialog_hook` (tests, scripts) gets the
    open dialog, as with actions.run_action: it fills the fields and calls `dialog.submit()`,
    and must leave the dialog closed (reject it after a refusal).
    """
    dialog = make_postal_dialog(key, view, ctx, parent, items)
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
    return outcome.view


# --- the postal history (a table in the file panel) -----------------------------------------

# Marked for lupdate here, translated when read: the translator is installed after import.
_HISTORY_HEADERS = (
    QT_TRANSLATE_NOOP("post", "Direction"),
    QT_TRANSLATE_NOOP("post", "Number"),
    QT_TRANSLATE_NOOP("post", "Recipient"),
    QT_TRANSLATE_NOOP("post", "Address"),
    QT_TRANSLATE_NOOP("post", "Postage"),
    QT_TRANSLATE_NOOP("post", "Handed over"),
    QT_TRANSLATE_NOOP("post", "State"),
    QT_TRANSLATE_NOOP("post", "Since"),
    QT_TRANSLATE_NOOP("post", "Signed by / note"),
    QT_TRANSLATE_NOOP("post", "Officer"),
)


def postal_history_headers() -> list[str]:
    """The postal history's column headers in the current language."""
    return [_tr(str(h)) for h in _HISTORY_HEADERS]


class _TranslatedHeaders(Sequence[str]):
    """The headers, translated each time they are read (so after the translator is installed)."""

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return postal_history_headers()[index]

    def __len__(self) -> int:
        return len(_HISTORY_HEADERS)

    def __iter__(self) -> Iterator[str]:
        return iter(postal_history_headers())


POSTAL_HISTORY_HEADERS: Sequence[str] = _TranslatedHeaders()


def _moment(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def _postage(item: PostalItemView) -> str:
    if item.postage is None:
        return ""
    amount = f"{item.postage:,}".replace(",", ".")
    payer = post.PAYER_LABELS.get(item.paid_by or "", item.paid_by or "")
    return f"{amount} ({payer})" if payer else amount


def postal_history_rows(items: list[PostalItemView]) -> list[tuple[str, ...]]:
    """One row per postal item (oldest first), matching POSTAL_HISTORY_HEADERS."""
    rows: list[tuple[str, ...]] = []
    for item in items:
        direction = (
            QCoreApplication.translate("post", "Received")
            if item.direction == "in"
            else QCoreApplication.translate("post", "Sent")
        )
        recipient = ", ".join(
            x for x in (item.recipient_name or "", _phone_text(item.recipient_phone)) if x
        )
        detail = item.signed_by or item.note or ""
        rows.append(
            (
                direction,
                item.number or "",
                recipient,
                item.address or "",
                _postage(item),
                _moment(item.handed_at),
                post.STATE_LABELS.get(item.state, item.state),
                _moment(item.state_at),
                detail,
                item.officer or "",
            )
        )
    return rows
