"""The save dialogs' default names are Vietnamese words without diacritics."""

from __future__ import annotations

import pytest

from desk_app.services.printing import SlipKind
from desk_app.ui.file_names import slip_file_name

CODE = "000.00.20.H37-260302-0001"


@pytest.mark.parametrize(
    ("kind", "code", "number", "expected"),
    [
        (SlipKind.RECEIPT, CODE, None, f"giay-tiep-nhan-{CODE}.pdf"),
        (SlipKind.SUPPLEMENT, CODE, "1/HDHS", f"phieu-yeu-cau-bo-sung-{CODE}-1-HDHS.pdf"),
        (SlipKind.REFUSAL, CODE, "3/TCHS", f"phieu-tu-choi-{CODE}-3-TCHS.pdf"),
        (SlipKind.APOLOGY, CODE, "2/XLHS", f"phieu-xin-loi-{CODE}-2-XLHS.pdf"),
        # A guide slip at the counter has no file yet: its number alone.
        (SlipKind.SUPPLEMENT, None, "7/HDHS", "phieu-yeu-cau-bo-sung-7-HDHS.pdf"),
    ],
)
def test_slip_names(kind: SlipKind, code: str | None, number: str | None, expected: str) -> None:
    name = slip_file_name(kind, code, number)
    assert name == expected
    assert name.isascii() and "/" not in name
