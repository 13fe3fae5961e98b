"""The This computer tab: language and idle lock, remembered by this PC only."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext

# Each language is named in itself, so whoever reads the list finds theirs.
LANGUAGE_NAMES = (("vi", "Tiếng Việt"), ("en", "English"))
MAX_LOCK_MINUTES = 240


class MachineTab(QWidget):
    """Saves each change to ctx.prefs at once and announces Change.of("prefs") (per-machine
    QSettings, not the database: DbOps.notify)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("machineTab")

        # Widgets.
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGE_NAMES:
            self.language.addItem(name, code)
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setObjectName("lock_minutes")
        self.lock_minutes.setRange(0, MAX_LOCK_MINUTES)
        self.lock_minutes.setSuffix(self.tr(" min"))
        self.lock_minutes.setSpecialValueText(self.tr("Never"))
        self.language_note = QLabel()
        self.language_note.setObjectName("languageNote")
        self.language_note.setWordWrap(True)
        lock_note = QLabel(
            self.tr(
                "The screen locks after this many minutes without keyboard or mouse; "
                "0 turns the lock off. Applies from the next sign-in or unlock."
            )
        )
        lock_note.setWordWrap(True)

        # Layout.
        form = QFormLayout()
        form.addRow(self.tr("Language"), self.language)
        form.addRow("", self.language_note)
        form.addRow(self.tr("Lock the screen after"), self.lock_minutes)
        form.addRow("", lock_note)
        lay = QVBoxLayout(self)
        lay.addWidget(
            QLabel(self.tr("These settings belong to this computer, not to the whole desk."))
        )
        lay.addLayout(form)
        lay.addStretch(1)

        # State (before the signals, so loading does not write back).
        self._loaded_language = ctx.prefs.language
        self.language.setCurrentIndex(max(0, self.language.findData(self._loaded_language)))
        self.lock_minutes.setValue(min(ctx.prefs.lock_minutes, MAX_LOCK_MINUTES))

        # Signals.
        self.language.currentIndexChanged.connect(self._on_language_changed)
        self.lock_minutes.valueChanged.connect(self._on_lock_minutes_changed)

    def _on_language_changed(self, _index: int) -> None:
        code = str(self.language.currentData())
        self.ctx.prefs.language = code
        self.ctx.prefs.sync()
        self.language_note.setText(
            ""
            if code == self._loaded_language
            else self.tr("The new language is used the next time the program starts.")
        )
        self.ctx.ops.notify(Change.of("prefs"), origin=self)

    def _on_lock_minutes_changed(self, value: int) -> None:
        self.ctx.prefs.lock_minutes = value
        self.ctx.prefs.sync()
        self.ctx.ops.notify(Change.of("prefs"), origin=self)
