"""Length limits of every text a person types, declared once: the models' String(n), the
services' checks and the window's maxLength all read them from here."""

from __future__ import annotations

from typing import Final

# People and organisations.
PERSON_NAME: Final = 300  # applicant, submitter, recipient, sender, signer
ID_NUMBER: Final = 20  # as typed, spaces and dots included (a CCCD has 12 digits)
PHONE_TYPED: Final = 30  # as typed ("+84 (0) 912 345 678"); stored normalised in 15
EMAIL: Final = 200
SHORT_VALUE: Final = 40  # a number or a moment typed as text (a correction's new value)
# Free text that may span lines: addresses, notes, reasons, authorisations.
LONG_TEXT: Final = 2_000

# Accounts.
USERNAME: Final = 60
FULL_NAME: Final = 200
PASSWORD: Final = 200  # scrypt of a longer one costs time for nothing

# The desk's identity.
BODY_NAME: Final = 200  # governing body, agency, unit
PLACE_NAME: Final = 100
LOOKUP_URL: Final = 300
DESK_PHONE: Final = 40

# The procedure catalogue.
PROCEDURE_NAME: Final = 500
PROCEDURE_FIELD: Final = 200
SETTLING_AGENCY: Final = 300
DOCUMENT_NAME: Final = 500
