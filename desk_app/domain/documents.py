"""Document copy types and intake channels as recorded on a file (DOMAIN §2)."""

from __future__ import annotations

from enum import StrEnum


class CopyType(StrEnum):
    """How a paper was handed in."""

    ORIGINAL = "original"
    CERTIFIED = "certified"
    PHOTO = "photo"

    @property
    def label(self) -> str:
        return {
            CopyType.ORIGINAL: "Bản chính",
            CopyType.CERTIFIED: "Bản sao chứng thực",
            CopyType.PHOTO: "Bản photo",
        }[self]


class Channel(StrEnum):
    """Intake channel of a file."""

    DIRECT = "direct"
    POSTAL = "postal"
    ONLINE = "online"

    @property
    def label(self) -> str:
        return {
            Channel.DIRECT: "Trực tiếp",
            Channel.POSTAL: "Bưu chính",
            Channel.ONLINE: "Trực tuyến",
        }[self]


class ResultBy(StrEnum):
    """How the result goes back to the applicant."""

    COUNTER = "counter"
    POST = "post"

    @property
    def label(self) -> str:
        return {
            ResultBy.COUNTER: "Tại Bộ phận Một cửa",
            ResultBy.POST: "Qua dịch vụ bưu chính công ích",
        }[self]
