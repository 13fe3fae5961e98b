"""Default names offered by the window's save dialogs: Vietnamese words without diacritics."""

from __future__ import annotations

from desk_app.services.printing import SlipKind

# Without diacritics: a name must survive a USB stick's FAT, a zip file and an e-mail attachment.
SLIP_STEMS: dict[SlipKind, str] = {
    SlipKind.RECEIPT: "giay-tiep-nhan",
    SlipKind.SUPPLEMENT: "phieu-yeu-cau-bo-sung",
    SlipKind.REFUSAL: "phieu-tu-choi",
    SlipKind.APOLOGY: "phieu-xin-loi",
    SlipKind.STOP: "thong-bao-dung-giai-quyet",
}


def slip_file_name(kind: SlipKind, code: str | None, number: str | None = None) -> str:
    """`giay-tiep-nhan-<mã>.pdf`, `phieu-yeu-cau-bo-sung-<mã>-<số>.pdf` (a slip's number
    `1/HDHS` written `1-HDHS`); without a file code (a guide slip at intake) the number alone."""
    parts = [SLIP_STEMS[kind], code, number.replace("/", "-") if number else None]
    return "-".join(p for p in parts if p) + ".pdf"
