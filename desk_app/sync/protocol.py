"""The wire format between a desk and the department: one day's summary, counts only.

A desk sends ``POST {department}/api/v1/summaries`` with ``Authorization: Bearer <desk token>``
and a JSON body:

    {"protocol": 1, "day": "2026-03-02", "revision": 2,
     "desk": {"agency_id": "...", "agency_name": "...", "unit_name": "...", "software": "0.9.0"},
     "rows": [{"procedure": "1.001029", "name": "Cấp Giấy phép ...", "field": "Văn hóa",
               "counts": {"received_online": 0, ...}}]}

``rows`` has one entry per procedure with any non-zero number on that day; ``counts`` has exactly
the keys of :data:`COUNT_KEYS` (the base numbers of DOMAIN §9; totals are derived). A row may
also carry ``digitising`` (the day's digitising counts) and ``ratings`` (the applicants' ratings
given that day: ``{"very_satisfied", "satisfied", "dissatisfied"}``, counts only), each only on
days with something to count, so a day without them is sent exactly as before. The
department answers 200 with ``{"receipt_id", "day", "revision", "state"}`` where state is
``stored`` (new), ``duplicate`` (this revision was already stored: same receipt id) or
``superseded`` (kept, but a newer revision of that day is the one that counts); 401 for a missing
or unknown token, 409 when the same revision arrives with other numbers, 422 for a body that does
not follow this format.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields

from desk_app.domain.statistics import StatCounts

PROTOCOL_VERSION = 1
SUMMARIES_PATH = "/api/v1/summaries"
REPORT_PATH = "/api/v1/report"
# The files' look-up rows (issue 16): {"protocol": 1, "rows": [...]} with the keys of
# LOOKUP_KEYS only, answered {"receipt_id", "stored"}; storing a row again replaces it.
LOOKUP_PATH = "/api/v1/lookup-rows"
LOOKUP_KEYS: tuple[str, ...] = (
    "code",
    "procedure",
    "procedure_name",
    "status",
    "due",
    "settled",
    "result_ready",
    "result_by",
    "key_hash",
)
DESKS_PATH = "/api/v1/desks"  # with a desk token: that desk only (the desk's connection check)

# The numbers sent for each procedure and day, in the order of StatCounts.
COUNT_KEYS: tuple[str, ...] = tuple(f.name for f in fields(StatCounts))

# Numbers that describe the day's flow (summed over a period) and the day's stock (taken from
# the first day of a period for what was carried over, from the last day for what is open).
FLOW_KEYS: tuple[str, ...] = tuple(
    k for k in COUNT_KEYS if k not in ("carried_over", "open_in_time", "open_overdue")
)
CARRIED_KEYS: tuple[str, ...] = ("carried_over",)
CLOSING_KEYS: tuple[str, ...] = ("open_in_time", "open_overdue")

# How long a desk waits for the department's answer, in seconds.
DEFAULT_TIMEOUT = 15.0

# Answer states of the department.
STORED, DUPLICATE, SUPERSEDED = "stored", "duplicate", "superseded"


# The receipt's look-up key (services/lookup_keys.py): 8 characters of this alphabet. Only its
# SHA-256 travels; the department hashes what a visitor types the same way.
KEY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, no 1/I
KEY_LENGTH = 8


def normalise_key(typed: str) -> str:
    """A key as typed or scanned ('abcd efgh', 'ABCD-EFGH') in its plain form: upper case,
    letters and digits only."""
    return "".join(ch for ch in typed.upper() if ch.isascii() and ch.isalnum())


def key_hash(key: str) -> str:
    """What the department keeps instead of a look-up key: SHA-256 hex of its plain form."""
    return hashlib.sha256(normalise_key(key).encode()).hexdigest()
