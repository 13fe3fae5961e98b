"""Bulk import: CSV and JSON rows through the accept service, all or nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from desk_app.domain.workflow import Status
from desk_app.errors import DeskError
from desk_app.services.bulk import ImportRowError, import_files, parse_import
from desk_app.services.context import Actor
from desk_app.store.engine import Database

NOW = datetime(2026, 3, 3, 17, 0)
HEADER = "received,procedure,applicant_name,id_number,phone,email,address,channel,result_by,notes"
GOOD_ROWS = [
    "2026-03-02T09:15,1.001029,Đặng Thị Ánh,020185001234,0912345678,anh@example.vn,"
    '"Số 5, đường Trần Đăng Ninh",direct,counter,',
    "2026-03-02T09:40,CHUNG-CT-02,Hoàng Văn Bình,,,,,online,counter,Hồ sơ trực tuyến",
    "2026-03-03T08:00,VHTTDL-DL-04,Công ty TNHH Du lịch Mẫu Sơn,0123456789,,,,,,",
]


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_csv_rows_are_accepted_in_order(
    db: Database, supervisor: Actor, tmp_path: Path, count_rows: Callable[[str], int]
) -> None:
    path = _write(tmp_path, "ho_so.csv", "\n".join([HEADER, *GOOD_ROWS]) + "\n")
    where, rows = parse_import(path)
    with db.writer.begin() as s:
        views = import_files(s, rows, supervisor, where=where, now=NOW)

    assert where == "Dòng"
    assert [r.number for r in rows] == [2, 3, 4]
    assert [(v.code, v.register_seq) for v in views] == [
        ("000.00.20.H37-260302-0001", 1),
        ("000.00.20.H37-260302-0002", 2),
        ("000.00.20.H37-260303-0001", 3),
    ]
    first, second, third = views
    assert (first.applicant_name, first.phone, first.email, first.address) == (
        "Đặng Thị Ánh",
        "0912345678",
        "anh@example.vn",
        "Số 5, đường Trần Đăng Ninh",
    )
    assert first.due == datetime(2026, 3, 9, 9, 15)
    # 4 working hours from 09:40: 1 h 50 before lunch, 2 h 10 after -> 15:40.
    assert (second.channel, second.notes, second.due) == (
        "online",
        "Hồ sơ trực tuyến",
        datetime(2026, 3, 2, 15, 40),
    )
    assert (third.id_kind, third.due, third.status) == ("tax_code", None, Status.ACCEPTED)
    assert count_rows("files") == 3


def test_json_rows_are_accepted(
    db: Database, supervisor: Actor, tmp_path: Path, count_rows: Callable[[str], int]
) -> None:
    items = [
        {"received": "2026-03-02T09:15", "procedure": "1.001029", "applicant_name": "Đặng Thị Ánh"},
        {
            "received": "2026-03-02T10:00",
            "procedure": "1.001029",
            "applicant_name": "Lò Văn Tám",
            "phone": "+84 205 3812 345",
            "result_by": "post",
            "address": "Thôn Nà Pàn, xã Mai Pha",
        },
    ]
    path = _write(tmp_path, "ho_so.json", json.dumps(items, ensure_ascii=False))
    where, rows = parse_import(path)
    with db.writer.begin() as s:
        views = import_files(s, rows, supervisor, where=where, now=NOW)

    assert where == "Hồ sơ thứ"
    assert [v.code for v in views] == ["000.00.20.H37-260302-0001", "000.00.20.H37-260302-0002"]
    assert (views[1].phone, views[1].result_by, views[1].delivery_address) == (
        "02053812345",
        "post",
        "Thôn Nà Pàn, xã Mai Pha",
    )
    assert views[1].due == datetime(2026, 3, 9, 10, 0)
    assert count_rows("files") == 2


def test_bad_csv_row_aborts_the_whole_import(
    db: Database,
    supervisor: Actor,
    tmp_path: Path,
    table_counts: Callable[[], dict[str, int]],
) -> None:
    bad = "2026-03-03T08:30,1.001029,Vi Thị Hoa,,12345,,,,,"  # third data row: a bad phone
    content = "\n".join([HEADER, GOOD_ROWS[0], GOOD_ROWS[1], bad, GOOD_ROWS[2]]) + "\n"
    where, rows = parse_import(_write(tmp_path, "ho_so.csv", content))
    before = table_counts()
    with pytest.raises(ImportRowError) as caught, db.writer.begin() as s:
        import_files(s, rows, supervisor, where=where, now=NOW)

    assert caught.value.row == 4
    assert caught.value.message.startswith("Dòng 4: phone: ")
    assert table_counts() == before
    assert before["files"] == 0


def test_bad_json_item_names_its_number(
    db: Database,
    supervisor: Actor,
    tmp_path: Path,
    count_rows: Callable[[str], int],
) -> None:
    items = [
        {"received": "2026-03-02T09:15", "procedure": "1.001029", "applicant_name": "Đặng Thị Ánh"},
        {"received": "2026-03-02T09:20", "procedure": "9.999999", "applicant_name": "Lò Văn Tám"},
    ]
    where, rows = parse_import(_write(tmp_path, "ho_so.json", json.dumps(items)))
    with (
        pytest.raises(ImportRowError, match=r"^Hồ sơ thứ 2: procedure: ") as caught,
        db.writer.begin() as s,
    ):
        import_files(s, rows, supervisor, where=where, now=NOW)

    assert caught.value.row == 2
    assert count_rows("files") == 0


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2026-03-02,1.001029,,,,,,,,", "Dòng 3: thiếu cột bắt buộc applicant_name."),
        ("02/03/2026 09:15,1.001029,Lò Văn Tám,,,,,,,", "Dòng 3: received “02/03/2026 09:15”"),
        ("2026-03-02T09:15,1.001029,Lò Văn Tám,,,,,fax,,", "Dòng 3: channel “fax”"),
    ],
)
def test_unreadable_csv_row_is_refused_while_parsing(
    tmp_path: Path, row: str, message: str
) -> None:
    content = "\n".join([HEADER, GOOD_ROWS[0], row]) + "\n"
    with pytest.raises(ImportRowError) as caught:
        parse_import(_write(tmp_path, "ho_so.csv", content))

    assert caught.value.message.startswith(message)
    assert caught.value.row == 3


def test_unknown_column_is_refused(tmp_path: Path) -> None:
    content = "received,procedure,applicant_name,so_tien\n2026-03-02T09:15,1.001029,Lò Văn Tám,5\n"
    with pytest.raises(ImportRowError, match="so_tien"):
        parse_import(_write(tmp_path, "ho_so.csv", content))


@pytest.mark.parametrize(
    ("name", "content"),
    [("ho_so.xlsx", "x"), ("ho_so.json", "{}"), ("ho_so.json", "[1, 2")],
)
def test_unreadable_file_is_refused(tmp_path: Path, name: str, content: str) -> None:
    with pytest.raises(DeskError):
        parse_import(_write(tmp_path, name, content))


def test_imported_files_say_where_they_came_from(db: Database, tmp_path: Path) -> None:
    from desk_app.services.context import COMMAND_LINE

    src = tmp_path / "so-giay.csv"
    src.write_text(
        "received,procedure,applicant_name\n2026-03-02T09:15,1.001029,Lò Văn Páo\n",
        encoding="utf-8",
    )
    where, rows = parse_import(src)
    with db.writer.begin() as s:
        (view,) = import_files(s, rows, COMMAND_LINE, where=where, now=NOW)
    assert view.events[0].action == "accept"
    assert view.events[0].data == {"source": "Nhập từ sổ giấy: so-giay.csv, dòng 2"}
    assert view.source == "Nhập từ sổ giấy: so-giay.csv, dòng 2"
