"""An import in its own process, for the probes of test_import_batches.py.

Run as `python import_process.py DB CSV CHUNK_ROWS` (DB: the SQLite file's path or the centre's
PostgreSQL URL): imports the CSV as the admin command line
would, CHUNK_ROWS rows per write transaction, at a pinned "now". Prints `done N` when the
batch has committed; a refused row prints `refused MESSAGE`.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from desk_app.errors import DeskError
from desk_app.services.bulk import parse_import
from desk_app.services.context import COMMAND_LINE
from desk_app.services.import_batches import run_import
from desk_app.store.engine import open_database

NOW = datetime(2026, 3, 3, 17, 0)


def main(db_target: str, csv_path: str, chunk_rows: str) -> int:
    db = open_database(db_target, migrate=False)
    try:
        where, rows = parse_import(Path(csv_path))
        try:
            views = run_import(
                db,
                rows,
                COMMAND_LINE,
                source=Path(csv_path).name,
                where=where,
                now=NOW,
                chunk_rows=int(chunk_rows),
            )
        except DeskError as exc:
            print(f"refused {exc.message}", flush=True)
            return 2
        print(f"done {len(views)}", flush=True)
        return 0
    finally:
        db.dispose()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
