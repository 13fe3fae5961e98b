"""Digitising at intake (Circular 03/2025 Art. 5, DOMAIN §11): a line's states and their names."""

from __future__ import annotations

from enum import StrEnum


class LineKind(StrEnum):
    DOCUMENT = "document"  # a paper of the file's document set, by its index
    RESULT = "result"  # the result papers, line 0


class LineState(StrEnum):
    """Where a line's digitising stands."""

    PENDING = "pending"  # not answered yet
    SCAN_LATER = "scan_later"
    DIGITISED = "digitised"
    # The Circular's four exceptions: no scan is asked for.
    ONLINE = "online"
    SHOWN_ONLY = "shown_only"
    PRODUCED_IN_PROCESSING = "produced_in_processing"
    CONFIDENTIAL = "confidential"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def is_exception(self) -> bool:
        return self in EXCEPTIONS

    @property
    def is_open(self) -> bool:
        """Still to scan (the "Chờ số hóa" queue)."""
        return self in (LineState.PENDING, LineState.SCAN_LATER)


EXCEPTIONS: tuple[LineState, ...] = (
    LineState.ONLINE,
    LineState.SHOWN_ONLY,
    LineState.PRODUCED_IN_PROCESSING,
    LineState.CONFIDENTIAL,
)

STATE_LABELS: dict[LineState, str] = {
    LineState.PENDING: "Chưa số hóa",
    LineState.SCAN_LATER: "Số hóa sau",
    LineState.DIGITISED: "Đã số hóa",
    LineState.ONLINE: "Hồ sơ nộp trực tuyến",
    LineState.SHOWN_ONLY: "Giấy tờ chỉ xuất trình, trả lại ngay",
    LineState.PRODUCED_IN_PROCESSING: "Tài liệu hình thành trong quá trình giải quyết",
    LineState.CONFIDENTIAL: "Tài liệu mật",
}

# The same names in English, for the command line run with `--lang en`.
STATE_LABELS_EN: dict[LineState, str] = {
    LineState.PENDING: "Not digitised",
    LineState.SCAN_LATER: "Scan later",
    LineState.DIGITISED: "Digitised",
    LineState.ONLINE: "Submitted online",
    LineState.SHOWN_ONLY: "Shown only and handed back",
    LineState.PRODUCED_IN_PROCESSING: "Produced during processing",
    LineState.CONFIDENTIAL: "Confidential",
}

# The media types the desk keeps; a multi-page PDF or TIFF becomes one page each.
PDF, JPEG, PNG, TIFF = "application/pdf", "image/jpeg", "image/png", "image/tiff"
PICTURES = frozenset({JPEG, PNG, TIFF})  # pages that can be turned as pictures
