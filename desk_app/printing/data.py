"""Plain data the forms are drawn from: built by the services, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class DeskHeader:
    """Who issues the paper: the left half of every form's header and the place-date line."""

    governing_body: str  # e.g. "UBND TỈNH LẠNG SƠN" (printed in capitals)
    agency_name: str  # e.g. "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"
    unit_name: str  # e.g. "BỘ PHẬN MỘT CỬA" (bold capitals)
    place_name: str  # e.g. "Lạng Sơn"
    phone: str = ""


@dataclass(frozen=True)
class PaperQr:
    """What the QR code in the upper-left corner of an issued paper carries (Circular 01/2023/
    TT-VPCP Art. 26) besides what the form knows already (the file code, the paper's title and
    number). The moment of issue is the first print's: a reprint returns the archived bytes.
    See desk_app/printing/qr.py for the payload."""

    procedure_code: str
    id_number: str  # the applicant's identity number (CCCD, passport, tax code), or ""
    system_name: str  # the issuing system, e.g. "Phần mềm Một cửa – SỞ VĂN HÓA, ..."
    issued_at: datetime
    appointment: datetime | None = None  # the receipt's (and the apology's new) appointment
    lookup_url: str = ""  # set: the QR code is the look-up address of the file, nothing more
    # The receipt's look-up key (services/lookup_keys.py, 8 characters), with a look-up address:
    # the address carries it as `khoa` and the receipt prints it in words.
    lookup_key: str = ""


@dataclass(frozen=True)
class DocumentRow:
    name: str
    copy_type: str  # "original" | "certified" | "photo"
    count: int


@dataclass(frozen=True)
class ReceiptData:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (DOMAIN §7)."""

    header: DeskHeader
    code: str
    issued: date  # the date in the place-date line (the receipt day)
    applicant_name: str
    address: str
    phone: str
    email: str
    procedure_name: str
    documents: tuple[DocumentRow, ...]
    sets_count: int
    duration_text: str  # e.g. "05 ngày làm việc", "trong ngày", or "" for no time limit
    received: datetime
    due: datetime | None  # None: the procedure has no time limit
    result_by_post: bool
    delivery_address: str
    register_book: str
    register_seq: int
    officer_name: str
    submitter_name: str = ""  # when the person at the counter is not the owner
    reprint: bool = False  # draw "Bản in lại" (only when the desk asks for it)
    qr: PaperQr | None = None  # None: no QR code (data made by hand, not issued)


@dataclass(frozen=True)
class SupplementData:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""

    header: DeskHeader
    number: str  # e.g. "12/HDHS"
    issued: date
    code: str
    applicant_name: str
    procedure_name: str
    received: datetime
    items: tuple[str, ...]  # the missing or faulty documents, each in words
    reason: str
    officer_name: str
    officer_phone: str = ""
    organisation: bool = False  # the applicant is a body (tax code): no "Ông/Bà"
    qr: PaperQr | None = None


@dataclass(frozen=True)
class CounterSupplementData:
    """Phiếu yêu cầu bổ sung given at the counter for papers checked but not accepted.

    No file exists yet, so there is no file code and no receipt moment: only when the papers
    were checked (its date is the slip's date).
    """

    header: DeskHeader
    number: str  # e.g. "12/HDHS"
    checked: datetime
    applicant_name: str
    procedure_name: str
    items: tuple[str, ...]  # the missing or faulty documents, each in words
    reason: str
    officer_name: str
    officer_phone: str = ""
    organisation: bool = False
    qr: PaperQr | None = None  # without a file code: the procedure, the paper, the moment


@dataclass(frozen=True)
class RefusalData:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ."""

    header: DeskHeader
    number: str
    issued: date
    code: str
    applicant_name: str
    procedure_name: str
    reason: str
    officer_name: str
    organisation: bool = False
    qr: PaperQr | None = None


@dataclass(frozen=True)
class ApologyData:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả."""

    header: DeskHeader
    number: str
    issued: date
    code: str
    applicant_name: str
    procedure_name: str
    received: datetime
    original_due: datetime | None
    reason: str
    new_due: datetime
    agency_at_fault: str  # who signs: the head of the agency that is late
    recipients: tuple[str, ...] = ("Như trên", "Lưu: VT")
    organisation: bool = False
    qr: PaperQr | None = None


@dataclass(frozen=True)
class HandoverRow:
    """One handover of the file: who gave it, who received it, when, and how the step ended."""

    giver: str
    receiver: str
    at: datetime
    outcome: str  # "Trước hạn" | "Đúng hạn" | "Quá hạn" | ""
    note: str = ""


@dataclass(frozen=True)
class HandoverData:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ."""

    header: DeskHeader
    code: str
    issued: date
    applicant_name: str
    procedure_name: str
    settling_agency: str
    received: datetime
    due: datetime | None
    rows: tuple[HandoverRow, ...]
    qr: PaperQr | None = None


@dataclass(frozen=True)
class RegisterRow:
    code: str
    procedure_name: str
    sets_count: int
    applicant_name: str
    address_phone: str
    settling_agency: str
    received: datetime
    due: datetime | None
    forwarded: datetime | None
    result_back: datetime | None
    returned: datetime | None
    return_method: str
    note: str = ""


@dataclass(frozen=True)
class RegisterData:
    """Sổ theo dõi hồ sơ for a date range (landscape)."""

    header: DeskHeader
    start: date
    end: date
    book: str
    rows: tuple[RegisterRow, ...] = field(default=())
