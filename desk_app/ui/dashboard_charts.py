"""The dashboard's charts: settled files by outcome per month and late files per procedure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCharts import (
    QAbstractAxis,
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QEvent, QMargins, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QCursor, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.errors import ValidationError
from desk_app.services import watch
from desk_app.services.scope import Scope
from desk_app.ui.context import UiContext
from desk_app.ui.errors import error_text

DATE_FORMAT = "dd/MM/yyyy"
OUTCOME_COLOURS = ("#2e7d32", "#1565c0", "#c62828")  # early green, on time blue, late red
LATE_COLOUR = "#c62828"
OTHERS_COLOUR = "#e57373"  # the bar that sums the procedures without a bar of their own
LABEL_GAP = 4  # px between two procedure labels: Qt Charts hides a label touching the one before


@dataclass(frozen=True)
class ChartData:
    """What one background load hands to the charts."""

    start: date
    end: date
    months: list[tuple[str, int, int, int]]
    late_by_procedure: list[watch.LateProcedure]


def last_twelve_months(today: date) -> tuple[date, date]:
    """From the first day of the month eleven months back to today: twelve calendar months."""
    months = today.year * 12 + today.month - 1 - 11
    return date(months // 12, months % 12 + 1, 1), today


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(edit: QDateEdit) -> date:
    value = edit.date().toPython()
    if not isinstance(value, date):  # PySide6 types toPython() as object
        raise TypeError(f"unexpected {value!r}")
    return value


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


def count_step(top: int, most_ticks: int = 6) -> int:
    """A whole step (1, 2, 5, 10, 20, 50, …) giving at most `most_ticks` intervals up to `top`."""
    scale = 1
    while True:
        for step in (scale, 2 * scale, 5 * scale):
            if -(-max(top, 1) // step) <= most_ticks:
                return step
        scale *= 10


def _count_axis() -> QValueAxis:
    """An axis of counts: ticks on whole numbers only (Qt's nice numbers gave "0 0 1 1 2")."""
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setMinorTickCount(0)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    _set_top(axis, 0)
    return axis


def _set_top(axis: QValueAxis, top: int) -> None:
    step = count_step(top)
    axis.setRange(0, step * -(-max(top, 1) // step))
    axis.setTickInterval(step)


def _attach(
    chart: QChart, series: QAbstractBarSeries, *axes: tuple[QAbstractAxis, Qt.AlignmentFlag]
) -> None:
    for axis, where in axes:
        chart.addAxis(axis, where)
        series.attachAxis(axis)


class DashboardCharts(QWidget):
    """A period chooser (the last twelve months by default) over two charts.

    The charts load through ctx.runner when the period is applied or `reload()` is called; they
    do not follow every change on the bus, since a year of the register takes a second or two
    and would hold up the counter's writes on the shared worker. No signals.
    """

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data: ChartData | None = None
        self._loading = False
        self._again = False
        self.scope = ctx.scope  # the agencies counted (the supervisor window's chooser)

        start, end = last_twelve_months(ctx.now().date())
        self.start_edit = self._date_edit("chartFrom", start)
        self.end_edit = self._date_edit("chartTo", end)
        self.apply_button = QPushButton(self.tr("Show"))
        self.apply_button.setObjectName("chartApply")
        self.last_year_button = QPushButton(self.tr("Last 12 months"))
        self.last_year_button.setObjectName("chartLastYear")
        self.status = QLabel()
        self.status.setObjectName("chartStatus")

        self.on_time_series = QStackedBarSeries()
        self.on_time_series.setObjectName("onTimeSeries")
        self.on_time_axis = QBarCategoryAxis()
        self.on_time_chart = _chart(self.tr("Settled files by month: early, on time, late"))
        self.on_time_chart.addSeries(self.on_time_series)
        self.on_time_values = _count_axis()
        # The axes stay for the widget's life and only change their values: axes removed and
        # made anew left the old labels drawn under the new ones on the next period.
        _attach(
            self.on_time_chart,
            self.on_time_series,
            (self.on_time_axis, Qt.AlignmentFlag.AlignBottom),
            (self.on_time_values, Qt.AlignmentFlag.AlignLeft),
        )
        self.on_time_view = self._view(self.on_time_chart, "onTimeChart")

        self.late_series = QHorizontalBarSeries()
        self.late_series.setObjectName("lateSeries")
        self.late_axis = QBarCategoryAxis()
        self.late_chart = _chart(self.tr("Late files by procedure (settled late or overdue)"))
        self.late_chart.addSeries(self.late_series)
        self.late_values = _count_axis()
        _attach(
            self.late_chart,
            self.late_series,
            (self.late_axis, Qt.AlignmentFlag.AlignLeft),
            (self.late_values, Qt.AlignmentFlag.AlignBottom),
        )
        self.late_chart.legend().hide()
        self._late_shown: list[watch.LateProcedure] = []  # in axis order, bottom first
        self._late_rest: list[watch.LateProcedure] = []  # summed in the "Other" bar
        self._late_room = 0  # bars the chart labelled when last drawn (0: not yet laid out)
        # The chart lays out its plot area on its own next turn: the room is counted then.
        self._refit_timer = QTimer(self)
        self._refit_timer.setSingleShot(True)
        self._refit_timer.setInterval(0)
        self.late_view = self._view(self.late_chart, "lateChart")

        period = QHBoxLayout()
        period.addWidget(QLabel(self.tr("From")))
        period.addWidget(self.start_edit)
        period.addWidget(QLabel(self.tr("to")))
        period.addWidget(self.end_edit)
        period.addWidget(self.apply_button)
        period.addWidget(self.last_year_button)
        period.addWidget(self.status, 1)
        charts = QHBoxLayout()
        charts.addWidget(self.on_time_view, 1)
        charts.addWidget(self.late_view, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(period)
        layout.addLayout(charts, 1)

        self.late_series.hovered.connect(self._on_late_series_hovered)
        self._refit_timer.timeout.connect(self._on_refit_timer_timeout)
        self.late_view.installEventFilter(self)
        self.apply_button.clicked.connect(self._on_apply_button_clicked)
        self.last_year_button.clicked.connect(self._on_last_year_button_clicked)

    def _date_edit(self, name: str, day: date) -> QDateEdit:
        edit = QDateEdit(_qdate(day))
        edit.setObjectName(name)
        edit.setDisplayFormat(DATE_FORMAT)
        edit.setCalendarPopup(True)
        return edit

    @staticmethod
    def _view(chart: QChart, name: str) -> QChartView:
        view = QChartView(chart)
        view.setObjectName(name)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumSize(320, 240)
        return view

    # --- loading -------------------------------------------------------------------------

    def period(self) -> tuple[date, date]:
        return _pydate(self.start_edit), _pydate(self.end_edit)

    def set_period(self, start: date, end: date) -> None:
        self.start_edit.setDate(_qdate(start))
        self.end_edit.setDate(_qdate(end))

    def set_scope(self, scope: Scope) -> None:
        """Count the files of `scope`'s agencies from now on, and redraw."""
        self.scope = scope
        self.reload()

    def reload(self) -> None:
        """Count the chosen period on the worker, then redraw both charts."""
        if self._loading:
            self._again = True  # a new scope or period while counting: count again after
            return
        start, end = self.period()
        if end < start:
            self.status.setText(
                error_text(ValidationError("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
            )
            return
        now = self.ctx.now()
        scope = self.scope

        def job(s: Session) -> ChartData:
            months = watch.on_time_by_month(s, start, end, scope=scope)
            late = watch.overdue_by_procedure(s, start, end, now, scope=scope)
            return ChartData(start, end, months, late)

        self._loading = True
        self.status.setText(self.tr("Counting…"))
        self.ctx.ops.read(
            job, self._on_job_done, self._on_job_failed, owner=self, label=self.tr("Charts")
        )

    def _on_job_done(self, data: ChartData) -> None:
        self._loading = False
        self.status.clear()
        self.show_data(data)
        if self._again:
            self._again = False
            self.reload()

    def _on_job_failed(self, exc: BaseException) -> None:
        self._loading = False
        self._again = False
        self.status.setText(error_text(exc))

    def _on_apply_button_clicked(self) -> None:
        self.reload()

    def _on_last_year_button_clicked(self) -> None:
        self.set_period(*last_twelve_months(self.ctx.now().date()))
        self.reload()

    def _on_late_series_hovered(self, status: bool, index: int, _bars: QBarSet) -> None:
        if status and 0 <= index < len(self._late_shown):
            QToolTip.showText(QCursor.pos(), self.late_tooltip(index), self.late_view)
        else:
            QToolTip.hideText()

    def late_tooltip(self, index: int) -> str:
        """The whole name behind a bar (the axis shows the procedure's code only); for the
        "Other" bar, every procedure it sums."""
        late = self._late_shown[index]
        if index == 0 and self._late_rest:
            return "\n".join(f"{p.code} – {p.name}: {p.count}" for p in self._late_rest)
        return f"{late.code} – {late.name}: {late.count}"

    def late_room(self) -> int:
        """How many bars the late chart can label at its present height (0 before it is laid
        out). Qt Charts draws a category label only where it does not touch the one before: a
        chart with more bars than this would label every other one."""
        height = self.late_chart.plotArea().height()
        if height <= 0 or not self.late_view.isVisible():
            return 0
        band = QFontMetrics(self.late_axis.labelsFont()).height() + LABEL_GAP
        return max(2, int(height // band))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.late_view and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._refit_timer.start()
        return super().eventFilter(watched, event)

    def _on_refit_timer_timeout(self) -> None:
        if self.data is not None and self.late_room() != self._late_room:
            self._draw_late(self.data.late_by_procedure)

    # --- drawing -------------------------------------------------------------------------

    def show_data(self, data: ChartData) -> None:
        """Redraw both charts from `data`."""
        self.data = data
        self._draw_on_time(data.months)
        self._draw_late(data.late_by_procedure)

    def _draw_on_time(self, months: list[tuple[str, int, int, int]]) -> None:
        series = self.on_time_series
        series.clear()
        names = (self.tr("Early"), self.tr("On time"), self.tr("Late"))
        for column, (name, colour) in enumerate(zip(names, OUTCOME_COLOURS, strict=True)):
            bars = QBarSet(name)
            bars.setColor(QColor(colour))
            bars.append([float(m[1 + column]) for m in months])
            series.append(bars)
        # "2026-03" reads "03/26" on the axis: month first, as dates are written at the desk.
        categories = [f"{m[0][5:]}/{m[0][2:4]}" for m in months]
        self.on_time_axis.clear()
        self.on_time_axis.append(categories)
        self.on_time_axis.setTruncateLabels(False)
        self.on_time_axis.setLabelsAngle(-90 if len(categories) > 6 else 0)
        _set_top(self.on_time_values, max((m[1] + m[2] + m[3] for m in months), default=0))

    def _draw_late(self, late: list[watch.LateProcedure]) -> None:
        series = self.late_series
        series.clear()
        # As many procedures as the height labels, the most late first; the rest summed in one
        # bar at the bottom, named in its tooltip.
        room = self._late_room = self.late_room()
        rest = late[room - 1 :] if room and len(late) > room else []
        top = late[: len(late) - len(rest)]
        self._late_rest = rest
        if rest:
            other = self.tr("Other ({0})").format(len(rest))
            top.append(watch.LateProcedure(other, other, sum(p.count for p in rest)))
        # Horizontal bars are drawn bottom-up: reverse so that the most late is on top.
        shown = list(reversed(top))
        bars = QBarSet(self.tr("Late"))
        bars.setColor(QColor(LATE_COLOUR))
        bars.append([float(p.count) for p in shown])
        if rest:  # the sum is marked apart from the procedures' own bars
            bars.setSelectedColor(QColor(OTHERS_COLOUR))
            bars.selectBar(0)
        series.append(bars)
        self.late_axis.clear()
        # Procedure names share their first thirty characters ("Cấp Giấy phép đủ điều kiện
        # ki…" twice); their codes are short and unique. The name is in the tooltip.
        self.late_axis.append([p.code for p in shown])
        self.late_axis.setTruncateLabels(False)
        self._late_shown = shown
        _set_top(self.late_values, max((p.count for p in shown), default=0))
        if not late:
            self.status.setText(self.tr("No late files in this period."))
