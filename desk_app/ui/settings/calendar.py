"""The Calendar tab: a year of working days; holidays, make-up days and overrides editable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.domain.calendar import REASON_OVERRIDE, REASON_WEEKEND, REASON_WORKING, DayInfo
from desk_app.errors import DeskError
from desk_app.services import calendar_moves, desk
from desk_app.services.calendar_moves import CalendarImpact
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.forms import FieldErrors
from desk_app.ui.settings.common import Notice, Pending, confirm_moves, rows_table, write
from desk_app.ui.table_model import RowsModel

WEEKDAYS = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")
OFF_COLOUR = QColor("#b00020")
OFF_BACKGROUND = QColor("#fde7e9")
WORK_COLOUR = QColor("#1b5e20")
WORK_BACKGROUND = QColor("#e3f4e4")
WEEKEND_COLOUR = QColor("#6b6b6b")


def is_override(info: DayInfo) -> bool:
    return info.reason.startswith(REASON_OVERRIDE)


def is_special(info: DayInfo) -> bool:
    """Worth listing: a holiday, a make-up day, an override (not a plain weekday or weekend)."""
    return info.reason not in (REASON_WORKING, REASON_WEEKEND)


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


class CalendarTab(QWidget):
    """A month calendar coloured for the whole year (days off red, working weekends green,
    overrides underlined) beside the year's special days; the selected day can be made a
    working day or a day off with a note, or given back to the rules. Announces
    Change.of("calendar")."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("calendarTab")
        self._year = 0
        self._days: dict[date, DayInfo] = {}

        # Widgets.
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("calendar")
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        weekend = QTextCharFormat()
        weekend.setForeground(QBrush(WEEKEND_COLOUR))
        for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.calendar.setWeekdayTextFormat(day, weekend)
        self.day_label = QLabel()
        self.day_label.setObjectName("dayLabel")
        bold = self.day_label.font()
        bold.setBold(True)
        self.day_label.setFont(bold)
        self.state_label = QLabel()
        self.state_label.setObjectName("dayState")
        self.reason_label = QLabel()
        self.reason_label.setObjectName("dayReason")
        self.reason_label.setWordWrap(True)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText(self.tr("Basis, e.g. number of the announcement"))
        self.working_button = QPushButton(self.tr("Make it a working day"))
        self.working_button.setObjectName("setWorking")
        self.off_button = QPushButton(self.tr("Make it a day off"))
        self.off_button.setObjectName("setOff")
        self.clear_button = QPushButton(self.tr("Back to the usual rule"))
        self.clear_button.setObjectName("clearOverride")
        self.notice = Notice("calendarNotice")
        self.errors = FieldErrors()
        self.model = RowsModel(
            [self.tr("Date"), self.tr("Day"), self.tr("State"), self.tr("Reason")], self
        )
        self.table = rows_table("specialDays", self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.summary = QLabel()
        self.summary.setObjectName("yearSummary")
        self.pending = Pending(
            self.working_button, self.off_button, self.clear_button, on_end=self._show_day
        )

        # Layout.
        box = QGroupBox(self.tr("Selected day"))
        form = QFormLayout(box)
        form.addRow(self.day_label)
        form.addRow(self.tr("State"), self.state_label)
        form.addRow(self.tr("Reason"), self.reason_label)
        self.errors.add_row(form, self.tr("Note"), self.note, "note")
        row = QHBoxLayout()
        row.addWidget(self.working_button)
        row.addWidget(self.off_button)
        form.addRow(row)
        form.addRow(self.clear_button)
        left = QVBoxLayout()
        left.addWidget(self.calendar)
        left.addWidget(box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("Holidays, make-up days and changes this year")))
        right.addWidget(self.table, 1)
        right.addWidget(self.summary)
        body = QHBoxLayout()
        body.addLayout(left, 0)
        body.addLayout(right, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(body)
        lay.addWidget(self.notice)

        # Signals.
        self.calendar.currentPageChanged.connect(self._on_calendar_page_changed)
        self.calendar.selectionChanged.connect(self._show_day)
        self.table.clicked.connect(self._on_table_clicked)
        self.working_button.clicked.connect(lambda: self._set_day(True))
        self.off_button.clicked.connect(lambda: self._set_day(False))
        self.clear_button.clicked.connect(self._on_clear_clicked)

        # State.
        today = ctx.now().date()
        self.calendar.setSelectedDate(_qdate(today))
        self.load_year(today.year)

    # --- reading -------------------------------------------------------------------------

    def load_year(self, year: int) -> None:
        """Fetch the year's days on the worker (holiday rules take a moment the first time)."""
        self.ctx.ops.read(
            lambda s: (year, desk.calendar_year(s, year)),
            self._on_year_loaded,
            self._on_load_failed,
            owner=self,
            label="calendar year",
        )

    def _on_load_failed(self, exc: BaseException) -> None:
        self.notice.error(str(exc))

    def _on_year_loaded(self, result: tuple[int, list[DayInfo]]) -> None:
        year, days = result
        old = [d for d in self._days if d.year == year]
        self._year = year
        self._days = {info.date: info for info in days}
        plain = QTextCharFormat()
        for d in old:
            self.calendar.setDateTextFormat(_qdate(d), plain)
        special = [info for info in days if is_special(info)]
        for info in special:
            self.calendar.setDateTextFormat(_qdate(info.date), self._format(info))
        self.model.set_rows(
            [
                (
                    info.date.strftime("%d/%m/%Y"),
                    WEEKDAYS[info.date.weekday()],
                    self.tr("working") if info.working else self.tr("off"),
                    info.reason,
                )
                for info in special
            ],
            [info.date for info in special],
        )
        working = sum(1 for info in days if info.working)
        self.summary.setText(self.tr("{0}: {1} working days.").format(year, working))
        self._show_day()

    def _format(self, info: DayInfo) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setToolTip(info.reason)
        weekend = info.date.weekday() >= 5
        if not info.working and not weekend:
            fmt.setForeground(QBrush(OFF_COLOUR))
            fmt.setBackground(QBrush(OFF_BACKGROUND))
            fmt.setFontWeight(QFont.Weight.Bold)
        elif info.working and weekend:
            fmt.setForeground(QBrush(WORK_COLOUR))
            fmt.setBackground(QBrush(WORK_BACKGROUND))
            fmt.setFontWeight(QFont.Weight.Bold)
        elif not info.working:
            fmt.setForeground(QBrush(OFF_COLOUR))
        if is_override(info):
            fmt.setFontUnderline(True)
            fmt.setFontItalic(True)
        return fmt

    def day(self, d: date) -> DayInfo | None:
        return self._days.get(d)

    def select_date(self, d: date) -> None:
        self.calendar.setSelectedDate(_qdate(d))

    def selected_date(self) -> date:
        return _pydate(self.calendar.selectedDate())

    def _show_day(self) -> None:
        d = self.selected_date()
        info = self._days.get(d)
        self.day_label.setText(f"{WEEKDAYS[d.weekday()]}, {d.strftime('%d/%m/%Y')}")
        if info is None:
            self.state_label.clear()
            self.reason_label.clear()
            return
        self.state_label.setText(self.tr("Working day") if info.working else self.tr("Day off"))
        self.state_label.setStyleSheet(
            f"color: {(WORK_COLOUR if info.working else OFF_COLOUR).name()};"
        )
        self.reason_label.setText(info.reason)
        self.clear_button.setEnabled(is_override(info) and not self.pending.running)

    def _on_calendar_page_changed(self, year: int, _month: int) -> None:
        if year != self._year:
            self.load_year(year)

    def _on_table_clicked(self, index: QModelIndex) -> None:
        row = index.row()
        if 0 <= row < self.model.rowCount():
            d = self.model.payload(row)
            if isinstance(d, date):
                self.select_date(d)

    # --- writing -------------------------------------------------------------------------

    def _set_day(self, working: bool) -> None:
        d = self.selected_date()
        note = self.note.text()
        ctx = self.ctx
        self._save(
            lambda s: calendar_moves.preview_day(s, d, working, note),
            lambda s: desk.set_calendar_day(s, d, working, note, ctx.actor, now=ctx.now()),
        )

    def _on_clear_clicked(self) -> None:
        d = self.selected_date()
        ctx = self.ctx
        self._save(
            lambda s: calendar_moves.preview_day(s, d, None),
            lambda s: desk.clear_calendar_day(s, d, ctx.actor, now=ctx.now()),
        )

    def _save(
        self, preview: Callable[[Session], CalendarImpact], fn: Callable[[Session], DayInfo]
    ) -> None:
        """The files it would move first (on the worker), the user's word, then the write."""
        if not self.pending.begin():
            return
        self.errors.clear()
        self.notice.clear_notice()
        confirm_moves(
            self.ctx,
            self,
            preview,
            lambda: write(
                self.ctx,
                self,
                fn,
                Change.of("calendar"),
                self._on_saved,
                self._on_refused,
                self.pending,
            ),
            self.pending,
        )

    def _on_saved(self, info: DayInfo) -> None:
        self.note.clear()
        self.load_year(info.date.year)
        self.notice.ok(
            self.tr("{0} is now a working day.").format(info.date.strftime("%d/%m/%Y"))
            if info.working
            else self.tr("{0} is now a day off.").format(info.date.strftime("%d/%m/%Y"))
        )

    def _on_refused(self, exc: DeskError) -> None:
        if exc.field == "note":
            self.errors.show_error(exc)
        else:
            self.notice.error(exc.message)
