"""The intake form with scans: docs/screenshots/intake-scans-1366x768.png.

A scan folder with three new scans (a two-page PDF, a PNG, a JPEG), the PDF assigned to the first
paper, the second paper only shown (with its reason). Run with QT_QPA_PLATFORM=offscreen.
"""

from __future__ import annotations

import io
import sys
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

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    for words in ("Don de nghi - trang 1", "Don de nghi - trang 2"):
        c.drawString(72, 720, words)
        c.showPage()
    c.save()
    (folder / "scan_0001.pdf").write_bytes(buffer.getvalue())
    for name, kind, colour in (
        ("scan_0002.png", "PNG", "#f4f1e8"),
        ("IMG_0417.jpg", "JPEG", "#e8eef4"),
    ):
        image = Image.new("RGB", (210, 297), colour)
        draw = ImageDraw.Draw(image)
        for y in range(30, 280, 14):
            draw.line((20, y, 190, y), fill="#8a8a8a", width=2)
        out = io.BytesIO()
        image.save(out, format=kind)
        (folder / name).write_bytes(out.getvalue())


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
        watcher = form.scans.watcher
        assert watcher is not None
        watcher.look()  # the second look finds the files settled
        panel, model = form.scans, form.documents.model
        pdf = next(p for p in panel._items() if p.endswith(".pdf"))
        panel.assign(0, [Path(pdf)])
        form.documents.table.setCurrentIndex(model.index(1, 0))
        model.set_answer(1, LineState.SHOWN_ONLY, "Bản chính, đã đối chiếu và trả lại")
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
