"""The scanner's folder, watched while the intake form is open, and the choosers for scans.

A counter's scanner writes its files into a folder (set per computer in Settings › This
computer). `ScanFolderWatcher` lists the newest scans there as they land: QFileSystemWatcher
says the folder changed (and a slow poll catches what it misses on a network share), and a file
is offered only once two looks a settle delay apart find it with the same size and time, so a
file the scanner is still writing is never read. Only the scanner's kinds of file (PDF, JPEG,
PNG, TIFF) modified in the last few minutes are offered, and never a scan this computer already
saved with a file or dismissed (`TakenScans`): the next applicant's form does not offer the
last one's papers, while a new file under the same name is offered.

The folder is listed and its files read on a thread of its own (`ScanReader`), never on the GUI
thread nor on the database's worker: a share that answers slowly or a folder of thousands of
files leaves the window and the saves alone. Everything here decides from names and `stat`
alone: the database's folder is refused outright, because opening any file of an open SQLite
database in this process drops its POSIX locks (see desk_app/ui/file_dialogs.py).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QFileSystemWatcher,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desk_app.services.intake_scans import SCAN_SUFFIXES
from desk_app.store.files import write_atomically
from desk_app.store.pages import pages_folder
from desk_app.ui.file_dialogs import DeskFileDialog, belongs_to_open_database

log = logging.getLogger(__name__)

SETTLE_MS = 800  # a scanner writes a page in well under a second; a slow share gets more looks
POLL_MS = 3000  # a look this often too: a share's changes made elsewhere raise no inotify event
RECENT_MINUTES = 10  # scans made just before the form was opened are offered too
# A scan taken or dismissed is remembered this long after it was written (its file time): past
# RECENT_MINUTES it is never offered anyway; the margin covers a share whose clock runs ahead.
REMEMBER_S = 24 * 3600
REMEMBER_MAX = 5000  # the newest ones kept past that
READER_IDLE_S = 20.0  # the reader's thread ends after this long without a job (started again)

# A file as the folder lists it: its size and modification time in ns. A new file written under
# an old name has another time, so it is another scan.
Stamp = tuple[int, int]


def _tr(text: str) -> str:
    return QCoreApplication.translate("ScanFolder", text)


def forbidden_reason(folder: Path, database: Path | None) -> str:
    """Why `folder` cannot be the scan folder ("" when it can): the folder of the SQLite
    database at `database` (None: a centre's server) or of its pages, or no folder at all."""
    try:
        resolved = folder.resolve()
    except OSError:
        resolved = folder
    if database is not None:
        database = database.resolve()
        pages = pages_folder(database)
        if resolved in (database.parent, pages) or pages in resolved.parents:
            return _tr(
                "{0} is the folder of the desk's database; the window never reads files "
                "there. Choose the folder your scanner writes to."
            ).format(str(folder))
    if not folder.is_dir():
        return _tr("{0} is not a folder (or cannot be reached).").format(str(folder))
    return ""


DRAG_EVENTS = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)


def files_dragged(event: QEvent) -> list[Path] | None:
    """For a drag that carries files (an event filter's): accept it, and give the local files
    dropped ([] while they are only dragged over); None for any other event, not ours to take.
    What the files are is judged later (`refused_file`), never by opening them here."""
    if event.type() not in DRAG_EVENTS:
        return None
    assert isinstance(event, QDropEvent)
    if not event.mimeData().hasUrls():
        return None
    event.acceptProposedAction()
    if event.type() != QEvent.Type.Drop:
        return []
    return [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]


def is_scan_name(path: Path) -> bool:
    return path.suffix.lower() in SCAN_SUFFIXES


def refused_file(path: Path, database: Path | None) -> str:
    """Why a dropped or chosen file is not taken ("" when it is), by name and stat only."""
    if database is not None:
        try:
            in_db_folder = path.resolve().parent == database.resolve().parent
        except OSError:
            in_db_folder = False
        if in_db_folder:
            return _tr("{0} lies in the folder of the desk's database.").format(path.name)
    if belongs_to_open_database(path):
        return _tr("{0} belongs to a database in use.").format(path.name)
    if not is_scan_name(path):
        return _tr("{0} is not a scan (PDF, JPEG, PNG or TIFF).").format(path.name)
    if not path.is_file():
        return _tr("{0} is not a file.").format(path.name)
    return ""


def list_recent(folder: Path, since: float) -> dict[Path, Stamp] | None:
    """The scans of `folder` modified at `since` (seconds since the epoch) or later, each with
    its stamp, from names and `stat` alone; None when the folder cannot be listed. Slow on a
    slow share and on a folder of thousands of files: called on the reader's thread."""
    found: dict[Path, Stamp] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not is_scan_name(Path(entry.name)):
                    continue
                try:
                    if not entry.is_file():
                        continue
                    st = entry.stat()
                except OSError:
                    continue
                if st.st_mtime >= since:
                    found[Path(entry.path)] = (st.st_size, st.st_mtime_ns)
    except OSError:
        return None  # the folder is gone or a share dropped: listed again when it is back
    return found


