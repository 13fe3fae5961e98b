"""The receipt's look-up key (issue 16): derived from the file code and the agency's secret,
the same at every reprint, printed in words and carried by the QR code's address."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from desk_app.printing.formset import load_form_set
from desk_app.printing.worker import RenderJob, render_form
from desk_app.services import desk, lookup_keys, printing
from desk_app.services.context import Actor, get_settings
from desk_app.services.printing import SlipKind
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import DeskSettings
from desk_app.sync.protocol import KEY_ALPHABET, key_hash
from tests.centre_data import JUSTICE, add_justice
from tests.unit.printing.test_qr import qr_codes, render, zbar

os.environ.setdefault("DESK_FORM_FONT", "bundled")
Accept = Callable[..., FileView]
RECEIVED = datetime(2026, 3, 2, 9, 15)
LOOKUP = "https://dichvucong.langson.gov.vn/tra-cuu"
KEY = re.compile(f"^[{KEY_ALPHABET}]{{8}}$")


def test_a_key_is_stable_and_differs_per_file_and_per_secret() -> None:
    secret, other = lookup_keys.new_secret(), lookup_keys.new_secret()
    code = "000.00.20.H37-260302-0001"
    key = lookup_keys.derive(secret, code)
    assert KEY.match(key) and lookup_keys.derive(secret, code) == key
    codes = [f"000.00.20.H37-260302-{n:04d}" for n in range(1, 201)]
    assert len({lookup_keys.derive(secret, c) for c in codes}) == 200
    assert lookup_keys.derive(other, code) != key
    printed = lookup_keys.printed(key)
    assert printed == f"{key[:4]}-{key[4:]}"
    # Typed back in any case, with a dash or a space, it hashes the same; the hash is not the key.
    assert key_hash(printed.lower()) == key_hash(f"{key[:4]} {key[4:]}") == key_hash(key)
    assert key not in key_hash(key).upper()


def test_each_agency_has_its_own_secret_kept_in_the_database(db: Database) -> None:
    add_justice(db)
    with db.writer.begin() as s:
        s.get(DeskSettings, JUSTICE).lookup_secret = ""  # type: ignore[union-attr]
    code = "000.00.20.H37-260302-0001"
    with db.writer.begin() as s:
        solo = lookup_keys.file_key(s, 1, code)
        justice = lookup_keys.file_key(s, JUSTICE, code)  # made on first use
    with db.reader.begin() as s:
        secrets = {r.id: r.lookup_secret for r in s.query(DeskSettings)}
        assert lookup_keys.file_key(s, JUSTICE, code) == justice
    assert solo != justice and len(secrets[1]) == len(secrets[JUSTICE]) == 64


@pytest.mark.sqlite_only
def test_the_receipt_prints_the_key_and_its_qr_code_carries_it(
    db: Database, officer: Actor, admin: Actor, accept: Accept, tmp_path: Path
) -> None:
    view = accept(received=RECEIVED, id_number="020190001234")
    with db.reader.begin() as s:
        plain = printing.receipt_data(s, view.code, issued_at=RECEIVED)
    assert plain.qr is not None and plain.qr.lookup_key == ""  # no look-up address, no key
    with db.writer.begin() as s:
        desk.update_settings(s, desk.IdentityInput(lookup_url=LOOKUP), admin)
    with db.writer.begin() as s:
        first = printing.print_slip(s, view.code, SlipKind.RECEIPT, officer, now=RECEIVED)
    with db.reader.begin() as s:
        key = lookup_keys.file_key(s, 1, view.code)
        data = printing.receipt_data(s, view.code)
        settings = get_settings(s, 1)
    assert data.qr is not None and data.qr.lookup_key == key and KEY.match(key)
    text = " ".join(PdfReader(io.BytesIO(first.pdf)).pages[0].extract_text().split())
    assert f"Mã tra cứu: {lookup_keys.printed(key)}" in text
    found = qr_codes(zbar(render(first.pdf, tmp_path, "receipt")))
    assert found == [f"{LOOKUP}?ma={view.code}&khoa={key}"]
    # A reprint draws the same key (derived from the code, never stored).
    job = RenderJob("receipt", data, load_form_set(settings.form_set), settings.receipt_layout)
    assert render_form(job) == first.pdf
    # The half-sheet layout prints it on both copies.
    half = render_form(RenderJob("receipt", data, load_form_set(settings.form_set), "half_sheets"))
    half_text = " ".join(PdfReader(io.BytesIO(half)).pages[0].extract_text().split())
    assert half_text.count(f"Mã tra cứu: {lookup_keys.printed(key)}") == 2
