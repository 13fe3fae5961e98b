"""The scanner's folder, watched while the intake form is open, and the choosers for scans.

A counter's scanner writes its files into a folder (set per computer in Settings › This
computer). `ScanFolderWatcher` lists the newest scans there as they land: QFileSystemWatcher
says the folder changed, and a file is offered only once two looks a settle delay apart find
it with the same size and time, so a file the scanner is still writing is never read. Only the
scanner's kinds of file (PDF, JPEG, PNG, TIFF) modified while the form is open or in the last
few minutes are offered. Everything here decides from names and `stat` alone: the database's
folder is refused outright, because opening any file of an open SQLite database in this process
drops its POSIX locks (see desk_app/ui/file_dialogs.py).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desk_app.services.intake_scans import SCAN_SUFFIXES
from desk_app.store.pages import pages_folder
from desk_app.ui.file_dialogs import DeskFileDialog, belongs_to_open_database

SETTLE_MS = 800  # a scanner writes a page in well under a second; a slow share gets more looks
RECENT_MINUTES = 10  # scans made just before the form was opened are offered too


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


class ScanFolderWatcher(QObject):
    """Offers each settled scan of one folder once.

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
        recent_minutes: int = RECENT_MINUTES,
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        # File times are the file system's wall clock, not the window's (tests pin that one).
        self.since = time.time() - recent_minutes * 60
        self._looked: dict[Path, tuple[int, int]] = {}  # size and mtime at the last look
        self._offered: set[Path] = set()
        self.watcher = QFileSystemWatcher(self)
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(settle_ms)
        self.watcher.directoryChanged.connect(self._on_watcher_directory_changed)
        self.settle.timeout.connect(self.look)

    def start(self) -> None:
        """Watch the folder and offer the recent scans already there (after one settle)."""
        self.watcher.addPath(str(self.folder))
        self.look()

    def stop(self) -> None:
        self.settle.stop()
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())

    def _on_watcher_directory_changed(self, _path: str) -> None:
        self.settle.start()  # restarted by every change: look once the folder is quiet

    def look(self) -> None:
        """Offer the files that have not changed since the last look; look again later when
        some are new or still growing."""
        again = False
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return  # the folder is gone or a share dropped: offered again when it is back
        settled: list[tuple[int, str, Path]] = []
        for entry in entries:
            path = Path(entry.path)
            if path in self._offered or not is_scan_name(path):
                continue
            try:
                if not entry.is_file():
                    continue
                st = entry.stat()
            except OSError:
                continue
            if st.st_mtime < self.since:
                continue
            seen = (st.st_size, st.st_mtime_ns)
            if st.st_size > 0 and self._looked.get(path) == seen:
                settled.append((st.st_mtime_ns, entry.name, path))
            else:
                self._looked[path] = seen
                again = True
        for _, _, path in sorted(settled):  # in the order the scanner wrote them
            self._offered.add(path)
            self._looked.pop(path, None)
            self.arrived.emit(path)
        if again:
            self.settle.start()


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