def stamp_of(path: Path) -> Stamp:
    """The file's stamp (`stat`: not on the GUI thread for a scan folder's file)."""
    st = path.stat()
    return st.st_size, st.st_mtime_ns


class TakenScans:
    """The scans this computer has saved with a file or dismissed from the intake's list, by
    path and stamp, in a small JSON file beside the machine's preferences: the scan folder is
    shared by every applicant of the morning, so a scan is offered to one form only, across
    forms and restarts, while a new scan under the same name is offered again.

    Read and written on the GUI thread: a local file of a few kilobytes (entries older than
    REMEMBER_S by their file time are dropped, they are never offered anyway)."""

    def __init__(self, path: Path | None, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        self._seen: dict[str, Stamp] = {}
        self._load()

    @classmethod
    def beside(cls, prefs_path: Path, clock: Callable[[], float] = time.time) -> TakenScans:
        return cls(prefs_path.with_name("scans-taken.json"), clock)

    def _read(self) -> dict[str, Stamp]:
        if self.path is None:
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return {str(k): (int(v[0]), int(v[1])) for k, v in raw.items()}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, TypeError, AttributeError, IndexError) as exc:
            log.warning("scans taken: %s unreadable, starting afresh: %s", self.path, exc)
            return {}

    def _load(self) -> None:
        self._seen = self._read()

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, tuple) or len(item) != 2:
            return False
        path, stamp = item
        return bool(self._seen.get(str(path)) == stamp)

    def add(self, scans: dict[Path, Stamp]) -> None:
        """Remember `scans` (merged with what another form wrote meanwhile) and write."""
        if not scans:
            return
        merged = self._read()
        merged.update(self._seen)
        merged.update({str(p): s for p, s in scans.items()})
        oldest = (self.clock() - REMEMBER_S) * 1e9
        kept = sorted(
            ((k, v) for k, v in merged.items() if v[1] >= oldest), key=lambda kv: -kv[1][1]
        )[:REMEMBER_MAX]
        self._seen = dict(kept)
        if self.path is None:
            return
        data = json.dumps({k: list(v) for k, v in self._seen.items()}, ensure_ascii=False)
        try:
            write_atomically(self.path, data.encode("utf-8"))
        except OSError as exc:  # kept in memory for this session; nothing else depends on it
            log.warning("scans taken: cannot write %s: %s", self.path, exc)


class ScanReader(QObject):
    """Runs file-system jobs (a folder's listing, a scan's pages and picture) one at a time on a
    daemon thread of its own, and hands each result to its callback on the GUI thread.

    Not the database's worker (desk_app/ui/ops.py OpRunner): a listing stuck on a share that
    stopped answering must not hold a save back, and a thread waiting in `scandir` cannot be
    joined when the form closes. Like the server probe and the sync pass, the thread is a
    daemon that only emits a queued signal; once `close()` is called nothing more is delivered.
    The thread ends after READER_IDLE_S without a job and the next job starts another, so a
    form that is never closed leaves no thread behind. `synchronous=True` runs each job inline
    (a form with no dialog, the screenshot scripts).
    """

    _finished = Signal(object)  # (ticket, result, error), emitted on the reader's thread

    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self._jobs: queue.SimpleQueue[tuple[int, Callable[[], Any]] | None] = queue.SimpleQueue()
        self._callbacks: dict[int, tuple[Callable[[Any], object], Callable[[Exception], object]]]
        self._callbacks = {}
        self._tickets = itertools.count(1)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # `_thread` and the decision to end it
        self._closed = threading.Event()
        self.thread_ident: int | None = None  # the thread's, once started (for the tests)
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        """Jobs given and not yet answered."""
        return bool(self._callbacks)

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def run(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], object],
        failed: Callable[[Exception], object],
    ) -> None:
        if self._closed.is_set():
            return
        if self.synchronous:
            try:
                result = fn()
            except Exception as exc:
                failed(exc)
                return
            done(result)
            return
        ticket = next(self._tickets)
        self._callbacks[ticket] = (done, failed)
        with self._lock:
            self._jobs.put((ticket, fn))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._main, name="desk-scan-folder", daemon=True
                )
                self._thread.start()

    def close(self) -> None:
        """Deliver nothing more; the thread ends after the job it is running (if ever)."""
        self._closed.set()
        self._callbacks.clear()
        self._jobs.put(None)

    def _main(self) -> None:
        """On the reader's thread: no widget, no Qt object but the queued signal."""
        self.thread_ident = threading.get_ident()
        closed, finished = self._closed, self._finished
        while True:
            try:
                item = self._jobs.get(timeout=READER_IDLE_S)
            except queue.Empty:
                with self._lock:
                    if self._jobs.empty():
                        self._thread = None
                        return
                continue
            if item is None or closed.is_set():
                return
            ticket, fn = item
            result: Any = None
            error: Exception | None = None
            try:
                result = fn()
            except Exception as exc:  # handed to the job's own callback
                error = exc
            del fn, item
            if closed.is_set():
                return
            with contextlib.suppress(RuntimeError):  # the form went while the job ran
                finished.emit((ticket, result, error))

    def _on_finished(self, answer: tuple[int, Any, Exception | None]) -> None:
        ticket, result, error = answer
        callbacks = self._callbacks.pop(ticket, None)
        if callbacks is None:
            return
        done, failed = callbacks
        if error is None:
            done(result)
        else:
            failed(error)


