"""The look-up key printed on a receipt: what lets its holder see the file's status online.

The key is HMAC-SHA256(the agency's look-up secret, file code), cut to 8 characters of an
alphabet without look-alikes (no 0/O, 1/I): 40 bits, printed "XXXX-XXXX". It is never stored:
a reprint derives the same key from the code. The secret (`desk_settings.lookup_secret`,
migration 0021) is made once per agency and stays in the database; the department receives only
`key_hash` (SHA-256 of the key) and compares what a visitor types against it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy.orm import Session

from desk_app.services.context import SOLO_AGENCY, load_settings_row
from desk_app.sync.protocol import KEY_ALPHABET, KEY_LENGTH, key_hash, normalise_key

__all__ = ["KEY_LENGTH", "agency_secret", "derive", "file_key", "key_hash", "normalise_key"]

ALPHABET = KEY_ALPHABET  # 32 characters, 5 bits each


def new_secret() -> str:
    return secrets.token_hex(32)


def agency_secret(session: Session, agency: int = SOLO_AGENCY) -> str:
    """The agency's look-up secret, made (in `session`, not committed) the first time it is asked
    for an agency created after migration 0021."""
    row = load_settings_row(session, agency)
    if not row.lookup_secret:
        row.lookup_secret = new_secret()
        session.flush()
    return row.lookup_secret


def derive(secret: str, code: str) -> str:
    """The 8-character key of file `code` under `secret` (no separator)."""
    digest = hmac.new(secret.encode(), code.strip().encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:5], "big")  # 40 bits
    chars = []
    for _ in range(KEY_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(reversed(chars))


def printed(key: str) -> str:
    """'ABCD-EFGH', as the receipt prints it."""
    return f"{key[:4]}-{key[4:]}" if len(key) == KEY_LENGTH else key


def file_key(session: Session, agency: int, code: str) -> str:
    """The key of file `code` of `agency`."""
    return derive(agency_secret(session, agency), code)
