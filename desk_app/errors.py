"""Error hierarchy: known, user-facing failures carry a code and a Vietnamese message."""

from __future__ import annotations


class DeskError(Exception):
    """A known failure the user can act on (bad input, illegal move, stale edit, ...).

    `code` is stable and machine-readable; `message` is the Vietnamese text shown to the user;
    `field` names the input field the message belongs next to, when there is one.
    """

    code: str = "desk_error"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(DeskError):
    """Input that breaks a rule (identity number, phone, code format, ...)."""

    code = "invalid"


class NotFoundError(DeskError):
    """A file, procedure, user or setting that does not exist."""

    code = "not_found"


class IllegalTransitionError(DeskError):
    """A move the file's life cycle does not allow from its current status."""

    code = "illegal_transition"

    def __init__(self, current: object, action: str, message: str) -> None:
        super().__init__(message)
        self.current = current
        self.action = action


class StaleEditError(DeskError):
    """Someone else changed the record since the caller read it."""

    code = "stale_edit"


class ConfigurationError(DeskError):
    """The desk is not set up (no identity, no calendar) or a setting is invalid."""

    code = "configuration"


class FieldsError(ValidationError):
    """Several fields are wrong at once; `errors` maps each field to its Vietnamese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        first_field = next(iter(errors))
        super().__init__("; ".join(errors.values()), code="invalid_fields", field=first_field)
        self.errors = dict(errors)


class DatabaseBusyError(DeskError):
    """Another connection held SQLite's write lock longer than the busy timeout; nothing saved.

    Safe to try again as it is: the transaction that met the lock was rolled back whole.
    """

    code = "database_busy"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "Cơ sở dữ liệu đang bận (một máy khác hoặc một lần nhập hồ sơ đang ghi). "
            "Chưa có gì được lưu; hãy thử lại sau giây lát."
        )


class ServerOfflineError(DeskError):
    """The centre's PostgreSQL server could not be reached, or the connection to it dropped in
    the middle of the work (refused, closed by the server, timed out); nothing was committed.

    Safe to try again once the server answers: the transaction never committed, so doing the
    same work again cannot write it twice. The window goes "offline" (desk_app.ui.offline) and
    retries on its own.
    """

    code = "server_offline"

    def __init__(self, message: str | None = None, *, reading: bool = False) -> None:
        # A read (a list, counts, a file's panel) rather than a change the user asked for: the
        # window reads again once the server is back, so it needs no message box of its own.
        self.reading = reading
        super().__init__(
            message
            or "Mất kết nối máy chủ cơ sở dữ liệu của Trung tâm. Việc vừa làm chưa được lưu "
            "(không có gì được ghi nửa chừng); chương trình đang tự kết nối lại, khi kết nối "
            "lại hãy làm lại."
        )
