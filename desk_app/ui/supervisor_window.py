"""The supervisor's window: the overdue watch and the period statistics, beside the counter."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from desk_app.ui.context import UiContext


class SupervisorWindow(QMainWindow):
    """Signals:
    open_file(str): a file code to show in the main window.
    """

    open_file = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        from desk_app.ui.dashboard import Dashboard
        from desk_app.ui.statistics_view import StatisticsView

        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("supervisorWindow")
        self.setWindowTitle(self.tr("Deadlines and statistics"))
        self.dashboard = Dashboard(ctx)
        self.statistics = StatisticsView(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("supervisorTabs")
        self.tabs.addTab(self.dashboard, self.tr("Overdue watch"))
        self.tabs.addTab(self.statistics, self.tr("Period statistics"))
        self.setCentralWidget(self.tabs)
        self.dashboard.open_file.connect(self.open_file)
        geometry = ctx.prefs.geometry("supervisor")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1360, 820)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.prefs.set_geometry("supervisor", self.saveGeometry())
        super().closeEvent(event)