class ScanFolderWatcher(QObject):
    """Offers each settled scan of one folder once.

    The listing runs on `reader` (inline when None); a look asked for while one is under way is
    made once it ends. A scan in `taken` is never offered.

    Signals:
        arrived(object): the Path of a scan that landed and stopped growing.
    """

    arrived = Signal(object)

    def __init__(
        self,
        folder: Path,
        parent: QObject | None = None,
        *,
        settle_ms: int = SETTLE_MS,
        poll_ms: int = POLL_MS,
        recent_minutes: int = RECENT_MINUTES,
        reader: ScanReader | None = None,
        taken: TakenScans | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self.files_reader = reader
        self.taken = taken if taken is not None else TakenScans(None, clock)
        # File times are the file system's wall clock, not the window's (tests pin both).
        self.since = clock() - recent_minutes * 60
        self.offered: dict[Path, Stamp] = {}  # each scan offered, as it was when offered
        self.looks = 0  # listings finished (for the tests)
        self._looked: dict[Path, Stamp] = {}  # size and mtime at the last look
        self._looking = False
        self._again = False
        self._stopped = True
        self.watcher = QFileSystemWatcher(self)
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(settle_ms)
        self.poll = QTimer(self)
        self.poll.setInterval(poll_ms)
        self.watcher.directoryChanged.connect(self._on_watcher_directory_changed)
        self.settle.timeout.connect(self.look)
        self.poll.timeout.connect(self._on_poll_timeout)

    def start(self) -> None:
        """Watch the folder and offer the recent scans already there (after one settle)."""
        self._stopped = False
        self.watcher.addPath(str(self.folder))
        self.poll.start()
        self.look()

    def stop(self) -> None:
        self._stopped = True
        self.settle.stop()
        self.poll.stop()
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())

    def _on_watcher_directory_changed(self, _path: str) -> None:
        self.settle.start()  # restarted by every change: look once the folder is quiet

    def _on_poll_timeout(self) -> None:
        if not self.settle.isActive():
            self.look()

    def look(self) -> None:
        """List the folder (on the reader); offer what has not changed since the last look."""
        if self._looking:
            self._again = True
            return
        folder, since = self.folder, self.since
        if self.files_reader is None:
            self._on_listed(list_recent(folder, since))
            return
        self._looking = True
        self.files_reader.run(lambda: list_recent(folder, since), self._on_listed, self._on_failed)

    def _on_failed(self, exc: Exception) -> None:
        log.warning("scan folder %s: %s", self.folder, exc)
        self._on_listed(None)

    def _on_listed(self, listing: dict[Path, Stamp] | None) -> None:
        """Offer the files found twice alike; look again later when some are new or growing."""
        self._looking = False
        self.looks += 1
        again, self._again = self._again, False
        if self._stopped and self.files_reader is not None:
            return
        settled: list[tuple[int, str, Path, Stamp]] = []
        for path, seen in (listing or {}).items():
            if self.offered.get(path) == seen or (path, seen) in self.taken:
                continue
            if seen[0] > 0 and self._looked.get(path) == seen:
                settled.append((seen[1], path.name, path, seen))
            else:
                self._looked[path] = seen
                again = True
        for _, _, path, seen in sorted(settled):  # in the order the scanner wrote them
            self.offered[path] = seen
            self._looked.pop(path, None)
            self.arrived.emit(path)
        if again and not self._stopped:
            self.settle.start()  # a watcher never started looks only when asked (the tests)


def _run_chooser(dialog: QFileDialog) -> list[Path]:
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted:
            return []
        return [Path(p) for p in dialog.selectedFiles()]
    finally:
        dialog.deleteLater()


def ask_scan_files(parent: QWidget | None, folder: Path | None) -> list[Path]:
    """Scans chosen with the desk's file dialog (which never opens a file to sniff it), in
    the order chosen; starts in the scan folder when there is one."""
    dialog = DeskFileDialog(
        parent,
        _tr("Choose scans"),
        _tr("Scans (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)"),
        save=False,
    )
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    if folder is not None and folder.is_dir():
        dialog.setDirectory(str(folder))
    return _run_chooser(dialog)


def ask_scan_folder(
    parent: QWidget | None, database: Path | None, start: Path | None
) -> Path | None:
    """The folder chosen for the scanner (None when cancelled or refused, with a word why)."""
    title = _tr("The scanner's folder")
    dialog = DeskFileDialog(parent, title, "", save=False)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if start is not None and start.is_dir():
        dialog.setDirectory(str(start))
    chosen = _run_chooser(dialog)
    if not chosen:
        return None
    why = forbidden_reason(chosen[0], database)
    if why:
        QMessageBox.warning(parent, title, why)
        return None
    return chosen[0]
