"""Form helpers: every input field gets a place for its own error message right under it."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from desk_app.errors import DeskError, FieldsError

ERROR_STYLE = "color: #b00020;"


class FieldErrors:
    """Error labels keyed by field name; `show()` puts each message next to its field.

    A message for a field without a label goes to the general label (if given).
    """

    def __init__(self, general: QLabel | None = None) -> None:
        self._labels: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}
        self._general = general
        if general is not None:
            self._style(general)

    @staticmethod
    def _style(label: QLabel) -> None:
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()

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
        if widget is not None:
            self._widgets[field] = widget
        return self._labels[field]

    def set(self, field: str, message: str) -> None:
        label = self._labels.get(field, self._general)
        if label is None:
            return
        label.setText(message)
        label.setVisible(bool(message))

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


def qt_moment(moment: datetime) -> QDateTime:
    """A naive local datetime as a QDateTime (PySide6's stubs do not take a datetime)."""
    return QDateTime(
        QDate(moment.year, moment.month, moment.day),
        QTime(moment.hour, moment.minute, moment.second, moment.microsecond // 1000),
    )
