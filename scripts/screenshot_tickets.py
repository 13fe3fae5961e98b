"""The counter window with a called queue ticket on its status bar, at 1366x768, in Vietnamese
with the bundled font (docs/screenshots/queue-ticket-counter-1366x768.png), and the printed
ticket (docs/screenshots/queue-ticket-pdf.png, rendered with pdftoppm at 110 dpi).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_tickets.py

The bar's strings not yet in resources/translations/desk_vi.ts are given here (EXTRA).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

NOW = datetime(2026, 3, 2, 10, 0)
PASSWORD = "matkhau123"
EXTRA = {
    "TicketBar": {
        "Call next": "Gọi số tiếp",
        "Call the next number (F8)": "Gọi số tiếp theo (F8)",
        "Call again": "Gọi lại",
        "Skip (did not come)": "Bỏ qua (không có mặt)",
        "Issue a ticket": "Cấp số thứ tự",
        "Groups this counter calls": "Nhóm dịch vụ quầy này gọi",
        "Ticket {0}": "Số thứ tự {0}",
        "Serving {0}": "Đang phục vụ số {0}",
        "Nobody is waiting": "Không còn ai chờ",
        "No number called": "Chưa gọi số",
        "{0} waiting": "{0} người đang chờ",
    },
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()

    from screenshot_kit import demo_desk, pdf_png, saved, settle

    from desk_app.services import intake, tickets
    from desk_app.ui.main_window import MainWindow
    from tests.desk_setup import OFFICER, sign_in

    args.out.mkdir(parents=True, exist_ok=True)
    with demo_desk(EXTRA, staff=[OFFICER], password=PASSWORD) as demo:
        db = demo.db
        actor = replace(sign_in(db, "canbo", PASSWORD), counter="Quầy 3")
        with db.writer.begin() as s:
            for i in range(3):
                data = intake.IntakeInput(
                    procedure="1.001029",
                    applicant=intake.ApplicantInput(name=f"Người nộp {i + 1}"),
                    received_at=NOW - timedelta(minutes=50 - i),
                )
                intake.accept_file(s, data, actor, now=NOW - timedelta(minutes=50 - i))
            group = tickets.add_group(s, "B", "Văn hóa, gia đình, thể dục thể thao và du lịch")
            for i in range(9):
                ticket = tickets.issue_ticket(s, group.id, NOW - timedelta(minutes=40 - i))
            pdf = tickets.ticket_pdf(s, ticket)
        window = MainWindow(demo.context(actor, NOW))
        window.resize(1366, 768)
        window.show()
        for _ in range(3):
            window.ticket_bar.call_next()
        settle(demo.app)
        saved(window.grab(), args.out / "queue-ticket-counter-1366x768.png")
        window.close()
        (demo.tmp / "ticket.pdf").write_bytes(pdf)
        pdf_png(demo.tmp / "ticket.pdf", args.out / "queue-ticket-pdf.png", 110)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
