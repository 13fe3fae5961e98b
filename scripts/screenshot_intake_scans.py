"""The intake form with scans: docs/screenshots/intake-scans-1366x768.png.

A scan folder with four new scans (a two-page PDF, a PNG, a JPEG and a one-page PDF), listed and
drawn small on the scan reader's thread as the window does; the first PDF assigned to the first
paper, the second paper only shown (with its reason). Run with QT_QPA_PLATFORM=offscreen.
"""

from __future__ import annotations

import io
import sys
import time
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 3, 12, 10, 30)

# The new strings' Vietnamese until the lead merges them into desk_vi.ts (context, English).
VI = {
    ("ScanPanel", "Scans"): "Bản quét",
    ("ScanPanel", "Double-click a scan (or press Enter) to assign it to the current paper"): (
        "Nhấp đúp vào bản quét (hoặc nhấn Enter) để gán vào giấy tờ đang chọn"
    ),
    ("ScanPanel", "Assign to paper"): "Gán vào dòng",
    ("ScanPanel", "Choose files…"): "Chọn tệp…",
    ("ScanPanel", "Remove scans"): "Gỡ bản quét",
    ("ScanPanel", "Take the scans off the current paper"): "Gỡ các bản quét khỏi giấy tờ đang chọn",
    ("ScanPanel", "Scanned now"): "Quét ngay",
    ("ScanPanel", "Scan later"): "Số hóa sau",
    ("ScanPanel", "Shown only, handed back"): "Chỉ xuất trình, trả lại ngay",
    ("ScanPanel", "Produced during processing"): "Hình thành trong quá trình giải quyết",
    ("ScanPanel", "Confidential"): "Tài liệu mật",
    ("ScanPanel", "Reason (required when not scanned)"): "Lý do (bắt buộc khi không số hóa)",
    ("ScanPanel", "Scan the rest later"): "Còn lại: số hóa sau",
    ("ScanPanel", "Every received paper still without a scan or a reason: scan later"): (
        "Mọi giấy tờ đã nhận chưa có bản quét hay lý do: số hóa sau"
    ),
    ("ScanPanel", "New scans from {0}"): "Bản quét mới từ {0}",
    ("ScanPanel", "Files can also be dropped here or chosen."): (
        "Cũng có thể kéo thả tệp vào đây hoặc chọn tệp."
    ),
    (
        "ScanPanel",
        "Drop scans here or choose files. A scan folder (Settings › This computer) lists the "
        "scanner's new files by itself.",
    ): (
        "Kéo thả bản quét vào đây hoặc chọn tệp. Đặt thư mục quét (Cài đặt › Máy này) để các "
        "tệp mới của máy quét tự hiện ra."
    ),
    ("ScanPanel", "No paper to scan: choose a procedure first."): (
        "Chưa có giấy tờ để quét: hãy chọn thủ tục trước."
    ),
    ("ScanPanel", "Paper {0}: {1}"): "Giấy tờ {0}: {1}",
    ("ScanPanel", "unreadable"): "không đọc được",
    ("ScanPanel", "%n page(s)"): "%n trang",
    ("ScanPanel", "→ paper {0}"): "→ giấy tờ {0}",
    (
        "ScanPanel",
        "Double-click a scan (or press Enter) to assign it to the current paper; Delete takes it "
        "off the list",
    ): (
        "Nhấp đúp vào bản quét (hoặc nhấn Enter) để gán vào giấy tờ đang chọn; phím Delete gỡ "
        "bản quét khỏi danh sách"
    ),
    ("ScanPanel", "Remove from the list"): "Gỡ khỏi danh sách",
    ("ScanPanel", "{0} is on paper {1}: take it off the paper first."): (
        "{0} đang gắn với giấy tờ {1}: hãy gỡ khỏi giấy tờ đó trước."
    ),
    ("DocumentsModel", "Scan"): "Bản quét",
    ("DocumentsModel", "Scan later"): "Số hóa sau",
    ("DocumentsModel", "Not scanned: shown only"): "Không số hóa: chỉ xuất trình",
    ("DocumentsModel", "Not scanned: produced in processing"): (
        "Không số hóa: hình thành khi giải quyết"
    ),
    ("DocumentsModel", "Not scanned: confidential"): "Không số hóa: tài liệu mật",
    ("DocumentsModel", "Unreadable scan"): "Bản quét không đọc được",
    ("DocumentsModel", "Counting pages…"): "Đang đếm trang…",
    ("DocumentsModel", "%n page(s)"): "%n trang",
    ("DocumentsModel", "Submitted online"): "Nộp trực tuyến",
    ("DocumentsModel", "To scan"): "Chưa quét",
}


def _vietnamese(app: object) -> object:
    from extra_vietnamese import install

    return install(app, VI)


