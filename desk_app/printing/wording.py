"""How moments, dates and durations are written on Vietnamese administrative papers."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from decimal import Decimal

from desk_app.domain.due import DurationUnit


def nfc(text: str) -> str:
    """Every string is NFC before drawing: Vietnamese keyboards may type decomposed letters."""
    return unicodedata.normalize("NFC", text)


def _day(d: date) -> str:
    return f"{d.day:02d}"


def _month(d: date) -> str:
    # Decree 30/2020 on document style: a zero before days under 10 and the months 1 and 2.
    return f"{d.month:02d}" if d.month < 3 else str(d.month)


def date_words(d: date) -> str:
    """'ngày 05 tháng 3 năm 2025'."""
    return f"ngày {_day(d)} tháng {_month(d)} năm {d.year}"


def place_date(place: str, d: date) -> str:
    """'Lạng Sơn, ngày 05 tháng 3 năm 2025' (the italic line under the national motto)."""
    return f"{place}, {date_words(d)}" if place else date_words(d).capitalize()


def moment_words(m: datetime) -> str:
    """'09 giờ 15 phút, ngày 02 tháng 3 năm 2026'."""
    return f"{m.hour:02d} giờ {m.minute:02d} phút, {date_words(m.date())}"


def short_moment(m: datetime | None) -> str:
    """'02/03/2026 09:15' for tables; '' when there is none."""
    return "" if m is None else m.strftime("%d/%m/%Y %H:%M")


def short_date(d: date | None) -> str:
    return "" if d is None else d.strftime("%d/%m/%Y")


def duration_words(duration: Decimal | None, unit: str) -> str:
    """'05 ngày làm việc', '0,5 ngày làm việc', '04 giờ làm việc', 'trong ngày', ''."""
    u = DurationUnit(unit)
    if u == DurationUnit.NONE or duration is None:
        return ""
    if u == DurationUnit.SAME_DAY:
        return "trong ngày"
    whole = duration == duration.to_integral_value()
    number = f"{int(duration):02d}" if whole else f"{duration.normalize()}".replace(".", ",")
    return f"{number} {u.label}"


PERSON_ADDRESS = "Ông/Bà"
ORGANISATION_ADDRESS = "Quý đơn vị"


def addressed(organisation: bool) -> str:
    """How the paper speaks to the applicant: 'Ông/Bà' to a person, 'Quý đơn vị' to a body."""
    return ORGANISATION_ADDRESS if organisation else PERSON_ADDRESS


def addressee_line(name: str, organisation: bool) -> str:
    """'Kính gửi: Ông/Bà Đặng Thị Ánh', or 'Kính gửi: Công ty TNHH Du lịch Xứ Lạng'."""
    name = " ".join(nfc(name).split())
    return f"Kính gửi: {name}" if organisation else f"Kính gửi: {PERSON_ADDRESS} {name}"


def money(amount: int | None) -> str:
    """'4.000.000 đồng'."""
    return "" if amount is None else f"{amount:,}".replace(",", ".") + " đồng"
