"""The supervisor's window: the overdue watch, the period statistics, the national index, the
applicants' satisfaction and the queue's times, beside the counter."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.services.context import get_settings
from desk_app.services.scope import Scope, agency_ids
from desk_app.ui.context import UiContext
from desk_app.ui.errors import error_text


@dataclass(frozen=True)
class Agencies:
    """The database's agencies as the scope chooser needs them."""

    count: int  # active agencies in the database: more than one makes it a centre's
    mine: tuple[tuple[int, str], ...]  # (id, display name) of those the user works for


def read_agencies(session: Session, scope: Scope) -> Agencies:
    every = agency_ids(session)
    mine = tuple((a, get_settings(session, a).display_name) for a in every if scope.covers(a))
    return Agencies(count=len(every), mine=mine)


class SupervisorWindow(QMainWindow):
    """Signals:
    open_file(str): a file code to show in the main window.

    In a centre's database (more than one agency) a chooser at the top picks what the watch,
    the statistics, the national index, the satisfaction and the queue pages count: the whole
    centre (every agency the user works for) or one agency. A solo desk's window has no chooser
    and looks as it always did.
    """

    open_file = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        from desk_app.ui.dashboard import Dashboard
        from desk_app.ui.index_view import IndexView
        from desk_app.ui.queue_view import QueueView
        from desk_app.ui.satisfaction_view import SatisfactionView
        from desk_app.ui.statistics_view import StatisticsView

        super().__init__(parent)
        self.ctx = ctx
        self.agencies: Agencies | None = None
        self.setObjectName("supervisorWindow")
        self.setWindowTitle(self.tr("Deadlines and statistics"))
        self.dashboard = Dashboard(ctx)
        self.statistics = StatisticsView(ctx)
        self.index = IndexView(ctx)
        self.satisfaction = SatisfactionView(ctx)
        self.queue = QueueView(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("supervisorTabs")
        self.tabs.addTab(self.dashboard, self.tr("Overdue watch"))
        self.tabs.addTab(self.statistics, self.tr("Period statistics"))
        self.tabs.addTab(self.index, self.tr("National index"))
        self.tabs.addTab(self.satisfaction, self.tr("Satisfaction"))
        self.tabs.addTab(self.queue, self.tr("Queue"))
        self.setCentralWidget(self.tabs)
        self.scope_combo = QComboBox()
        self.scope_combo.setObjectName("scopeCombo")
        self.scope_combo.setMinimumContentsLength(24)
        self.scope_note = QLabel()
        self.scope_note.setObjectName("scopeNote")
        self.dashboard.open_file.connect(self.open_file)
        self.index.open_file.connect(self.open_file)
        self.scope_combo.currentIndexChanged.connect(self._on_scope_combo_changed)
        geometry = ctx.prefs.geometry("supervisor")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1360, 820)
        self._read_agencies()

    # --- the scope chooser ----------------------------------------------------------------

    def _read_agencies(self) -> None:
        scope = self.ctx.scope

        def job(s: Session) -> Agencies:
            return read_agencies(s, scope)

        self.ctx.ops.read(
            job,
            self._on_agencies_read,
            self._on_agencies_failed,
            owner=self,
            label=self.tr("Agencies"),
        )

    def _on_agencies_read(self, found: Agencies) -> None:
        self.agencies = found
        if found.count <= 1:
            return  # a solo desk: no chooser, nothing moves
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        self.scope_combo.addItem(self.tr("Whole centre"), None)
        for agency, name in found.mine:
            self.scope_combo.addItem(name, agency)
        self.scope_combo.setCurrentIndex(0)
        self.scope_combo.blockSignals(False)
        self._add_chooser()
        self.statistics.set_centre(True)
        self.satisfaction.set_centre(True)

    def _on_agencies_failed(self, exc: BaseException) -> None:
        # The watch and the statistics still work over every agency the user works for.
        self.scope_note.setText(error_text(exc))
        self._add_chooser()

    def _add_chooser(self) -> None:
        """Put the chooser over the tabs (once)."""
        if self.centralWidget() is not self.tabs:
            return
        self.takeCentralWidget()  # the tabs, kept: set again below
        bar = QHBoxLayout()
        label = QLabel(self.tr("Scope"))
        label.setBuddy(self.scope_combo)
        bar.addWidget(label)
        bar.addWidget(self.scope_combo)
        bar.addWidget(self.scope_note, 1)
        centre = QWidget()
        centre.setObjectName("supervisorCentre")
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        bar.setContentsMargins(9, 0, 9, 0)
        self.setCentralWidget(centre)

    def scope(self) -> Scope:
        """What the chooser names: one agency, or every agency the user works for."""
        agency = self.scope_combo.currentData()
        return self.ctx.scope if agency is None else Scope.of({int(agency)})

    def set_agency(self, agency: int | None) -> None:
        """Choose one agency (None: the whole centre), as the chooser does."""
        index = self.scope_combo.findData(agency) if agency is not None else 0
        if index < 0:
            raise ValueError(agency)
        self.scope_combo.setCurrentIndex(index)

    def _on_scope_combo_changed(self, _index: int) -> None:
        scope = self.scope()
        self.dashboard.set_scope(scope)
        self.statistics.set_scope(scope)
        self.index.set_scope(scope)
        self.satisfaction.set_scope(scope)
        self.queue.set_scope(scope)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.prefs.set_geometry("supervisor", self.saveGeometry())
        super().closeEvent(event)
