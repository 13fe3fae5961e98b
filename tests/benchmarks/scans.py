"""`make bench`: scans at the counter (Circular 03/2025) — a 20-page 300 dpi scan attached and the
file saved with it, and the storage a year of a busy desk would need, from measured page sizes.

Run alone: python -m tests.benchmarks.scans [--pages 20] [--runs 5]

The scan is made the way an office scanner makes one: each A4 page a 300 dpi greyscale picture
(2480×3508) of typed lines with a little noise, JPEG-compressed inside a PDF (PIL's PDF writer,
as most scanner software writes). The save is what the intake dialog's job does: `accept_file`
and `save_intake_scans` in one writer transaction, commit included, on a desk database of its
own (the scans' time does not depend on the register's size; the accept figures of the register
are `accept p50/p95`).
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from desk_app.services.context import Actor
from desk_app.services.intake import ApplicantInput, IntakeInput, accept_file
from desk_app.services.intake_scans import LinePlan, save_intake_scans
from desk_app.store.engine import Database
from desk_app.store.pages import pages_folder
from tests.desk_setup import OFFICER, desk_at, sign_in

A4_300DPI = (2480, 3508)
NOW = datetime(2026, 3, 2, 10, 0)
# What a year of a busy desk is, for the storage estimate: Đắk Lắk's provincial centre received
# 138,313 files in 2024 (issue 14); a busy department's desk a tenth of that. Papers a file
# brings, and pages a paper has, are a guess worth correcting with a desk's own figures.
CENTRE_FILES_A_YEAR = 138_313
DESK_FILES_A_YEAR = 14_000
PAGES_A_FILE = 8


_NOISE: list[object] = []


def _noise() -> object:
    """The sensor's noise, made once (it is the slow part of a page)."""
    from PIL import Image, ImageFilter

    if not _NOISE:
        noise = Image.effect_noise(A4_300DPI, 10).filter(ImageFilter.GaussianBlur(0.6))
        _NOISE.append(noise.point(lambda v: 200 + v // 5))
    return _NOISE[0]


def scanned_page(rng: random.Random, number: int) -> bytes:
    """One A4 page at 300 dpi as a scanner's JPEG: grey paper, dark typed lines, some noise."""
    from PIL import Image, ImageDraw

    width, height = A4_300DPI
    page = Image.new("L", (width, height), 238)
    draw = ImageDraw.Draw(page)
    draw.text((300, 200), f"TRANG {number}", fill=20)
    y = 420
    while y < height - 300:
        x = 300
        end = rng.randint(width // 2, width - 300)
        while x < end:  # words: short dark bars with gaps, like type at this size
            word = rng.randint(40, 220)
            draw.rectangle((x, y, min(x + word, end), y + 34), fill=rng.randint(15, 60))
            x += word + rng.randint(18, 30)
        y += rng.choice((62, 62, 62, 130))
    page = Image.blend(page, _noise(), 0.12)  # type: ignore[arg-type]
    out = io.BytesIO()
    page.save(out, format="JPEG", quality=75, dpi=(300, 300))
    return out.getvalue()


def scan_pdf(pages: int, seed: int = 2026) -> bytes:
    """A multi-page PDF of `pages` scanned pages, as a scanner writes it."""
    from PIL import Image

    rng = random.Random(seed)
    images = [Image.open(io.BytesIO(scanned_page(rng, i + 1))).convert("L") for i in range(pages)]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=300)
    return out.getvalue()


def _desk(folder: Path) -> tuple[Database, Actor]:
    db = desk_at(folder / "desk.sqlite3", staff=[OFFICER])
    return db, sign_in(db, "canbo")


def scan_figures(line: Callable[[str, str], None], pages: int = 20, runs: int = 5) -> None:
    """Print the scan figures through `line(name, value)` (the bench's own printer)."""
    with tempfile.TemporaryDirectory(prefix="desk-scan-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        pdf = scan_pdf(pages)
        made_ms = (time.perf_counter() - t0) * 1000
        scan = folder / "scan.pdf"
        scan.write_bytes(pdf)
        line(
            f"{pages}-page 300 dpi scan",
            f"{len(pdf) / 1e6:.1f} MB, {len(pdf) / pages / 1024:.0f} KB a page (made in "
            f"{made_ms:.0f} ms)",
        )
        db, officer = _desk(folder)
        times = []
        for i in range(runs):
            data = IntakeInput(
                procedure="1.001029", applicant=ApplicantInput(name=f"Người nộp {i}")
            )
            scan_i = folder / f"scan-{i}.pdf"  # a new scan each time: nothing stored already
            scan_i.write_bytes(scan_pdf(pages, seed=i) if i else pdf)
            t0 = time.perf_counter()
            with db.writer.begin() as s:
                view = accept_file(s, data, officer, now=NOW)
                plan = _answer_rest(s, view.code, [LinePlan(line=0, paths=(scan_i,))])
                lines = save_intake_scans(s, view.code, plan, officer, NOW)
            times.append((time.perf_counter() - t0) * 1000)
            assert lines[0].pages and len(lines[0].pages) == pages, lines[0]
        line(
            f"accept with a {pages}-page scan, saved",
            f"{statistics.median(times):.0f} ms (median of {runs}; max {max(times):.0f} ms)",
        )
        stored = sum(p.stat().st_size for p in pages_folder(db.path).rglob("*") if p.is_file())
        per_page = stored / (pages * runs)
        db.dispose()
    line("stored per scanned page", f"{per_page / 1024:.0f} KB")
    for who, files in (
        ("a busy desk", DESK_FILES_A_YEAR),
        ("a provincial centre", CENTRE_FILES_A_YEAR),
    ):
        need = files * PAGES_A_FILE * per_page
        line(
            f"scans a year, {who}",
            f"{need / 1e9:.0f} GB ({files:,} files × {PAGES_A_FILE} pages × "
            f"{per_page / 1024:.0f} KB)",
        )


def _answer_rest(session: object, code: str, plan: list[LinePlan]) -> list[LinePlan]:
    """The plan with every other paper of the file answered "scan later", as the officer's
    «Còn lại: số hóa sau» does."""
    from desk_app.domain.digitising import LineState
    from desk_app.services import digitise

    have = {p.line for p in plan}
    lines = digitise.file_lines(session, code)  # type: ignore[arg-type]
    rest = [
        LinePlan(line=v.line, state=LineState.SCAN_LATER)
        for v in lines
        if v.line not in have and v.kind == "document"
    ]
    return plan + rest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    def line(name: str, value: str) -> None:
        print(f"{name:<40} {value}")

    scan_figures(line, args.pages, args.runs)


if __name__ == "__main__":
    main()
