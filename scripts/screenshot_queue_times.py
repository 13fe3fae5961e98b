"""The supervisor's Queue tab and Settings › Queue at 1366x768, in Vietnamese with the bundled
font (docs/screenshots/queue-times-1366x768.png, queue-groups-settings-1366x768.png), and the
queue report's PDF (docs/screenshots/queue-times-pdf.png, rendered with pdftoppm at 80 dpi).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_queue_times.py

A week of a hall is simulated (seeded): three groups, tickets arriving through the morning, three
counters calling them. The pages' strings not yet in resources/translations/desk_vi.ts are given
here (EXTRA); they are the translations proposed for the lead to merge.
"""

from __future__ import annotations

import argparse
import heapq
import random
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

NOW = datetime(2026, 3, 9, 10, 0)
PASSWORD = "matkhau123"
EXTRA = {
    "SupervisorWindow": {"Queue": "Hàng đợi"},
    "SettingsDialog": {"Queue": "Hàng đợi"},
    "QueueView": {
        "Count the tickets of the period (Enter)": "Tổng hợp số thứ tự đã cấp trong kỳ (Enter)",
        "Tickets issued or called since this was computed; press Compute to refresh.": (
            "Có số thứ tự được cấp hoặc gọi sau lần tổng hợp này; bấm Tổng hợp để cập nhật."
        ),
        "Save the queue's figures as a PDF file": "Lưu số liệu hàng đợi thành tệp PDF",
        "Save the queue's figures as an Excel workbook": "Lưu số liệu hàng đợi thành tệp Excel",
        "Mean minutes by group": "Số phút trung bình theo nhóm",
        "From {0} to {1}": "Từ {0} đến {1}",
        "No ticket was issued in this period.": "Không có số thứ tự nào được cấp trong kỳ.",
        (
            "{0} tickets issued, {1} served, {2} skipped, {3} not called; "
            "mean wait {4} min, mean service {5} min."
        ): (
            "{0} số đã cấp, {1} đã phục vụ, {2} bỏ qua, {3} không được gọi; "
            "chờ trung bình {4} phút, phục vụ trung bình {5} phút."
        ),
        "The chart shows the {0} groups with the most tickets.": (
            "Biểu đồ thể hiện {0} nhóm có nhiều số thứ tự nhất."
        ),
        "Waiting": "Chờ",
        "Service": "Phục vụ",
        "Save the queue's figures as PDF": "Lưu số liệu hàng đợi thành PDF",
        "Save the queue's figures as Excel": "Lưu số liệu hàng đợi thành Excel",
    },
    "QueueModel": {
        "Group / officer": "Nhóm dịch vụ / cán bộ",
        "Issued": "Đã cấp",
        "Served": "Đã phục vụ",
        "Skipped": "Bỏ qua",
        "Wait, mean (min)": "Chờ TB (phút)",
        "Wait, p90 (min)": "Chờ P90 (phút)",
        "Service, mean (min)": "Phục vụ TB (phút)",
        "Service, p90 (min)": "Phục vụ P90 (phút)",
        "Total": "Tổng cộng",
        "From the ticket's issue to its call by a counter": "Từ lúc cấp số đến lúc quầy gọi số",
        "From the call to the next call or the file saved (skipped tickets left out)": (
            "Từ lúc gọi số đến lần gọi số tiếp hoặc lúc lưu hồ sơ (không tính số bị bỏ qua)"
        ),
        "Nine tickets in ten took no longer than this": "90% số lượt không quá số phút này",
        "Counted per group: a ticket is nobody's until called": (
            "Tính theo nhóm: số thứ tự chưa thuộc cán bộ nào cho đến khi được gọi"
        ),
    },
    "GroupDialog": {
        "New service group": "Thêm nhóm dịch vụ",
        "Rename": "Đổi tên nhóm",
        "e.g. B": "ví dụ B",
        "The letter is printed on the group's tickets.": (
            "Ký hiệu được in trên số thứ tự của nhóm."
        ),
        "e.g. Civil status, certification": "ví dụ Hộ tịch, chứng thực",
        "Letter": "Ký hiệu",
        "Name": "Tên nhóm",
        (
            "Tickets are numbered per group and day: B001, B002… The letter is unique among "
            "the agency's groups that issue tickets; a retired group's letter can be used "
            "again from the day after its last ticket."
        ): (
            "Số thứ tự đánh theo nhóm và ngày: B001, B002… Ký hiệu không trùng với nhóm đang "
            "cấp số của cơ quan; ký hiệu của nhóm đã ngừng được dùng lại từ ngày sau ngày nhóm "
            "cấp số lần cuối."
        ),
    },
    "GroupsTab": {
        (
            "The hall's queue: applicants take a ticket for a group, and each counter calls "
            "the groups it serves (chosen on the counter's ticket menu)."
        ): (
            "Hàng đợi tại sảnh: người dân lấy số theo nhóm dịch vụ, mỗi quầy gọi số của các "
            "nhóm quầy phục vụ (chọn trong trình đơn số thứ tự của quầy)."
        ),
        "Letter": "Ký hiệu",
        "Name": "Tên nhóm",
        "State": "Tình trạng",
        "Tickets issued": "Số đã cấp",
        "Last ticket": "Cấp lần cuối",
        "Add group…": "Thêm nhóm…",
        "Rename…": "Đổi tên…",
        "Retire": "Ngừng cấp số",
        "Reopen": "Mở lại",
        "The group issues no more tickets; its tickets and times are kept.": (
            "Nhóm không cấp số mới; các số đã cấp và thời gian vẫn được giữ."
        ),
        "Issuing": "Đang cấp số",
        "Retired": "Đã ngừng",
        "Group {0} added.": "Đã thêm nhóm {0}.",
        "Group {0} renamed.": "Đã đổi tên nhóm {0}.",
        "Group {0} retired: it issues no more tickets; its history is kept.": (
            "Đã ngừng nhóm {0}: không cấp số mới; các số đã cấp vẫn được giữ."
        ),
        "Group {0} issues tickets again.": "Nhóm {0} cấp số trở lại.",
    },
}


