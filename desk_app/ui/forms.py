"""Form helpers: every input field gets a place for its own error message right under it."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk_app.errors import DeskError, FieldsError

ERROR_STYLE = "color: #b00020;"


class MomentEdit(QDateTimeEdit):
    """A date-time box that Tab leaves at once; the arrow keys move between its parts.

    QDateTimeEdit spends Tab presses walking day, month, year, hour and minute, so the reason an
    officer types next would land in the date (and be lost) instead of the next field.
    """

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


class FieldErrors:
    """Error labels keyed by field name; `show()` puts each message next to its field.

    A message for a field without a label goes to the general label (if given). With
    `clear_on_edit`, a field's message goes away as soon as the officer changes that field.
    """

    def __init__(self, general: QLabel | None = None, *, clear_on_edit: bool = False) -> None:
        self._labels: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}
        self._general = general
        self._clear_on_edit = clear_on_edit
        if general is not None:
            self._style(general)

    @staticmethod
    def _style(label: QLabel) -> None:
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        # A long message takes more lines under its field; it never takes the field's height.
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        label.hide()

    def _watch(self, field: str, widget: QWidget) -> None:
        """Clear `field`'s message when the officer edits `widget` (typed, picked, ticked)."""

        def clear(*_args: object) -> None:
            self.clear(field)

        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(clear)
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(clear)
        elif isinstance(widget, QDateTimeEdit):
            widget.dateTimeChanged.connect(clear)
        elif isinstance(widget, QSpinBox | QDoubleSpinBox):
            widget.valueChanged.connect(clear)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(clear)
            if widget.isEditable():
                widget.editTextChanged.connect(clear)
        elif isinstance(widget, QListWidget):
            widget.itemChanged.connect(clear)
        elif isinstance(widget, QAbstractButton):
            widget.toggled.connect(clear)

    def add_row(self, form: QFormLayout, text: str, widget: QWidget, field: str) -> QLabel:
        """Add `text: widget` to `form` with an (initially hidden) error label under the widget."""
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(widget)
        label = self.label_for(field, widget)
        lay.addWidget(label)
        form.addRow(text, box)
        return label

    def label_for(self, field: str, widget: QWidget | None = None) -> QLabel:
        """The error label of `field`, created on first use (the caller places it)."""
        if field not in self._labels:
            label = QLabel()
            label.setObjectName(f"error_{field}")
            self._style(label)
            self._labels[field] = label
        if widget is not None and self._widgets.get(field) is not widget:
            self._widgets[field] = widget
            if self._clear_on_edit:
                self._watch(field, widget)
        return self._labels[field]

    def set(self, field: str, message: str) -> None:
        label = self._labels.get(field, self._general)
        if label is None:
            return
        label.setText(message)
        label.setVisible(bool(message))
        _fit_height(label)

    def clear(self, field: str | None = None) -> None:
        targets = [self._labels[field]] if field in self._labels else []
        if field is None:
            targets = [*self._labels.values()]
            if self._general is not None:
                targets.append(self._general)
        for label in targets:
            label.clear()
            label.hide()

    def show(self, errors: dict[str, str]) -> None:
        """Show `errors` (field -> message) and put the focus on the first wrong field."""
        self.clear()
        unplaced: list[str] = []
        for field, message in errors.items():
            if field in self._labels:
                self.set(field, message)
            else:
                unplaced.append(message)
        if unplaced and self._general is not None:
            self._general.setText("\n".join(unplaced))
            self._general.show()
            _fit_height(self._general)
        for field in errors:
            widget = self._widgets.get(field)
            if widget is not None:
                widget.setFocus()
                break

    def show_error(self, exc: BaseException) -> bool:
        """Place a desk error's message(s); False when `exc` is not a desk error (a bug)."""
        if isinstance(exc, FieldsError):
            self.show(exc.errors)
            return True
        if isinstance(exc, DeskError):
            self.show({exc.field or "": exc.message})
            return True
        return False

    def message(self, field: str) -> str:
        label = self._labels.get(field)
        return label.text() if label is not None and label.isVisible() else ""

    def visible_messages(self) -> dict[str, str]:
        found = {f: lab.text() for f, lab in self._labels.items() if not lab.isHidden()}
        if self._general is not None and not self._general.isHidden():
            found[""] = self._general.text()
        return found


def _fit_height(label: QLabel) -> None:
    """Grow the label's window when its wrapped lines need more height than the window has.

    A window's minimum size ignores height-for-width, so a message that wraps onto more lines
    would otherwise be squeezed out of the fields above it (a line edit shrunk to a sliver).
    """
    window = label.window()
    layout = window.layout()
    if window is label or layout is None or not window.isVisible():
        return
    layout.activate()
    width = window.width()
    needed = (
        layout.totalHeightForWidth(width)
        if layout.hasHeightForWidth()
        else layout.totalMinimumSize().height()
    )
    if needed > window.height():
        window.resize(width, needed)


def qt_moment(moment: datetime) -> QDateTime:
    """A naive local datetime as a QDateTime (PySide6's stubs do not take a datetime)."""
    return QDateTime(
        QDate(moment.year, moment.month, moment.day),
        QTime(moment.hour, moment.minute, moment.second, moment.microsecond // 1000),
    )
