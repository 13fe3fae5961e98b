"""Asks what a supplement request at the counter says: the papers to bring and the reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class SupplementRequestDialog(QDialog):
    """One paper per line (pre-filled with the unticked ones) and a required reason."""

    def __init__(self, missing: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supplement_request_dialog")
        self.setWindowTitle(self.tr("Request supplement"))
        self.setMinimumWidth(560)
        intro = QLabel(
            self.tr(
                "The file is not accepted. The applicant receives a supplement request listing "
                "what to bring or correct."
            )
        )
        intro.setWordWrap(True)
        self.items = QPlainTextEdit("\n".join(missing))
        self.items.setObjectName("supplement_items")
        self.items.setTabChangesFocus(True)
        self.items.setPlaceholderText(self.tr("One document or correction per line"))
        self.reason = QLineEdit()
        self.reason.setObjectName("supplement_reason")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Print request"))
        ok.setObjectName("supplement_ok")
        ok.setEnabled(False)

        form = QFormLayout()
        form.addRow(self.tr("Documents to bring or correct"), self.items)
        form.addRow(self.tr("Reason (required)"), self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.reason.textChanged.connect(self._on_reason_text_changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.setFocus()

    def _on_reason_text_changed(self, text: str) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip()))

    def result_items(self) -> list[str]:
        return [line.strip() for line in self.items.toPlainText().splitlines() if line.strip()]


def ask_supplement(parent: QWidget | None, missing: list[str]) -> tuple[str, list[str]] | None:
    """(reason, papers) as typed, or None when the officer cancels."""
    dialog = SupplementRequestDialog(missing, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.reason.text().strip(), dialog.result_items()
    finally:
        dialog.deleteLater()