def simulate(db: object, actors: list[object], days: list[date], seed: int = 16) -> None:
    """A hall's mornings: each group's tickets arrive at random through 07:30-11:00; each
    counter calls the oldest ticket of its groups, serves it a few minutes (sometimes the
    applicant is gone: skipped) and calls again."""
    from desk_app.services import tickets

    rng = random.Random(seed)
    with db.writer.begin() as s:  # type: ignore[attr-defined]
        groups = [g.id for g in tickets.groups(s)]
    served_by = [groups[:1], groups[:2], groups[1:]]  # counters 1-3
    service_mean = {groups[0]: 9.0, groups[1]: 14.0, groups[2]: 20.0}
    for day in days:
        start = datetime.combine(day, datetime.min.time()).replace(hour=7, minute=30)
        events: list[tuple[datetime, int, str, int]] = []
        n = 0
        for group, count in zip(groups, (34, 18, 9), strict=True):
            for _ in range(count + rng.randint(-4, 4)):
                n += 1
                at = start + timedelta(minutes=rng.uniform(0, 210))
                events.append((at.replace(microsecond=0), n, "issue", group))
        for counter in range(3):
            n += 1
            events.append((start + timedelta(minutes=5 + counter), n, "call", counter))
        heapq.heapify(events)
        close = start + timedelta(hours=4)
        while events:
            at, _n, kind, what = heapq.heappop(events)
            with db.writer.begin() as s:  # type: ignore[attr-defined]
                if kind == "issue":
                    tickets.issue_ticket(s, what, at)
                    continue
                actor = actors[what]
                called = tickets.call_next(s, actor, served_by[what], at)
                if called is None:
                    pause = timedelta(minutes=3)
                elif rng.random() < 0.06:
                    tickets.skip(s, called.id, actor, at + timedelta(minutes=1))
                    pause = timedelta(minutes=1)
                else:
                    minutes = max(2.0, rng.gauss(service_mean[called.group_id], 4))
                    pause = timedelta(minutes=round(minutes, 1))
            n += 1
            if at + pause < close or called is not None:  # the queue emptied after closing
                heapq.heappush(events, ((at + pause).replace(microsecond=0), n, "call", what))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()

    from screenshot_kit import demo_desk, pdf_png, saved, settle

    from desk_app.services import queue_exports, tickets
    from desk_app.ui.settings import SettingsDialog
    from desk_app.ui.supervisor_window import SupervisorWindow
    from tests.desk_setup import STAFF, sign_in

    args.out.mkdir(parents=True, exist_ok=True)
    with demo_desk(EXTRA, staff=STAFF, password=PASSWORD) as demo:
        db, app, tmp = demo.db, demo.app, demo.tmp
        admin = sign_in(db, "quantri", PASSWORD)
        actors = [
            replace(sign_in(db, user, PASSWORD), counter=f"Quầy {n}")
            for n, user in enumerate(("canbo", "lanhdao", "quantri"), start=1)
        ]
        first = date(2026, 3, 2)
        with db.writer.begin() as s:
            tickets.add_group(s, "B", "Hộ tịch, chứng thực", day=first, actor=admin)
            tickets.add_group(s, "C", "Đất đai, xây dựng", day=first, actor=admin)
        simulate(db, actors, [first + timedelta(days=i) for i in range(5)])
        with db.writer.begin() as s:
            old = tickets.add_group(s, "D", "Tư vấn pháp luật", day=first, actor=admin)
            tickets.retire_group(s, old.id, NOW, actor=admin)

        supervisor = sign_in(db, "lanhdao", PASSWORD)
        window = SupervisorWindow(demo.context(supervisor, NOW))
        window.resize(1366, 768)
        window.show()
        window.queue.set_dates(first, first + timedelta(days=4))
        window.tabs.setCurrentWidget(window.queue)
        settle(app)
        window.queue.compute()
        settle(app)
        saved(window.grab(), args.out / "queue-times-1366x768.png")
        report = window.queue.report
        assert report is not None
        with db.reader.begin() as s:
            (tmp / "queue.pdf").write_bytes(queue_exports.queue_pdf(s, report))
        window.close()

        settings = SettingsDialog(demo.context(admin, NOW), tab="queue")
        settings.resize(1366, 768)
        settings.show()
        assert settings.groups_tab is not None
        settings.groups_tab.select(old.id)
        settings.groups_tab.add_button.click()
        dialog = settings.groups_tab.dialog
        assert dialog is not None
        dialog.prefix.setText("B")
        dialog.name.setText("Hộ tịch")
        dialog.buttons.accepted.emit()  # refused: B is issuing; the reason beside the letter
        settle(app)
        # The dialog is a window of its own: drawn over the tab as a window manager would.
        from PySide6.QtGui import QColor, QPainter

        shot, over = settings.grab(), dialog.grab()
        painter = QPainter(shot)
        corner = shot.rect().center() - over.rect().center() + over.rect().topLeft()
        corner.setY(corner.y() + 120)
        painter.fillRect(over.rect().translated(corner).adjusted(-2, -2, 2, 2), QColor("#555"))
        painter.drawPixmap(corner, over)
        painter.end()
        saved(shot, args.out / "queue-groups-settings-1366x768.png")
        settings.close()
        pdf_png(tmp / "queue.pdf", args.out / "queue-times-pdf.png", 80)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
