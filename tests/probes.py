"""`make probe`: the crash and concurrent-writer probes with large numbers, and their figures.

Run: python -m tests.probes --kills 100 --writers 5 [--files-each 50] [--seed 17] [--keep DIR]
The same probes run small in `make test` (tests/e2e/test_crash_probe.py). Exits 1 when a
probe found a problem, after printing the first ones.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from tests.e2e.crash_probe import KillFigures, kill_probe, make_desk, writers_probe


def _progress(done: int, figures: KillFigures) -> None:
    if done % 10 == 0:
        print(
            f"  {done} kills, {figures.steps_reported} steps reported, {figures.files} files, "
            f"{len(figures.problems)} problems",
            file=sys.stderr,
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.probes", description=__doc__)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--writers", type=int, default=5)
    parser.add_argument("--files-each", type=int, default=50)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--max-delay", type=float, default=0.5, help="seconds, kill moment")
    parser.add_argument("--keep", type=Path, help="leave the databases in this folder")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="desk-probe-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        problems: list[str] = []

        crash_db = folder / "crash.sqlite3"
        make_desk(crash_db)
        started = time.perf_counter()
        kills = kill_probe(
            crash_db, args.kills, seed=args.seed, max_delay=args.max_delay, progress=_progress
        )
        kinds = ", ".join(f"{k} {n}" for k, n in kills.steps_by_kind.most_common())
        print(
            f"kill -9 during writes (seed {args.seed}, {time.perf_counter() - started:.0f} s):\n"
            f"  kills survived: {kills.kills} of {args.kills} (integrity_check ok and the "
            f"register whole after each: {kills.checks} checks)\n"
            f"  steps reported committed: {kills.steps_reported} ({kinds})\n"
            f"  in the register at the end: {kills.files} files, {kills.events} events "
            f"({kills.events - kills.steps_reported} committed, killed before reporting them)\n"
            f"  problems (lost steps, half-written files, numbering): {len(kills.problems)}"
        )
        problems += kills.problems

        writers_db = folder / "writers.sqlite3"
        make_desk(writers_db)
        together = writers_probe(writers_db, args.writers, args.files_each)
        print(
            f"{together.writers} writers at the same moment, {together.files_each} files each "
            f"({together.seconds:.1f} s):\n"
            f"  files saved: {together.saved}, in the register: {together.in_register}\n"
            f"  duplicate codes: {together.duplicate_codes}, duplicate register numbers: "
            f"{together.duplicate_register_numbers}\n"
            f"  errors (database is locked, crashes): {len(together.errors)}\n"
            f"  problems (gaps, half-written files): {len(together.problems)}"
        )
        problems += together.errors + together.problems

    for problem in problems[:20]:
        print(f"PROBLEM {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
