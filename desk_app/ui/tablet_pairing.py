"""Pairing the rating tablet with this counter (issue 16): the page's address and its QR code, a
one-use code for the tablet to type, and unpairing.

The code is made when the dialog opens and on "New code"; it works for a few minutes
(counter_web.counter.CODE_TTL), once. The dialog says when the tablet has paired, and when the
code has run out (expired, or burnt by wrong tries).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.printing.barcodes import qr_symbol
from desk_app.ui.rating_tablet import RatingTablet

QR_MODULE_PX = 5
QR_QUIET = 4  # modules of white around the symbol


def qr_pixmap(text: str, module: int = QR_MODULE_PX) -> QPixmap:
    """`text` as a QR code drawn `module` pixels a module, with its quiet zone."""
    symbol = qr_symbol(text, "M", 1)
    side = (symbol.modules + 2 * QR_QUIET) * module
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    for run in symbol.runs:
        painter.drawRect(
            QRectF(
                (run.column + QR_QUIET) * module,
                (run.row + QR_QUIET) * module,
                run.length * module,
                module,
            )
        )
    painter.end()
    return QPixmap.fromImage(image)


def _big(name: str, size: int, bold: bool = True) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = label.font()
    font.setPointSize(size)
    font.setBold(bold)
    label.setFont(font)
    return label


class TabletPairingDialog(QDialog):
    """Shows how to pair the tablet, the code, and the tablet's state; unpairs it."""

    def __init__(self, tablet: RatingTablet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tablet = tablet
        self._expires = ""
        self.setObjectName("tabletPairingDialog")
        self.setWindowTitle(self.tr("Rating tablet"))

        # Widgets.
        self.off_note = QLabel(
            self.tr(
                "The rating page for a tablet is off on this computer. An administrator turns "
                "it on in Settings › This computer."
            )
        )
        self.off_note.setObjectName("offNote")
        self.off_note.setWordWrap(True)
        self.open_label = QLabel(self.tr("1. On the tablet (same network), open:"))
        self.url_label = _big("pageAddress", 16)
        self.qr_label = QLabel()
        self.qr_label.setObjectName("pageQr")
        self.type_label = QLabel(self.tr("2. Type this code on the tablet:"))
        self.code_label = _big("pairingCode", 36)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.expiry_label = QLabel()
        self.expiry_label.setObjectName("codeExpiry")
        self.status_label = _big("tabletStatus", 12)
        self.new_code_button = QPushButton(self.tr("New code"))
        self.new_code_button.setObjectName("newCode")
        self.unpair_button = QPushButton(self.tr("Unpair the tablet"))
        self.unpair_button.setObjectName("unpairTablet")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)

        # Layout.
        steps = QVBoxLayout()
        steps.addWidget(self.open_label)
        steps.addWidget(self.url_label)
        steps.addSpacing(12)
        steps.addWidget(self.type_label)
        steps.addWidget(self.code_label)
        steps.addWidget(self.expiry_label)
        steps.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(steps, 1)
        top.addWidget(self.qr_label, 0, Qt.AlignmentFlag.AlignTop)
        row = QHBoxLayout()
        row.addWidget(self.new_code_button)
        row.addWidget(self.unpair_button)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.off_note)
        lay.addLayout(top)
        lay.addWidget(self.status_label)
        lay.addLayout(row)
        lay.addWidget(buttons)

        # Signals.
        buttons.rejected.connect(self.reject)
        self.new_code_button.clicked.connect(self._on_new_code_clicked)
        self.unpair_button.clicked.connect(self._on_unpair_clicked)
        tablet.changed.connect(self._on_tablet_changed)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._on_timer_timeout)

        # State.
        self._shown_url = ""
        if tablet.running and not tablet.paired:
            self._on_new_code_clicked()
        self._refresh()
        self._timer.start()

    def _refresh(self) -> None:
        running, paired = self.tablet.running, self.tablet.paired
        self.off_note.setVisible(not running)
        if self.tablet.error:
            self.off_note.setText(self.tablet.error)
        for widget in (self.open_label, self.url_label, self.qr_label, self.new_code_button):
            widget.setVisible(running)
        url = self.tablet.url
        self.url_label.setText(url)
        if url and url != self._shown_url:
            self.qr_label.setPixmap(qr_pixmap(url))
            self._shown_url = url
        live = self.tablet.state.live_code() if self.tablet.state is not None else None
        for widget in (self.type_label, self.code_label, self.expiry_label):
            widget.setVisible(running and not paired)
        if live is not None:
            code = live.code
            self.code_label.setText(f"{code[:3]} {code[3:]}")
            left = int((live.expires_at - self.tablet.ctx.now()).total_seconds())
            self.expiry_label.setText(
                self.tr("Valid until {0} ({1}:{2:02d} left), once.").format(
                    live.expires_at.strftime("%H:%M"), max(left, 0) // 60, max(left, 0) % 60
                )
            )
        else:
            self.code_label.setText("— — —")
            self.expiry_label.setText(
                self.tr("The code has expired or was used. Press New code for another.")
            )
        self.unpair_button.setEnabled(paired)
        if not running:
            self.status_label.setText("")
        elif paired:
            self.status_label.setText(
                self.tr("A tablet is paired with this counter: it asks after each service.")
            )
        else:
            self.status_label.setText(self.tr("No tablet is paired with this counter."))

    def _on_new_code_clicked(self) -> None:
        self.tablet.new_code()
        self._refresh()

    def _on_unpair_clicked(self) -> None:
        self.tablet.unpair()
        self._on_new_code_clicked()

    def _on_tablet_changed(self) -> None:
        self._refresh()

    def _on_timer_timeout(self) -> None:
        self._refresh()
