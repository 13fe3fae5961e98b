"""The queue page's table: each service group (bold) followed by its officers, then the total;
the tickets issued, served and skipped, the waiting and service minutes (mean, 90th percentile)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, QObject, Qt

from desk_app.services.tickets import QueueLine, QueueReport
from desk_app.ui.report_model import LEFT, RIGHT, ReportTableModel, one_decimal, shaded

# Custom roles (STYLE: from UserRole).
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 1  # "group", "officer" or "total"
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2  # the cell's number (None: not counted, none timed)

(
    LABEL_COLUMN,
    ISSUED_COLUMN,
    SERVED_COLUMN,
    SKIPPED_COLUMN,
    WAIT_MEAN_COLUMN,
    WAIT_P90_COLUMN,
    SERVICE_MEAN_COLUMN,
    SERVICE_P90_COLUMN,
) = range(8)

_CONTEXT = "QueueModel"
_HEADERS = (
    str(QT_TRANSLATE_NOOP("QueueModel", "Group / officer")),
    str(QT_TRANSLATE_NOOP("QueueModel", "Issued")),
    str(QT_TRANSLATE_NOOP("QueueModel", "Served")),
    str(QT_TRANSLATE_NOOP("QueueModel", "Skipped")),
    str(QT_TRANSLATE_NOOP("QueueModel", "Wait, mean (min)")),
    str(QT_TRANSLATE_NOOP("QueueModel", "Wait, p90 (min)")),
    str(QT_TRANSLATE_NOOP("QueueModel", "Service, mean (min)")),
    str(QT_TRANSLATE_NOOP("QueueModel", "Service, p90 (min)")),
)
_TOTAL = str(QT_TRANSLATE_NOOP("QueueModel", "Total"))
_WAIT_TIP = str(QT_TRANSLATE_NOOP("QueueModel", "From the ticket's issue to its call by a counter"))
_SERVICE_TIP = str(
    QT_TRANSLATE_NOOP(
        "QueueModel", "From the call to the next call or the file saved (skipped tickets left out)"
    )
)
_P90_TIP = str(QT_TRANSLATE_NOOP("QueueModel", "Nine tickets in ten took no longer than this"))
_ISSUED_TIP = str(
    QT_TRANSLATE_NOOP("QueueModel", "Counted per group: a ticket is nobody's until called")
)
_TIPS = {
    ISSUED_COLUMN: _ISSUED_TIP,
    WAIT_MEAN_COLUMN: _WAIT_TIP,
    WAIT_P90_COLUMN: _P90_TIP,
    SERVICE_MEAN_COLUMN: _SERVICE_TIP,
    SERVICE_P90_COLUMN: _P90_TIP,
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def format_minutes(value: float | None, locale: QLocale | None = None) -> str:
    """ "12,5" (one decimal, as the PDF prints it) or the dash when nothing was timed."""
    return one_decimal(value, locale)


def _values(line: QueueLine) -> dict[int, int | float | None]:
    return {
        ISSUED_COLUMN: line.issued,
        SERVED_COLUMN: line.served,
        SKIPPED_COLUMN: line.skipped,
        WAIT_MEAN_COLUMN: line.wait.mean,
        WAIT_P90_COLUMN: line.wait.p90,
        SERVICE_MEAN_COLUMN: line.service.mean,
        SERVICE_P90_COLUMN: line.service.p90,
    }


class QueueModel(ReportTableModel[tuple[str, QueueLine], QueueReport]):
    """Rows of (level, line): a group's, its officers' (indented), the total (bold). Read-only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(_HEADERS, parent, translate=_tr)

    def set_report(self, report: QueueReport | None) -> None:
        """Show `report` (None: empty the table)."""
        rows: list[tuple[str, QueueLine]] = []
        if report is not None:
            for group in report.groups:
                rows.append(("group", group.line))
                rows.extend(("officer", officer) for officer in group.officers)
            rows.append(("total", report.total))
        self._show_report(report, rows)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            tip = _TIPS.get(section)
            return _tr(tip) if tip else None
        return super().headerData(section, orientation, role)

    def cell(self, row: tuple[str, QueueLine], column: int, role: int) -> object:
        level, line = row
        numbers = _values(line)
        if role == LEVEL_ROLE:
            return level
        if role == VALUE_ROLE:
            return numbers.get(column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT if column == LABEL_COLUMN else RIGHT
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if level != "officer" else None
        if role == Qt.ItemDataRole.BackgroundRole and level == "total":
            return shaded()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == LABEL_COLUMN:
                if level == "total":
                    return _tr(_TOTAL)
                return f"    {line.label}" if level == "officer" else line.label
            value = numbers[column]
            if column in (ISSUED_COLUMN, SERVED_COLUMN, SKIPPED_COLUMN):
                return "" if value is None else self._locale.toString(int(value))
            return format_minutes(value, self._locale)
        return None
