"""The window's file dialogs: they list folders without opening a single file in them.

On POSIX, closing any descriptor of a file drops every POSIX lock the process holds on it (SQLite's
"How To Corrupt" §2.2). Qt's own file dialog opens the files it lists to guess their type and icon
(QMimeDatabase content sniffing, the platform theme's file icons), and a native dialog may do the
same inside this process. Once it had listed the database's folder, the window's SQLite locks on
`desk.sqlite3` and its `-shm` were gone: the next program to close the database took itself for
the last user and deleted the live `-wal` and `-shm`. Every file dialog of the window is therefore
made here: Qt's dialog (never the native one) with an icon provider that decides from the name and
a stat alone, opening in the user's Documents folder; a chosen file that belongs to an open SQLite
database is refused before anything reads or replaces it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QFileInfo,
    QIdentityProxyModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
)
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFileIconProvider,
    QFileSystemModel,
    QMessageBox,
    QStyle,
    QWidget,
)

# The files SQLite keeps beside an open database (WAL mode) or during a rollback transaction.
SQLITE_SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def documents_dir() -> Path:
    """Where a file dialog opens first: the user's Documents folder (home when there is none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


class StatOnlyIconProvider(QFileIconProvider):
    """Icons and type names from a file's name and stat, never from its content.

    The icons are made once, on the GUI thread; QFileSystemModel's gatherer thread only hands
    out copies (QIcon is implicitly shared).
    """

    def __init__(self) -> None:
        super().__init__()
        style = QApplication.style()
        px = QStyle.StandardPixmap
        self._folder = style.standardIcon(px.SP_DirIcon)
        self._file = style.standardIcon(px.SP_FileIcon)
        self._drive = style.standardIcon(px.SP_DriveHDIcon)
        self._computer = style.standardIcon(px.SP_ComputerIcon)
        self._network = style.standardIcon(px.SP_DriveNetIcon)
        self._trash = style.standardIcon(px.SP_TrashIcon)

    def icon(self, which: QAbstractFileIconProvider.IconType | QFileInfo) -> QIcon:
        kind = QAbstractFileIconProvider.IconType
        if isinstance(which, QFileInfo):
            if which.isRoot():
                return self._drive
            return self._folder if which.isDir() else self._file
        return {
            kind.Computer: self._computer,
            kind.Desktop: self._folder,
            kind.Trashcan: self._trash,
            kind.Network: self._network,
            kind.Drive: self._drive,
            kind.Folder: self._folder,
        }.get(which, self._file)

    def type(self, info: QFileInfo) -> str:
        if info.isRoot():
            return QCoreApplication.translate("FileDialogs", "Drive")
        if info.isDir():
            return QCoreApplication.translate("FileDialogs", "Folder")
        suffix = info.suffix()
        return (
            QCoreApplication.translate("FileDialogs", "{0} file").format(suffix.upper())
            if suffix
            else QCoreApplication.translate("FileDialogs", "File")
        )


class VietnameseDates(QIdentityProxyModel):
    """The dialog's "Date Modified" written dd/MM/yyyy HH:mm like every date of the window,
    and its sizes in the default (Vietnamese) locale, "2,9 kB": QFileSystemModel writes both
    in the system locale ("3 12 2026 12:52", "2.93 KiB"), which QLocale.setDefault does not
    reach."""

    SIZE_COLUMN = 1
    DATE_COLUMN = 3
    FORMAT = "dd/MM/yyyy HH:mm"

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        source = self.sourceModel()
        if role == Qt.ItemDataRole.DisplayRole and isinstance(source, QFileSystemModel):
            at = self.mapToSource(index)
            if index.column() == self.DATE_COLUMN:
                return source.lastModified(at).toString(self.FORMAT)
            if index.column() == self.SIZE_COLUMN and not source.isDir(at):
                return QLocale().formattedDataSize(
                    source.size(at), 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat
                )
        return super().data(index, role)


class DeskFileDialog(QFileDialog):
    """Qt's file dialog (never the native one) with the stat-only icon provider, opening in
    the Documents folder. No signals beyond QFileDialog's."""

    def __init__(self, parent: QWidget | None, title: str, file_filter: str, *, save: bool) -> None:
        super().__init__(parent, title, str(documents_dir()), file_filter)
        self.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        self.icon_provider = StatOnlyIconProvider()  # kept here: the model does not own it
        self.setIconProvider(self.icon_provider)
        self.setProxyModel(VietnameseDates(self))
        if save:
            self.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            self.setFileMode(QFileDialog.FileMode.AnyFile)
        else:
            self.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
            self.setFileMode(QFileDialog.FileMode.ExistingFile)


def belongs_to_open_database(path: Path) -> bool:
    """Whether `path` is an SQLite database with its side files present, or one of those side
    files: looked at by name and stat only, since opening it is the very thing to avoid."""
    name = path.name
    for suffix in SQLITE_SIDE_SUFFIXES:
        if name.endswith(suffix) and path.with_name(name.removesuffix(suffix)).exists():
            return True
    return any(path.with_name(name + suffix).exists() for suffix in SQLITE_SIDE_SUFFIXES)


def _run(dialog: QFileDialog, title: str) -> tuple[Path, str] | None:
    parent = dialog.parentWidget()
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return None
        chosen = Path(dialog.selectedFiles()[0])
        chosen_filter = dialog.selectedNameFilter()
    finally:
        dialog.deleteLater()
    if belongs_to_open_database(chosen):
        QMessageBox.warning(
            parent,
            title,
            QCoreApplication.translate(
                "FileDialogs", "{0} belongs to a database in use. Choose another file."
            ).format(str(chosen)),
        )
        return None
    return chosen, chosen_filter


def ask_save_path(
    parent: QWidget | None, title: str, folder: Path | None, name: str, file_filter: str
) -> tuple[Path, str] | None:
    """The path the user chose to save to and the filter chosen, or None when cancelled.

    Starts in `folder` (Documents when None) with `name` proposed.
    """
    dialog = DeskFileDialog(parent, title, file_filter, save=True)
    if folder is not None:
        dialog.setDirectory(str(folder))
    dialog.selectFile(name)
    return _run(dialog, title)


def ask_open_path(
    parent: QWidget | None, title: str, file_filter: str, folder: Path | None = None
) -> Path | None:
    """The existing file the user chose, or None when cancelled. Starts in `folder` (Documents
    when None)."""
    dialog = DeskFileDialog(parent, title, file_filter, save=False)
    if folder is not None:
        dialog.setDirectory(str(folder))
    chosen = _run(dialog, title)
    return None if chosen is None else chosen[0]