def _scans(folder: Path) -> None:
    from PIL import Image, ImageDraw
    from reportlab.pdfgen import canvas

    def form_pdf(name: str, pages: int, title: str) -> None:
        buffer = io.BytesIO()
        c = canvas.Canvas(buffer)
        for page in range(pages):
            c.setFont("Helvetica-Bold", 26)
            c.drawCentredString(297, 760, title)
            c.setFont("Helvetica", 11)
            for row in range(34):  # the lines of a filled form, dark enough to show small
                c.setLineWidth(2)
                c.line(72, 700 - row * 18, 523 - (row % 3) * 60, 700 - row * 18)
            c.setFillGray(0.25)
            c.rect(380, 80, 140, 60, fill=1, stroke=0)  # a stamp and signature block
            c.drawString(72, 60, f"Trang {page + 1}")
            c.showPage()
        c.save()
        (folder / name).write_bytes(buffer.getvalue())

    form_pdf("scan_0001.pdf", 2, "DON DE NGHI")
    for name, kind, colour in (
        ("scan_0002.png", "PNG", "#f4f1e8"),
        ("IMG_0417.jpg", "JPEG", "#e8eef4"),
    ):
        image = Image.new("RGB", (210, 297), colour)
        draw = ImageDraw.Draw(image)
        for y in range(30, 280, 14):
            draw.line((20, y, 190, y), fill="#8a8a8a", width=2)
        draw.rectangle((20, 20, 190, 60), fill="#c0392b" if kind == "PNG" else "#2c5aa0")
        out = io.BytesIO()
        image.save(out, format=kind)
        (folder / name).write_bytes(out.getvalue())
    form_pdf("scan_0004.pdf", 1, "GIAY CHUNG NHAN")


def main() -> int:
    from PySide6.QtCore import QSize, Qt

    from desk_app.domain.digitising import LineState
    from desk_app.ui.app import make_application
    from desk_app.ui.bus import ChangeBus
    from desk_app.ui.context import UiContext
    from desk_app.ui.intake import IntakeDialog
    from desk_app.ui.ops import OpRunner
    from desk_app.ui.prefs import Prefs
    from tests.desk_setup import DEMO_ADMIN, DEMO_PASSWORD, desk_at, sign_in

    out = ROOT / "docs" / "screenshots" / "intake-scans-1366x768.png"
    with TemporaryDirectory() as tmp:
        folder = Path(tmp) / "scanner"
        folder.mkdir()
        _scans(folder)
        prefs = Prefs(Path(tmp) / "prefs.ini")
        prefs.scan_folder = folder
        app = make_application([sys.argv[0]], prefs)
        keep = _vietnamese(app)  # noqa: F841 (kept alive while the dialog is built)
        db = desk_at(Path(tmp) / "db" / "desk.sqlite3", staff=[DEMO_ADMIN], password=DEMO_PASSWORD)
        actor = sign_in(db, "quantri", DEMO_PASSWORD)
        ctx = UiContext(
            db=db, actor=actor, runner=OpRunner(synchronous=True), bus=ChangeBus(),
            prefs=prefs, clock=lambda: NOW,
        )  # fmt: skip
        dialog = IntakeDialog(ctx)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        dialog.resize(dialog.size().boundedTo(QSize(1366, 768 - 60)))
        dialog.show()
        form = dialog.form
        form.procedure.choose("1.001029")
        form.name.setText("Lương Thị Thu Hằng")
        form.id_number.setText("020190001234")
        form.birth_year.setText("1990")
        form.phone.setText("0912 345 678")
        form.email.setText("hang.lt@example.com")
        form.address.setText("Số 12 đường Lê Lợi, phường Vĩnh Trại, thành phố Lạng Sơn")
        panel, model = form.scans, form.documents.model
        deadline = time.monotonic() + 20
        while len(model.pages) < 4 or panel.reader.busy:  # listed, counted and drawn
            if time.monotonic() > deadline:
                raise SystemExit("the scans did not arrive")
            app.processEvents()
            time.sleep(0.02)
        pdf = next(p for p in panel._items() if p.endswith("scan_0001.pdf"))
        panel.assign(0, [Path(pdf)])
        form.documents.table.setCurrentIndex(model.index(1, 0))
        model.set_answer(1, LineState.SHOWN_ONLY, "Bản chính, đã đối chiếu và trả lại")
        for _ in range(5):
            app.processEvents()
        # The form grows as it is filled; the screen is 768 pixels high with a task bar.
        dialog.resize(dialog.size().boundedTo(QSize(1366, 768 - 60)))
        for _ in range(5):
            app.processEvents()
        dialog.grab().save(str(out))
        print(f"wrote {out}")
        dialog.discard_draft()
        dialog.hide()
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
