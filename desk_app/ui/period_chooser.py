"""The report period chooser: a month, quarter, half-year or year, or custom dates."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QSpinBox, QWidget

from desk_app.services import reports

CUSTOM = "custom"
_ROMAN = ("I", "II", "III", "IV")
DATE_FORMAT = "dd/MM/yyyy"


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class PeriodChooser(QWidget):
    """Signals:
    changed(): the period shown changed (a kind, number, year or date chosen, by the user or
        by `set_period`/`set_dates`).

    A named period fills the two dates; editing a date makes the period "custom". It opens on
    the quarter that holds `today`. The widgets sit on one row with their labels, no margins,
    so that a view can put its own controls after them.
    """

    changed = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("periodChooser")
        self._build_widgets()
        self._build_layout()
        self._connect()
        self.year_spin.setValue(today.year)
        self.set_period("quarter", today.year, (today.month - 1) // 3 + 1)

    def _build_widgets(self) -> None:
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("periodKind")
        for text, kind in (
            (self.tr("Month"), "month"),
            (self.tr("Quarter"), "quarter"),
            (self.tr("Half-year"), "half"),
            (self.tr("Year"), "year"),
            (self.tr("Custom dates"), CUSTOM),
        ):
            self.kind_combo.addItem(text, kind)
        self.number_combo = QComboBox()
        self.number_combo.setObjectName("periodNumber")
        self.number_combo.setMinimumContentsLength(10)
        self.year_spin = QSpinBox()
        self.year_spin.setObjectName("periodYear")
        self.year_spin.setRange(2000, 2100)
        self.from_edit = self._date_edit("fromDate")
        self.to_edit = self._date_edit("toDate")

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(DATE_FORMAT)
        return edit

    def _build_layout(self) -> None:
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for text, widget in (
            (self.tr("Period"), self.kind_combo),
            ("", self.number_combo),
            (self.tr("Year"), self.year_spin),
            (self.tr("From"), self.from_edit),
            (self.tr("To"), self.to_edit),
        ):
            if text:
                label = QLabel(text)
                label.setBuddy(widget)
                row.addWidget(label)
            row.addWidget(widget)

    def _connect(self) -> None:
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self.number_combo.currentIndexChanged.connect(self._on_period_changed)
        self.year_spin.valueChanged.connect(self._on_period_changed)
        self.from_edit.dateChanged.connect(self._on_date_edited)
        self.to_edit.dateChanged.connect(self._on_date_edited)

    # --- the period -----------------------------------------------------------------------

    def period(self) -> tuple[date, date]:
        """The chosen period, first and last day included."""
        return to_date(self.from_edit.date()), to_date(self.to_edit.date())

    def set_period(self, kind: str, year: int = 0, number: int = 1) -> None:
        """Choose a named period ("month", "quarter", "half", "year") or "custom" (the dates)."""
        index = self.kind_combo.findData(kind)
        if index < 0:
            raise ValueError(kind)
        self.kind_combo.blockSignals(True)
        self.kind_combo.setCurrentIndex(index)
        self.kind_combo.blockSignals(False)
        self._fill_numbers(kind)
        if year:
            self.year_spin.blockSignals(True)
            self.year_spin.setValue(year)
            self.year_spin.blockSignals(False)
        found = self.number_combo.findData(number)
        if found >= 0:
            self.number_combo.blockSignals(True)
            self.number_combo.setCurrentIndex(found)
            self.number_combo.blockSignals(False)
        self._apply_named_period()

    def set_dates(self, start: date, end: date) -> None:
        """Choose custom dates (the kind switches to "custom")."""
        self.from_edit.setDate(to_qdate(start))
        self.to_edit.setDate(to_qdate(end))

    def _fill_numbers(self, kind: str) -> None:
        self.number_combo.blockSignals(True)
        self.number_combo.clear()
        if kind == "month":
            for n in range(1, 13):
                self.number_combo.addItem(self.tr("Month {0}").format(n), n)
        elif kind == "quarter":
            for n, roman in enumerate(_ROMAN, start=1):
                self.number_combo.addItem(self.tr("Quarter {0}").format(roman), n)
        elif kind == "half":
            self.number_combo.addItem(self.tr("First half"), 1)
            self.number_combo.addItem(self.tr("Second half"), 2)
        self.number_combo.blockSignals(False)
        self.number_combo.setEnabled(self.number_combo.count() > 0)
        self.year_spin.setEnabled(kind != CUSTOM)

    def _apply_named_period(self) -> None:
        kind = str(self.kind_combo.currentData())
        if kind != CUSTOM:
            number = self.number_combo.currentData()
            start, end = reports.period_of(
                kind, self.year_spin.value(), int(number) if number is not None else 1
            )
            for edit, value in ((self.from_edit, start), (self.to_edit, end)):
                edit.blockSignals(True)
                edit.setDate(to_qdate(value))
                edit.blockSignals(False)
        self.changed.emit()

    def _on_kind_combo_changed(self, _index: int) -> None:
        kind = str(self.kind_combo.currentData())
        self._fill_numbers(kind)
        if kind in {"month", "quarter"}:
            # Start from the period that holds the first day shown, not from January.
            first = to_date(self.from_edit.date())
            number = first.month if kind == "month" else (first.month - 1) // 3 + 1
            self.number_combo.blockSignals(True)
            self.number_combo.setCurrentIndex(max(self.number_combo.findData(number), 0))
            self.number_combo.blockSignals(False)
        elif kind == "half":
            second = to_date(self.from_edit.date()).month > 6
            self.number_combo.blockSignals(True)
            self.number_combo.setCurrentIndex(1 if second else 0)
            self.number_combo.blockSignals(False)
        self._apply_named_period()

    def _on_period_changed(self, _value: int) -> None:
        self._apply_named_period()

    def _on_date_edited(self, _value: QDate) -> None:
        if self.kind_combo.currentData() != CUSTOM:
            self.kind_combo.blockSignals(True)
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(CUSTOM))
            self.kind_combo.blockSignals(False)
            self._fill_numbers(CUSTOM)
        self.changed.emit()
