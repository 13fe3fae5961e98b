"""The file panel's Scans tab with the page viewer: docs/screenshots/file-scans-viewer.png.

One file of a small register: its application scanned (a two-page PDF), the second paper to scan
later, and its result back from the agency, still to scan; the main window at 1366×768 on the
"Chờ số hóa" queue. Run with QT_QPA_PLATFORM=offscreen.
"""

from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RECEIVED = datetime(2026, 3, 9, 9, 20)
SETTLED = datetime(2026, 3, 11, 15, 0)
NOW = datetime(2026, 3, 12, 10, 30)

# The new strings' Vietnamese until the lead merges them into desk_vi.ts (context, English).
VI = {
    ("FileDetail", "Scans"): "Số hóa",
    ("FileDetail", "Pauses"): "Tạm dừng",
    ("ScanLinesModel", "Paper"): "Giấy tờ",
    ("ScanLinesModel", "State"): "Tình trạng",
    ("ScanLinesModel", "Pages"): "Trang",
    ("ScanLinesModel", "To scan"): "Chờ số hóa",
    ("ScanLinesTab", "Attach scans…"): "Đính kèm bản quét…",
    ("ScanLinesTab", "No scan / later…"): "Không quét / quét sau…",
    ("ScanLinesTab", "or drop files here"): "hoặc kéo thả tệp vào đây",
    ("PageViewer", "Fit"): "Vừa khung",
    ("PageViewer", "↺ Left"): "↺ Trái",
    ("PageViewer", "↻ Right"): "↻ Phải",
    ("PageViewer", "Remove"): "Gỡ trang",
    ("PageViewer", "Page {0} of {1}"): "Trang {0}/{1}",
}


def _vietnamese(app: object) -> object:
    from extra_vietnamese import install

    return install(app, VI)


def scanned_application() -> bytes:
    """A two-page application form as a scanner makes it: the bundled font, a grey paper."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    fonts = sorted((ROOT / "resources" / "fonts").glob("*.ttf"))
    regular = next((f for f in fonts if "Bold" not in f.name), fonts[0])
    bold = next((f for f in fonts if "Bold" in f.name), regular)
    pdfmetrics.registerFont(TTFont("Scan", str(regular)))
    pdfmetrics.registerFont(TTFont("ScanBold", str(bold)))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    for page in (1, 2):
        c.setFillColorRGB(0.97, 0.96, 0.93)
        c.rect(0, 0, width, height, stroke=0, fill=1)
        c.setFillColorRGB(0.1, 0.1, 0.1)
        c.setFont("ScanBold", 12)
        c.drawCentredString(width / 2, height - 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        c.setFont("ScanBold", 11)
        c.drawCentredString(width / 2, height - 76, "Độc lập - Tự do - Hạnh phúc")
        c.setFont("ScanBold", 14)
        c.drawCentredString(width / 2, height - 130, "ĐƠN ĐỀ NGHỊ")
        c.setFont("ScanBold", 12)
        c.drawCentredString(
            width / 2, height - 148, "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke"
        )
        c.setFont("Scan", 11)
        lines = [
            "Kính gửi: Sở Văn hóa, Thể thao và Du lịch tỉnh Lạng Sơn",
            "1. Tên doanh nghiệp: Công ty TNHH Giải trí Hoàng Sơn",
            "2. Địa chỉ trụ sở: Số 45 đường Bà Triệu, phường Đông Kinh",
            "3. Điện thoại: 0205 3812 456",
            "4. Mã số doanh nghiệp: 4900123456",
            "5. Người đại diện theo pháp luật: Lương Thị Thu Hằng",
            "6. Địa điểm kinh doanh: Số 45 đường Bà Triệu, phường Đông Kinh",
            "7. Số lượng phòng hát: 06 phòng, diện tích mỗi phòng từ 20 m² trở lên",
        ]
        if page == 2:
            lines = [
                "Cam kết:",
                "- Chịu trách nhiệm về tính chính xác của nội dung đơn;",
                "- Thực hiện đúng các quy định của pháp luật về kinh doanh dịch vụ karaoke.",
                "",
                "Lạng Sơn, ngày 09 tháng 3 năm 2026",
                "NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT",
                "(ký, ghi rõ họ tên)",
                "",
                "Lương Thị Thu Hằng",
            ]
        for i, text in enumerate(lines):
            c.drawString(72, height - 200 - i * 24, text)
        c.setFont("Scan", 9)
        c.drawCentredString(width / 2, 40, f"Trang {page}/2")
        c.showPage()
    c.save()
    return buffer.getvalue()


def main() -> int:
    from desk_app.domain.digitising import LineState
    from desk_app.services import digitise, intake, lifecycle
    from desk_app.services.browse import ListQueue
    from desk_app.services.lifecycle import MoveInput
    from desk_app.ui.app import make_application
    from desk_app.ui.bus import ChangeBus
    from desk_app.ui.context import UiContext
    from desk_app.ui.main_window import MainWindow
    from desk_app.ui.ops import OpRunner
    from desk_app.ui.prefs import Prefs
    from tests.desk_setup import DEMO_ADMIN, DEMO_PASSWORD, desk_at, sign_in

    out = ROOT / "docs" / "screenshots" / "file-scans-viewer.png"
    with TemporaryDirectory() as tmp:
        prefs = Prefs(Path(tmp) / "prefs.ini")
        app = make_application([sys.argv[0]], prefs)
        keep = _vietnamese(app)  # noqa: F841 (kept alive while the window is built)
        db = desk_at(Path(tmp) / "db" / "desk.sqlite3", staff=[DEMO_ADMIN], password=DEMO_PASSWORD)
        actor = sign_in(db, "quantri", DEMO_PASSWORD)
        data = intake.IntakeInput(
            procedure="1.001029",
            applicant=intake.ApplicantInput(
                name="Lương Thị Thu Hằng", id_number="020190001234", phone="0912345678"
            ),
            received_at=RECEIVED,
        )
        with db.writer.begin() as s:
            code = intake.accept_file(s, data, actor, now=RECEIVED).code
            digitise.open_lines(s, code, actor, RECEIVED)
            digitise.attach(s, code, [(scanned_application(), "scan_0001.pdf")], actor, RECEIVED)
            digitise.set_state(
                s, code, LineState.SHOWN_ONLY, actor, RECEIVED, line=1,
                reason="Bản chính, đã đối chiếu và trả lại ngay",
            )  # fmt: skip
            lifecycle.record_result(s, MoveInput(code, at=SETTLED), actor, now=SETTLED)
        ctx = UiContext(
            db=db, actor=actor, runner=OpRunner(synchronous=True), bus=ChangeBus(),
            prefs=prefs, clock=lambda: NOW,
        )  # fmt: skip
        window = MainWindow(ctx)
        window.show()
        window.resize(1366, 768)
        window.queues.select(ListQueue.TO_DIGITISE)
        window.table.selectRow(0)
        for _ in range(5):
            app.processEvents()
        detail = window.detail
        detail.tabs.setCurrentWidget(detail.scans)
        for _ in range(10):
            app.processEvents()
        detail.scans.viewer.show_page(0)
        for _ in range(5):
            app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(out))
        print(f"wrote {out}")
        window.close()
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
