"""The satisfaction page's table: the ratings of each group by level, the share satisfied."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, QObject, Qt

from desk_app.services.satisfaction import SatisfactionReport, SatisfactionRow
from desk_app.ui.report_model import LEFT, RIGHT, ReportTableModel, one_decimal, shaded

# Custom roles (STYLE: from UserRole).
KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # the group's key ("" on the total row)
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2  # the cell's number (the share None: none rated)

LABEL_COLUMN, VERY_COLUMN, SATISFIED_COLUMN, DISSATISFIED_COLUMN, RATED_COLUMN, SHARE_COLUMN = (
    range(6)
)

_CONTEXT = "SatisfactionModel"
_HEADERS = (
    str(QT_TRANSLATE_NOOP("SatisfactionModel", "Group")),
    str(QT_TRANSLATE_NOOP("SatisfactionModel", "Very satisfied")),
    str(QT_TRANSLATE_NOOP("SatisfactionModel", "Satisfied")),
    str(QT_TRANSLATE_NOOP("SatisfactionModel", "Dissatisfied")),
    str(QT_TRANSLATE_NOOP("SatisfactionModel", "Ratings")),
    str(QT_TRANSLATE_NOOP("SatisfactionModel", "Satisfied (%)")),
)
# Column 0's name for each grouping.
GROUP_HEADERS = {
    "officer": str(QT_TRANSLATE_NOOP("SatisfactionModel", "Officer")),
    "procedure": str(QT_TRANSLATE_NOOP("SatisfactionModel", "Procedure")),
    "service": str(QT_TRANSLATE_NOOP("SatisfactionModel", "Service")),
    "agency": str(QT_TRANSLATE_NOOP("SatisfactionModel", "Agency")),
}
_TOTAL = str(QT_TRANSLATE_NOOP("SatisfactionModel", "Total"))
_SHARE_TIP = str(
    QT_TRANSLATE_NOOP("SatisfactionModel", "Very satisfied and satisfied over the ratings given")
)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def format_share(percent: float | None, locale: QLocale | None = None) -> str:
    """ "89,5" (one decimal, as the PDF prints it) or the dash when nothing was rated."""
    return one_decimal(percent, locale)


class SatisfactionModel(ReportTableModel[SatisfactionRow, SatisfactionReport]):
    """One row per group with any rating, the total last (bold). Read-only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(_HEADERS, parent, translate=_tr)

    def set_report(self, report: SatisfactionReport | None) -> None:
        """Show `report` (None: empty the table)."""
        rows: list[SatisfactionRow] = []
        if report is not None:
            rows = [*report.rows, report.total_row]
        self._show_report(report, rows)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, LABEL_COLUMN, LABEL_COLUMN)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        report = self._report
        if (
            section == LABEL_COLUMN
            and orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and report is not None
        ):
            return _tr(GROUP_HEADERS[report.by])
        if (
            section == SHARE_COLUMN
            and orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.ToolTipRole
        ):
            return _tr(_SHARE_TIP)
        return super().headerData(section, orientation, role)

    def _is_total(self, row: SatisfactionRow) -> bool:
        return self._report is not None and row is self.row_at(self.rowCount() - 1)

    def cell(self, row: SatisfactionRow, column: int, role: int) -> object:
        counts = row.counts
        numbers: dict[int, int | float | None] = {
            VERY_COLUMN: counts.very_satisfied,
            SATISFIED_COLUMN: counts.satisfied,
            DISSATISFIED_COLUMN: counts.dissatisfied,
            RATED_COLUMN: row.rated,
            SHARE_COLUMN: row.percent,
        }
        total = self._is_total(row)
        if role == KEY_ROLE:
            return row.key
        if role == VALUE_ROLE:
            return numbers.get(column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT if column == LABEL_COLUMN else RIGHT
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if total else None
        if role == Qt.ItemDataRole.BackgroundRole and total:
            return shaded()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == LABEL_COLUMN:
                return _tr(_TOTAL) if total else row.label
            if column == SHARE_COLUMN:
                return format_share(row.percent, self._locale)
            value = numbers[column]
            return self._locale.toString(int(value or 0))
        return None
