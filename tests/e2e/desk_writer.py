"""A counter PC in its own process for the backup probes: accepts files in a loop on one database.

Run as `python desk_writer.py DB STOP_FILE`. Each file is printed (`ok NAME`, its applicant's
name, unique in the run even when a restore makes the desk hand out a code again) only after its
transaction has committed; a save the database refused prints `refused REASON`. The loop ends
when STOP_FILE exists.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from desk_app.services import intake, users
from desk_app.services.context import load_context
from desk_app.store.engine import open_database

NOW = datetime(2026, 3, 2, 10, 0)


def main(db_path: str, stop_file: str) -> int:
    db = open_database(Path(db_path), migrate=False)
    stop = Path(stop_file)
    try:
        with db.writer.begin() as s:
            actor = users.sign_in(s, "canbo", "matkhau123", now=NOW)
        with db.reader.begin() as s:
            load_context(s)
        i = 0
        while not stop.exists():
            i += 1
            data = intake.IntakeInput(
                procedure="1.001029",
                applicant=intake.ApplicantInput(name=f"Người nộp số {i}"),
            )
            try:
                with db.writer.begin() as s:
                    intake.accept_file(s, data, actor, now=NOW)
            except Exception as exc:  # a refusal (DeskError, a busy database) is a result here
                print(f"refused {type(exc).__name__}: {exc}".replace("\n", " "), flush=True)
                continue
            print(f"ok {data.applicant.name}", flush=True)
    finally:
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
