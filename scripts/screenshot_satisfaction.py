"""The supervisor's satisfaction page at 1366x768 on the pinned demo register with ratings:
docs/screenshots/satisfaction-1366x768.png (the first quarter of 2026, by officer).

The register is made as scripts/screenshot_index.py makes it (`main.py init`, then `main.py
demo --files 500 --seed 2026 --now 2026-03-12T10:30`); then most files received in the quarter
get a rating of their intake, given two minutes after it (levels drawn with a fixed seed, some
visits left unrated), through services/ratings.py as the applicant's screen gives them. Run
under Xvfb or with QT_QPA_PLATFORM=offscreen:

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_satisfaction.py

Strings not yet in resources/translations/desk_vi.ts can be given their Vietnamese with
--extra-ts FILE (a .ts holding them), as scripts/screenshot_centre.py does.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

NOW = datetime(2026, 3, 12, 10, 30)
QUARTER_START = datetime(2026, 1, 1)


def _rate(db_path: Path) -> int:
    """Rate the intake of most files received in the quarter; returns how many were rated."""
    from sqlalchemy import select

    from desk_app.services import ratings
    from desk_app.services.context import Actor
    from desk_app.store.engine import open_database
    from desk_app.store.models import FileRecord, User

    db = open_database(db_path)
    pick = random.Random(2026)
    levels = (ratings.Level.VERY_SATISFIED, ratings.Level.SATISFIED, ratings.Level.DISSATISFIED)
    rated = 0
    with db.writer.begin() as s:
        names = {u.id: u.full_name for u in s.scalars(select(User))}
        files = s.execute(
            select(FileRecord.code, FileRecord.officer_id, FileRecord.received_at)
            .where(FileRecord.received_at >= QUARTER_START, FileRecord.received_at <= NOW)
            .where(FileRecord.officer_id.is_not(None))
            .order_by(FileRecord.id)
        ).all()
        for n, (code, officer, received) in enumerate(files):
            # Each officer's applicants a little differently pleased, so that the groups differ.
            actor = Actor(int(officer), names[int(officer)], "officer")
            visit = ratings.open_visit(s, code, "accept", actor, received)
            if pick.random() < 0.15:
                continue  # the applicant walked away without rating
            weights = (55 + 5 * (int(officer) % 3), 35, 6 + 4 * (n % 2))
            level = pick.choices(levels, weights)[0]
            at = received + timedelta(minutes=2)
            ratings.record_rating(s, visit.token, level, [], "", at)
            rated += 1
    db.dispose()
    return rated


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--extra-ts", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--by", default="officer", choices=("officer", "procedure", "service"))
    args = parser.parse_args()

    from screenshot_index import HEIGHT, WIDTH, _make_register, shot, supervisor_window

    args.out.mkdir(parents=True, exist_ok=True)
    with TemporaryDirectory() as name:
        tmp = Path(name)
        _make_register(tmp / "desk.sqlite3", tmp)
        print(f"rated {_rate(tmp / 'desk.sqlite3')} visits")
        app, window, db = supervisor_window(tmp, args.extra_ts)
        page = window.satisfaction
        page.set_period("quarter", 2026, 1)
        page.set_group_by(args.by)
        window.tabs.setCurrentWidget(page)  # showing the page computes it
        suffix = "" if args.by == "officer" else f"-{args.by}"
        shot(app, window, args.out / f"satisfaction{suffix}-{WIDTH}x{HEIGHT}.png")
        window.close()
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
