"""A line edit that finds a procedure by code or name as typed, diacritics and case ignored."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit, QListView, QWidget

from desk_app.services.lookup import ProcedureChoice, search_procedures

# How many matches the popup lists; more than a screenful helps nobody choose.
MAX_SHOWN = 30


def display_text(choice: ProcedureChoice, with_agency: bool = False) -> str:
    """How a row of the popup (and the field, once chosen) names a procedure; in a centre
    where the officer works for several agencies, the agency's short name first."""
    text = f"{choice.code} — {choice.name}"
    return f"{choice.agency_name} · {text}" if with_agency and choice.agency_name else text


class ProcedurePicker(QLineEdit):
    """Type part of a code or a name ("karaoke", "lu hanh", "1.0010"); Enter takes the
    highlighted match (the first when none is highlighted), as does a click in the list.

    The choices are the catalogues of the officer's agencies; when they span more than one,
    each row says whose it is (the same code may stand in two agencies' catalogues).

    Signals:
        chosen(object): the ProcedureChoice picked, or None when the text no longer names one.
    """

    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("procedure")
        self.setClearButtonEnabled(True)
        self.setPlaceholderText(self.tr("Type a code or part of the name, then Enter"))
        self._choices: list[ProcedureChoice] = []
        self._matches: list[ProcedureChoice] = []
        self._choice: ProcedureChoice | None = None
        self._with_agency = False
        self._model = QStringListModel(self)
        # The completer is attached with setWidget, not setCompleter: QLineEdit would filter by
        # prefix itself, and the match here is by words anywhere, without diacritics.
        self.completer_ = QCompleter(self._model, self)
        self.completer_.setWidget(self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setMaxVisibleItems(12)
        self.popup = QListView()
        self.popup.setObjectName("procedure_popup")
        self.completer_.setPopup(self.popup)
        self.textEdited.connect(self._on_self_text_edited)
        self.completer_.activated.connect(self._on_completer_activated)
        self.editingFinished.connect(self._on_self_editing_finished)

    # --- public ------------------------------------------------------------------------------

    def set_choices(self, choices: list[ProcedureChoice]) -> None:
        self._choices = list(choices)
        self._with_agency = len({c.agency for c in self._choices}) > 1

    def shows_agency(self) -> bool:
        """Whether the rows name their agency (the choices span several)."""
        return self._with_agency

    def text_of(self, choice: ProcedureChoice) -> str:
        return display_text(choice, self._with_agency)

    def choice(self) -> ProcedureChoice | None:
        return self._choice

    def matches(self) -> list[ProcedureChoice]:
        """What the popup offers for the current text."""
        return list(self._matches)

    def choose(self, code: str | None, agency: int | None = None) -> bool:
        """Pick the procedure with this code (None clears), in `agency`'s catalogue if given;
        False when there is none."""
        found = next(
            (c for c in self._choices if c.code == code and (agency is None or c.agency == agency)),
            None,
        )
        if code is not None and found is None:
            return False
        self._set_choice(found)
        return True

    # --- internals ---------------------------------------------------------------------------

    def _set_choice(self, choice: ProcedureChoice | None) -> None:
        self.popup.hide()
        if choice is not None:
            self.setText(self.text_of(choice))
            self.setToolTip(self.text_of(choice))
        if choice != self._choice:
            self._choice = choice
            self.chosen.emit(choice)

    def _refilter(self) -> None:
        text = self.text()
        self._matches = search_procedures(self._choices, text)[:MAX_SHOWN] if text.strip() else []
        self._model.setStringList([self.text_of(c) for c in self._matches])

    def _on_self_text_edited(self, text: str) -> None:
        if self._choice is not None and text != self.text_of(self._choice):
            self._choice = None
            self.setToolTip("")
            self.chosen.emit(None)
        self._refilter()
        if self._matches:
            self.completer_.complete()
        else:
            self.popup.hide()

    def _on_completer_activated(self, activated: object) -> None:
        text = activated if isinstance(activated, str) else ""
        if isinstance(activated, QModelIndex):
            text = str(activated.data())
        found = next((c for c in self._matches if self.text_of(c) == text), None)
        if found is not None:
            self._set_choice(found)

    def _on_self_editing_finished(self) -> None:
        # Leaving the field with one candidate left is as good as choosing it.
        if self._choice is None and len(self._matches) == 1:
            self._set_choice(self._matches[0])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        popup = self.popup
        key = event.key()
        # Keys that reach the line edit directly (the popup normally takes them first).
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._matches and self._choice is None:
            row = popup.currentIndex().row() if popup.isVisible() else -1
            self._set_choice(self._matches[row if 0 <= row < len(self._matches) else 0])
            event.accept()
            return
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self._choice is None:
            if not self._matches:
                self._refilter()
            if self._matches:
                if not popup.isVisible():
                    self.completer_.complete()
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(len(self._matches) - 1, popup.currentIndex().row() + step))
                popup.setCurrentIndex(self._model.index(row, 0))
                event.accept()
                return
        if key == Qt.Key.Key_Escape and popup.isVisible():
            popup.hide()
            event.accept()
            return
        super().keyPressEvent(event)
