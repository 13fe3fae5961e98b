"""The lazy file list model: queue loads, sorting in the database, colours and the model rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from desk_app.services import intake, lifecycle
from desk_app.services.browse import ListQueue, SortKey
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.ui.context import UiContext
from desk_app.ui.dbops import DbOps
from desk_app.ui.file_model import CODE_ROLE, COLUMNS, STATE_COLOURS, STATE_ROLE, FileListModel
from desk_app.ui.queues import QueueListModel
from tests.centre_data import JUSTICE, add_justice
from tests.centre_data import accept as accept_in
from tests.ui.conftest import make_ui_context

KARAOKE = "1.001029"  # 5 working days


def _accept(ctx: UiContext, name: str, received: datetime) -> FileView:
    data = intake.IntakeInput(
        procedure=KARAOKE, applicant=intake.ApplicantInput(name=name), received_at=received
    )
    with ctx.db.writer.begin() as s:
        return intake.accept_file(s, data, ctx.actor, now=received)


def _column(key: str) -> int:
    return [c.key for c in COLUMNS].index(key)


def test_model_passes_the_model_tester_and_shows_rows(
    ui_ctx: UiContext, qtmodeltester: ModelTester
) -> None:
    monday = datetime(2026, 2, 23, 9, 0)  # one week before the context's clock
    views = [_accept(ui_ctx, n, monday + timedelta(minutes=i))
             for i, n in enumerate(["Lê Văn Tám", "Hoàng Thị Mơ", "Nông Đức Mạnh"])]  # fmt: skip
    with ui_ctx.db.writer.begin() as s:
        lifecycle.request_supplement(
            s, MoveInput(views[2].code), "Thiếu bản sao", ui_ctx.actor, now=monday.replace(hour=10)
        )
    model = FileListModel(ui_ctx)
    model.load(ListQueue.ALL)
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    # Newest first in "all"; due Monday 2 March 09:00 and the clock says 10:00: overdue.
    codes = [model.data(model.index(r, 0), CODE_ROLE) for r in range(3)]
    assert codes == [v.code for v in reversed(views)]
    paused = model.index(0, _column("remaining"))
    assert model.data(paused) == "tạm dừng"
    late = model.index(2, _column("remaining"))
    assert model.data(late) == "quá hạn 1 giờ"
    background = model.data(late, Qt.ItemDataRole.BackgroundRole)
    assert background.color().name() == STATE_COLOURS[next(iter(STATE_COLOURS))][0]
    assert model.data(model.index(2, _column("applicant"))) == "Lê Văn Tám"
    assert model.data(model.index(2, _column("status"))) == "Được tiếp nhận"
    assert model.data(model.index(2, _column("received"))) == "23/02/2026 09:00"


def test_sorting_runs_in_the_database_and_keeps_the_queue(ui_ctx: UiContext) -> None:
    start = datetime(2026, 2, 27, 8, 0)
    for i, name in enumerate(["Vũ An", "Âu Bình", "Đinh Chi"]):
        _accept(ui_ctx, name, start + timedelta(minutes=i))
    model = FileListModel(ui_ctx)
    model.load(ListQueue.NEW)
    model.sort(_column("applicant"), Qt.SortOrder.AscendingOrder)
    assert model.sort_key is SortKey.APPLICANT
    names = [model.data(model.index(r, _column("applicant"))) for r in range(3)]
    assert names == ["Âu Bình", "Đinh Chi", "Vũ An"]
    model.sort(_column("applicant"), Qt.SortOrder.DescendingOrder)
    names = [model.data(model.index(r, _column("applicant"))) for r in range(3)]
    assert names == ["Vũ An", "Đinh Chi", "Âu Bình"]
    assert model.queue is ListQueue.NEW


def test_a_large_list_reads_only_the_rows_it_shows(ui_ctx: UiContext) -> None:
    from desk_app.services import demo

    demo.generate_demo(ui_ctx.db, 600, seed=7, now=datetime(2026, 3, 2, 10, 0))
    model = FileListModel(ui_ctx)
    model.load(ListQueue.ALL)
    assert model.rowCount() >= 600
    assert model.data(model.index(450, 0), CODE_ROLE)
    assert 0 < len(model._cache) <= 2 * 200


def test_queue_model_shows_counts_and_passes_the_model_tester(
    qapp: object, qtmodeltester: ModelTester
) -> None:
    model = QueueListModel()
    qtmodeltester.check(model)
    model.set_counts({q: 7000 if q is ListQueue.OVERDUE else 0 for q in ListQueue})
    overdue = model.index(model.row_of(ListQueue.OVERDUE), 0)
    assert model.data(overdue) == "Quá hạn  (7.000)"
    assert model.data(overdue, Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(model.index(0, 0)) == "Mới tiếp nhận  (0)"
    qtmodeltester.check(model)


def test_the_clock_moves_the_words_without_reading_the_ids_again(
    ui_ctx: UiContext, qtbot: object
) -> None:
    _accept(ui_ctx, "Lò Văn Pá", datetime(2026, 3, 2, 9, 0))  # due Monday 9 March 09:00
    model = FileListModel(ui_ctx)
    model.load(ListQueue.ALL)
    remaining = model.index(0, _column("remaining"))
    assert model.data(remaining) == "còn 4 ngày 7 giờ"
    loads: list[bool] = []
    model.loading.connect(loads.append)
    model.tick(datetime(2026, 3, 10, 9, 0))
    assert model.data(remaining) == "quá hạn 1 ngày"
    assert model.data(remaining, Qt.ItemDataRole.BackgroundRole) is not None
    assert loads == []


def test_rows_of_a_block_on_its_way_do_not_ask_again(
    ui_ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scrolling asks for each block once: a row inside a block already asked for waits for it."""
    from desk_app.services import demo

    demo.generate_demo(ui_ctx.db, 600, seed=7, now=datetime(2026, 3, 2, 10, 0))
    model = FileListModel(ui_ctx)
    model.load(ListQueue.ALL)
    asked: list[object] = []
    # `ctx.ops` is made on each use: hold the reads at the class.
    monkeypatch.setattr(DbOps, "read", lambda self, fn, done, *a, **k: asked.append(done))
    for row in range(300, 420):
        model.data(model.index(row, 0), CODE_ROLE)
    # Row 300 asks for rows 250-449; every row up to 419 lies inside it.
    assert len(asked) == 1


def test_each_file_is_coloured_by_its_own_agencys_warning(
    db: Database, officer: Actor, tmp_path: Path
) -> None:
    # The second agency warns three working days before a due, the first one day.
    add_justice(db)
    both = replace(officer, agencies=frozenset({1, JUSTICE}))
    ctx = make_ui_context(db, both, tmp_path)
    received = datetime(2026, 2, 25, 10, 0)  # due Wednesday 4 March 10:00: two days left
    first = accept_in(db, both, KARAOKE, received, "Cơ quan thứ nhất", 1)
    justice = accept_in(db, both, KARAOKE, received, "Sở Tư pháp", JUSTICE)

    def states(model: FileListModel) -> dict[str, str]:
        rows = range(model.rowCount())
        return {
            model.data(model.index(r, 0), CODE_ROLE): model.data(model.index(r, 0), STATE_ROLE)
            for r in rows
        }

    model = FileListModel(ctx)
    model.load(ListQueue.ALL)
    assert states(model) == {first: "in_time", justice: "due_soon"}
    # Search results too, read before any queue.
    found = FileListModel(ctx)
    found.show_ids([model.file_id(r) for r in range(model.rowCount())])
    assert states(found) == {first: "in_time", justice: "due_soon"}
