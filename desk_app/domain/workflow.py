"""File life cycle: statuses with their national codes and the moves DOMAIN §2 allows."""

from __future__ import annotations

from enum import IntEnum, StrEnum

from desk_app.errors import IllegalTransitionError


class Status(IntEnum):
    """A file's status; the value is the national status code used by the public-service portal."""

    REGISTERED = 1
    ACCEPTED = 2
    REFUSED = 3
    PROCESSING = 4
    SUPPLEMENT = 5
    FINANCIAL = 6
    WITHDRAWN = 7
    STOPPED = 8
    SETTLED = 9
    RETURNED = 10

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL

    @property
    def is_paused(self) -> bool:
        return self in PAUSED

    @property
    def is_open(self) -> bool:
        """Accepted and not yet settled or closed: the clock is (or may be) running."""
        return self in OPEN


STATUS_LABELS: dict[Status, str] = {
    Status.REGISTERED: "Mới đăng ký",
    Status.ACCEPTED: "Được tiếp nhận",
    Status.REFUSED: "Không được tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.SUPPLEMENT: "Yêu cầu bổ sung",
    Status.FINANCIAL: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.SETTLED: "Đã xử lý xong",
    Status.RETURNED: "Đã trả kết quả",
}

# The same names in English, for the command line run with `--lang en` (the window and the
# printed forms use the Vietnamese names above).
STATUS_LABELS_EN: dict[Status, str] = {
    Status.REGISTERED: "Registered",
    Status.ACCEPTED: "Accepted",
    Status.REFUSED: "Refused",
    Status.PROCESSING: "Processing",
    Status.SUPPLEMENT: "Supplement requested",
    Status.FINANCIAL: "Financial obligation requested",
    Status.WITHDRAWN: "Withdrawn by the applicant",
    Status.STOPPED: "Processing stopped",
    Status.SETTLED: "Settled",
    Status.RETURNED: "Result returned",
}

TERMINAL = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED})
PAUSED = frozenset({Status.SUPPLEMENT, Status.FINANCIAL})
OPEN = frozenset({Status.ACCEPTED, Status.PROCESSING, Status.SUPPLEMENT, Status.FINANCIAL})
# Statuses of files whose result is not yet with the applicant (for "open" queues in SQL: use IN).
OPEN_CODES: tuple[int, ...] = tuple(sorted(int(s) for s in OPEN))


class Action(StrEnum):
    """Every move a file can make; each is recorded as an event on the file's timeline."""

    ACCEPT = "accept"
    REFUSE = "refuse"
    FORWARD = "forward"
    REQUEST_SUPPLEMENT = "request_supplement"
    RECEIVE_SUPPLEMENT = "receive_supplement"
    REQUEST_FINANCIAL = "request_financial"
    FINANCIAL_DONE = "financial_done"
    WITHDRAW = "withdraw"
    STOP = "stop"
    RECORD_RESULT = "record_result"
    RETURN_RESULT = "return_result"
    POSTAL_HANDOVER = "postal_handover"
    POSTAL_DELIVERED = "postal_delivered"
    POSTAL_FAILED = "postal_failed"
    POSTAL_RETURNED = "postal_returned"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS: dict[Action, str] = {
    Action.ACCEPT: "Tiếp nhận hồ sơ",
    Action.REFUSE: "Từ chối tiếp nhận",
    Action.FORWARD: "Chuyển cơ quan giải quyết",
    Action.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung hồ sơ",
    Action.RECEIVE_SUPPLEMENT: "Nhận hồ sơ bổ sung",
    Action.REQUEST_FINANCIAL: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Action.FINANCIAL_DONE: "Đã thực hiện nghĩa vụ tài chính",
    Action.WITHDRAW: "Rút hồ sơ",
    Action.STOP: "Dừng xử lý",
    Action.RECORD_RESULT: "Nhận kết quả từ cơ quan giải quyết",
    Action.RETURN_RESULT: "Trả kết quả tại Bộ phận Một cửa",
    Action.POSTAL_HANDOVER: "Giao kết quả cho bưu chính",
    Action.POSTAL_DELIVERED: "Bưu chính đã phát thành công",
    Action.POSTAL_FAILED: "Bưu chính phát không thành công",
    Action.POSTAL_RETURNED: "Bưu chính chuyển hoàn",
}

