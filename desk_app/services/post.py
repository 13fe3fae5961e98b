"""Results sent by post: choosing delivery, hand-over to VNPost, outcomes, bulk import, bảng kê."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.domain import codes, limits, people
from desk_app.domain.text import check_text
from desk_app.domain.workflow import TERMINAL, Action, Status
from desk_app.errors import FieldsError, ValidationError
from desk_app.services.context import Actor, audit, get_settings
from desk_app.services.lifecycle import MoveInput, move_moment
from desk_app.services.records import add_event, file_view, get_file, move
from desk_app.services.scope import ALL, Scope
from desk_app.services.views import FileView
from desk_app.store.models import FileRecord, PostalItem, User


@dataclass(frozen=True)
class PostalItemView:
    """One postal item of a file (incoming parcel or outgoing result), for its postal history."""

    id: int
    direction: str  # in | out
    number: str | None
    recipient_name: str | None
    recipient_phone: str | None
    address: str | None
    postage: int | None
    paid_by: str | None
    handed_at: datetime | None
    state: str
    state_at: datetime | None
    signed_by: str | None
    note: str | None
    officer: str | None

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


PAYERS = ("applicant", "province")
PAYER_LABELS: dict[str, str] = {"applicant": "Tổ chức, cá nhân", "province": "Ngân sách tỉnh"}
STATE_LABELS: dict[str, str] = {
    "pending": "Chờ giao bưu chính",
    "handed": "Đang chuyển phát",
    "failed": "Phát không thành công",
    "delivered": "Đã phát thành công",
    "returned": "Chuyển hoàn",
    "received": "Đã nhận qua bưu chính",  # an incoming parcel (recorded at intake)
}
OUTCOMES = ("delivered", "failed", "returned")
OUTCOME_LABELS: dict[str, str] = {
    "delivered": "Phát thành công",
    "failed": "Phát không thành công",
    "returned": "Chuyển hoàn",
}
# The same names in English, for the command line run with `--lang en`.
OUTCOME_LABELS_EN: dict[str, str] = {
    "delivered": "Delivered",
    "failed": "Not delivered",
    "returned": "Returned to sender",
}
# States in which the post still holds the item: an outcome may follow, a new hand-over may not.
WITH_POST = ("handed", "failed")


# --- choosing delivery by post -----------------------------------------------------------------


def _required(
    value: str, field: str, message: str, errors: dict[str, str], label: str, limit: int
) -> str:
    try:
        # An address may be typed over several lines; it is kept on one.
        multiline = field == "address"
        value = check_text(value, field=field, label=label, limit=limit, multiline=multiline)
    except ValidationError as exc:
        errors[field] = exc.message
        return ""
    value = " ".join(value.split())
    if not value:
        errors[field] = message
    return value


def choose_post(
    session: Session,
    code: str,
    *,
    name: str,
    phone: str,
    address: str,
    actor: Actor,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> FileView:
    """The applicant asks for the result by post (at intake or later): recipient and address.

    Field errors come together as FieldsError with the fields "name", "phone" and "address".
    Also used to correct the address of a result that came back to sender before sending again.
    """
    now = now or clock.now()
    errors: dict[str, str] = {}
    name = _required(
        name, "name", "Cần nhập họ tên người nhận.", errors, "Họ tên người nhận", limits.PERSON_NAME
    )
    address = _required(
        address,
        "address",
        "Cần nhập địa chỉ nhận kết quả.",
        errors,
        "Địa chỉ nhận kết quả",
        limits.LONG_TEXT,
    )
    normalised_phone: str | None = None
    if phone.strip():
        try:
            normalised_phone = people.validate_phone(phone, field="phone")
        except ValidationError as exc:
            errors["phone"] = exc.message
    if errors:
        raise FieldsError(errors)
    record = get_file(session, code, expected_version)
    if Status(record.status) in TERMINAL:
        raise ValidationError(
            f"Hồ sơ {record.code} đã ở trạng thái “{Status(record.status).label}”, "
            "không thể chọn nhận kết quả qua bưu chính."
        )
    if _active_item(session, record) is not None:
        raise ValidationError(
            f"Kết quả của hồ sơ {record.code} đang được bưu chính chuyển phát; "
            "không thể đổi địa chỉ nhận."
        )
    before = {
        "result_by": record.result_by,
        "name": record.delivery_name,
        "phone": record.delivery_phone,
        "address": record.delivery_address,
    }
    record.result_by = "post"
    record.delivery_name = name
    record.delivery_phone = normalised_phone
    record.delivery_address = address
    add_event(
        session,
        record,
        "choose_post",
        actor,
        now,
        note=f"{name}, {normalised_phone}, {address}",
    )
    audit(
        session,
        actor,
        "choose_post",
        "file",
        record.code,
        {
            "before": before,
            "after": {"name": name, "phone": normalised_phone, "address": address},
        },
        at=now,
    )
    session.flush()
    return file_view(session, record)


# --- hand-over and outcomes --------------------------------------------------------------------


def _out_items(session: Session, record: FileRecord) -> list[PostalItem]:
    return list(
        session.scalars(
            select(PostalItem)
            .where(PostalItem.file_id == record.id, PostalItem.direction == "out")
            .order_by(PostalItem.id)
        )
    )


def _active_item(session: Session, record: FileRecord) -> PostalItem | None:
    """The outgoing item the post holds now (handed over or after a failed attempt)."""
    for item in reversed(_out_items(session, record)):
        if item.state in WITH_POST:
            return item
    return None


def normal_number(text: str) -> str:
    """A tracking number as stored: no spaces, capitals."""
    return "".join(text.split()).upper()


def item_by_number(session: Session, number: str) -> PostalItem | None:
    """The outgoing item with this tracking number, if any."""
    return session.scalars(
        select(PostalItem)
        .where(PostalItem.direction == "out", PostalItem.number == number)
        .order_by(PostalItem.id.desc())
        .limit(1)
    ).first()


def code_of(session: Session, file_id: int) -> str:
    """The code of the file with this id."""
    return str(session.scalar(select(FileRecord.code).where(FileRecord.id == file_id)))


def hand_over(
    session: Session,
    code: str,
    *,
    tracking: str,
    postage: int | None,
    paid_by: str,
    actor: Actor,
    at: datetime | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> tuple[FileView, str | None]:
    """The result (file at 9, delivery by post) is given to the postal worker.

    Returns the file and a warning when the S10 check digit does not match (it does not
    block: the number printed on the label is what counts). A wrong shape or a number already
    given to another item is refused with field "tracking".
    """
    now = now or clock.now()
    s10 = codes.check_s10(tracking, field="tracking")
    if paid_by not in PAYERS:
        raise ValidationError("Cần chọn người trả cước.", field="paid_by")
    if postage is not None and postage < 0:
        raise ValidationError("Cước phí không được âm.", field="postage")
    record = get_file(session, code, expected_version)
    if record.result_by != "post":
        raise ValidationError(
            f"Hồ sơ {record.code} không đăng ký nhận kết quả qua bưu chính.", field="result_by"
        )
    if not (record.delivery_address or "").strip():
        raise ValidationError(f"Hồ sơ {record.code} chưa có địa chỉ nhận kết quả.", field="address")
    active = _active_item(session, record)
    if active is not None:
        raise ValidationError(
            f"Kết quả của hồ sơ {record.code} đã giao cho bưu chính "
            f"(số hiệu {active.number}) và chưa có kết quả phát.",
            field="tracking",
        )
    taken = item_by_number(session, s10.number)
    if taken is not None:
        raise ValidationError(
            f"Số hiệu bưu gửi {s10.number} đã dùng cho hồ sơ {code_of(session, taken.file_id)}.",
            field="tracking",
        )
    when = move_moment(session, MoveInput(record.code, at=at), record, now)
    details: dict[str, object] = {"number": s10.number, "postage": postage, "paid_by": paid_by}
    move(
        session,
        record,
        Action.POSTAL_HANDOVER,
        actor,
        when,
        note=f"Số hiệu bưu gửi {s10.number}",
        data=details,
    )
    session.add(
        PostalItem(
            file_id=record.id,
            direction="out",
            number=s10.number,
            recipient_name=record.delivery_name,
            recipient_phone=record.delivery_phone,
            address=record.delivery_address,
            postage=postage,
            paid_by=paid_by,
            handed_at=when,
            state="handed",
            state_at=when,
            officer_id=actor.user_id,
        )
    )
    session.flush()
    return file_view(session, record), s10.warning


def _outcome(
    session: Session,
    code: str,
    action: Action,
    state: str,
    at: datetime,
    actor: Actor,
    now: datetime | None,
    *,
    note: str,
    signed_by: str | None = None,
) -> FileView:
    now = now or clock.now()
    record = get_file(session, code)
    item = _active_item(session, record)
    if item is None:
        raise ValidationError(
            f"Hồ sơ {record.code} không có bưu gửi nào đang chuyển phát.", field="tracking"
        )
    when = move_moment(session, MoveInput(record.code, at=at), record, now)
    if item.state_at is not None and when < item.state_at.replace(second=0):
        raise ValidationError(
            "Thời điểm ghi nhận không được trước lần ghi nhận trước của bưu gửi "
            f"({item.state_at:%H:%M ngày %d/%m/%Y}).",
            field="at",
        )
    details: dict[str, object] = {"number": item.number}
    if signed_by:
        details["signed_by"] = signed_by
    move(session, record, action, actor, when, note=note, data=details)
    item.state = state
    item.state_at = when
    if signed_by:
        item.signed_by = signed_by
    if state != "delivered":
        item.note = note
    if action == Action.POSTAL_DELIVERED:
        record.closed_at = when
    session.flush()
    return file_view(session, record)


def record_delivered(
    session: Session,
    code: str,
    *,
    at: datetime,
    signed_by: str,
    actor: Actor,
    now: datetime | None = None,
) -> FileView:
    """The post delivered the result (9 → 10): the file is "Đã trả kết quả"."""
    signed = " ".join(
        check_text(
            signed_by, field="signed_by", label="Người ký nhận", limit=limits.PERSON_NAME
        ).split()
    )
    if not signed:
        raise ValidationError("Cần ghi tên người ký nhận.", field="signed_by")
    return _outcome(
        session,
        code,
        Action.POSTAL_DELIVERED,
        "delivered",
        at,
        actor,
        now,
        note=f"Người ký nhận: {signed}",
        signed_by=signed,
    )


def _reason(reason: str) -> str:
    reason = check_text(
        reason, field="reason", label="Lý do", limit=limits.LONG_TEXT, multiline=True
    )
    text = " ".join(reason.split())
    if not text:
        raise ValidationError("Cần ghi rõ lý do.", field="reason")
    return text


def record_failed(
    session: Session,
    code: str,
    *,
    at: datetime,
    reason: str,
    actor: Actor,
    now: datetime | None = None,
) -> FileView:
    """A delivery attempt failed; the post keeps the item and tries again (stays at 9)."""
    return _outcome(
        session, code, Action.POSTAL_FAILED, "failed", at, actor, now, note=_reason(reason)
    )


def record_returned(
    session: Session,
    code: str,
    *,
    at: datetime,
    reason: str,
    actor: Actor,
    now: datetime | None = None,
) -> FileView:
    """The item came back to the desk (chuyển hoàn): the result is at the desk again (9)."""
    return _outcome(
        session, code, Action.POSTAL_RETURNED, "returned", at, actor, now, note=_reason(reason)
    )


# --- reading -------------------------------------------------------------------------------------


def postal_items(session: Session, code: str) -> list[PostalItemView]:
    """Every postal item of the file (incoming parcel first), oldest first."""
    record = get_file(session, code)
    rows = list(
        session.scalars(
            select(PostalItem).where(PostalItem.file_id == record.id).order_by(PostalItem.id)
        )
    )
    ids = {r.officer_id for r in rows if r.officer_id is not None}
    names: dict[int, str] = {}
    if ids:
        names = {
            int(i): str(n)
            for i, n in session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))
        }
    return [
        PostalItemView(
            id=r.id,
            direction=r.direction,
            number=r.number,
            recipient_name=r.recipient_name,
            recipient_phone=r.recipient_phone,
            address=r.address,
            postage=r.postage,
            paid_by=r.paid_by,
            handed_at=r.handed_at,
            state=r.state,
            state_at=r.state_at,
            signed_by=r.signed_by,
            note=r.note,
            officer=names.get(r.officer_id) if r.officer_id is not None else None,
        )
        for r in rows
    ]


def find_by_tracking(session: Session, tracking: str) -> str | None:
    """The code of the file an outgoing (else incoming) postal item number belongs to."""
    number = normal_number(tracking)
    if not number:
        return None
    for direction in ("out", "in"):
        file_id = session.scalar(
            select(PostalItem.file_id)
            .where(PostalItem.direction == direction, PostalItem.number == number)
            .order_by(PostalItem.id.desc())
            .limit(1)
        )
        if file_id is not None:
            return code_of(session, int(file_id))
    return None


# --- the daily hand-over list ------------------------------------------------------------------


def handover_list_pdf(session: Session, day: date, *, scope: Scope = ALL) -> bytes:
    """Bảng kê giao bưu chính: every result of `scope`'s agencies handed to the post on `day`,
    in hand-over order, headed with that agency's identity (`printing.scope_agency`)."""
    from desk_app.printing.postal_list import PostalListData, PostalListRow, render_postal_list
    from desk_app.services.printing import desk_header, scope_agency

    start = datetime.combine(day, time())
    end = start + timedelta(days=1)
    rows = session.execute(
        select(
            FileRecord.code,
            PostalItem,
            FileRecord.delivery_name,
            FileRecord.delivery_phone,
            FileRecord.delivery_address,
        )
        .join(FileRecord, FileRecord.id == PostalItem.file_id)
        .where(
            PostalItem.direction == "out",
            PostalItem.handed_at >= start,
            PostalItem.handed_at < end,
            *([] if scope.is_all else [scope.where(FileRecord.agency)]),
        )
        .order_by(PostalItem.handed_at, PostalItem.id)
    ).all()

    def phone_text(value: str | None) -> str:
        return people.format_phone(value) if value else ""

    # An item records its recipient when handed over; items entered before that (imports,
    # demo data) fall back to the file's delivery details.
    data = PostalListData(
        header=desk_header(get_settings(session, scope_agency(scope))),
        day=day,
        rows=tuple(
            PostalListRow(
                code=str(code),
                recipient=item.recipient_name or name or "",
                address=item.address or address or "",
                phone=phone_text(item.recipient_phone or phone),
                tracking=item.number or "",
                postage=item.postage,
                paid_by=PAYER_LABELS.get(item.paid_by or "", item.paid_by or ""),
            )
            for code, item, name, phone, address in rows
        ),
    )
    return render_postal_list(data)
