"""The machine's refusals (a read-only database or folder, a file not allowed) as one line."""

from __future__ import annotations

import sqlite3

import psycopg
from sqlalchemy.exc import DBAPIError

from desk_app.cli.lang import tr


def environment_message(exc: BaseException) -> str | None:
    """A line for a failure of the machine rather than of the program, or None."""
    if isinstance(exc, DBAPIError) and _connection_lost(exc):
        # A centre's server that stopped answering in the middle of a command.
        return tr(
            "Mất kết nối tới máy chủ cơ sở dữ liệu của trung tâm; việc đang làm đã hủy, không có "
            "gì được ghi nửa chừng. Hãy kiểm tra mạng tới máy chủ rồi chạy lại lệnh."
        )
    if isinstance(exc, DBAPIError) and isinstance(exc.orig, sqlite3.Error):
        exc = exc.orig
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        if "readonly" in text or "read-only" in text:
            return tr(
                "Tệp cơ sở dữ liệu hoặc thư mục chứa nó chỉ cho phép đọc; chương trình cần quyền "
                "ghi vào cả hai (cả tệp -wal, -shm bên cạnh). Không có gì được ghi."
            )
        if "unable to open" in text:
            return tr(
                "Không mở được tệp cơ sở dữ liệu: thư mục không cho phép ghi hoặc không truy cập "
                "được. Không có gì được ghi."
            )
        if "disk i/o" in text or "database or disk is full" in text:
            return tr(
                "Đĩa đầy hoặc lỗi đọc ghi đĩa khi dùng cơ sở dữ liệu; giao dịch đang làm đã hủy."
            )
    if isinstance(exc, PermissionError):
        if exc.filename:
            return tr("Không có quyền truy cập {path}.", path=exc.filename)
        return tr("Không có quyền truy cập.")
    return None


def _connection_lost(exc: DBAPIError) -> bool:
    """The connection to a centre's server broke (not a refusal such as a lock's timeout, which
    psycopg also calls an OperationalError)."""
    orig = exc.orig
    if not isinstance(orig, psycopg.OperationalError):
        return False
    state = orig.sqlstate
    # 08: connection exceptions; 57P01-57P03: the server shut down or cannot connect now.
    return exc.connection_invalidated or state is None or state.startswith(("08", "57P"))