# The same names in English, for the command line run with `--lang en`.
ACTION_LABELS_EN: dict[Action, str] = {
    Action.ACCEPT: "File accepted",
    Action.REFUSE: "Intake refused",
    Action.FORWARD: "Forwarded to the settling agency",
    Action.REQUEST_SUPPLEMENT: "Supplement requested",
    Action.RECEIVE_SUPPLEMENT: "Supplement received",
    Action.REQUEST_FINANCIAL: "Financial obligation requested",
    Action.FINANCIAL_DONE: "Financial obligation met",
    Action.WITHDRAW: "File withdrawn",
    Action.STOP: "Processing stopped",
    Action.RECORD_RESULT: "Result received from the settling agency",
    Action.RETURN_RESULT: "Result returned at the desk",
    Action.POSTAL_HANDOVER: "Result handed to the post",
    Action.POSTAL_DELIVERED: "Delivered by the post",
    Action.POSTAL_FAILED: "Delivery by the post failed",
    Action.POSTAL_RETURNED: "Returned by the post",
}

# (from status or None for a file not yet on the register, action) -> new status.
TRANSITIONS: dict[tuple[Status | None, Action], Status] = {
    (None, Action.ACCEPT): Status.ACCEPTED,
    (None, Action.REFUSE): Status.REFUSED,
    (Status.REGISTERED, Action.ACCEPT): Status.ACCEPTED,
    (Status.REGISTERED, Action.REFUSE): Status.REFUSED,
    (Status.ACCEPTED, Action.FORWARD): Status.PROCESSING,
    (Status.ACCEPTED, Action.REQUEST_SUPPLEMENT): Status.SUPPLEMENT,
    (Status.PROCESSING, Action.REQUEST_SUPPLEMENT): Status.SUPPLEMENT,
    (Status.SUPPLEMENT, Action.RECEIVE_SUPPLEMENT): Status.PROCESSING,
    (Status.ACCEPTED, Action.REQUEST_FINANCIAL): Status.FINANCIAL,
    (Status.PROCESSING, Action.REQUEST_FINANCIAL): Status.FINANCIAL,
    (Status.FINANCIAL, Action.FINANCIAL_DONE): Status.PROCESSING,
    (Status.ACCEPTED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.PROCESSING, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.SUPPLEMENT, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.FINANCIAL, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.PROCESSING, Action.STOP): Status.STOPPED,
    (Status.ACCEPTED, Action.RECORD_RESULT): Status.SETTLED,
    (Status.PROCESSING, Action.RECORD_RESULT): Status.SETTLED,
    (Status.SETTLED, Action.RETURN_RESULT): Status.RETURNED,
    # A result sent by post stays at 9 until delivery is confirmed; a returned item comes back to 9.
    (Status.SETTLED, Action.POSTAL_HANDOVER): Status.SETTLED,
    (Status.SETTLED, Action.POSTAL_FAILED): Status.SETTLED,
    (Status.SETTLED, Action.POSTAL_RETURNED): Status.SETTLED,
    (Status.SETTLED, Action.POSTAL_DELIVERED): Status.RETURNED,
}


def next_status(current: Status | None, action: Action) -> Status:
    """The status after `action`; raises IllegalTransitionError naming the status and the move."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        where = current.label if current is not None else "chưa tiếp nhận"
        raise IllegalTransitionError(
            current,
            action.value,
            f"Không thể thực hiện “{action.label}” khi hồ sơ đang ở trạng thái “{where}”.",
        ) from None


def allowed_actions(current: Status | None) -> list[Action]:
    """Actions allowed from `current`, in the order the window shows them."""
    return [a for (s, a) in TRANSITIONS if s == current]
