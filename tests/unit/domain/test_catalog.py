"""Tests for the procedure catalogue: seed data, JSON/CSV round trips, import errors."""

from __future__ import annotations

import json
import sys
import unicodedata
from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app import resources
from desk_app.domain.catalog import (
    CATALOG_FORMAT,
    CSV_COLUMNS,
    DocumentSpec,
    ProcedureSpec,
    bundled_catalog,
    dump_catalog_csv,
    dump_catalog_file,
    dump_catalog_json,
    load_catalog_csv,
    load_catalog_file,
    load_catalog_json,
)
from desk_app.domain.documents import CopyType
from desk_app.domain.due import DurationUnit
from desk_app.errors import DeskError, NotFoundError, ValidationError

HEADER = ",".join(CSV_COLUMNS)


def spec(**changes: object) -> ProcedureSpec:
    """A valid procedure with the given fields changed."""
    fields: dict[str, object] = {
        "code": "T-01",
        "name": "Thủ tục thử",
        "field": "Văn hóa",
        "settling_agency": "Phòng Quản lý Văn hóa và Gia đình",
        "duration": Decimal(5),
        "unit": DurationUnit.WORKING_DAYS,
    }
    fields.update(changes)
    return ProcedureSpec(**fields)  # type: ignore[arg-type]


def csv_row(**cells: str) -> str:
    """One CSV data row (no quoting: callers pass plain cells)."""
    base = {
        "code": "T-01",
        "name": "Thủ tục thử",
        "field": "Văn hóa",
        "settling_agency": "Phòng Văn hóa",
        "duration": "5",
        "unit": "working_days",
    }
    base.update(cells)
    return ",".join(base.get(column, "") for column in CSV_COLUMNS)


def json_text(*procedures: dict[str, object]) -> str:
    return json.dumps(
        {"format": CATALOG_FORMAT, "version": 1, "procedures": list(procedures)},
        ensure_ascii=False,
    )


def json_record(**changes: object) -> dict[str, object]:
    record: dict[str, object] = {
        "code": "T-01",
        "name": "Thủ tục thử",
        "field": "Văn hóa",
        "settling_agency": "Phòng Văn hóa",
        "duration": "5",
        "unit": "working_days",
    }
    record.update(changes)
    return record


# --- the bundled seed ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> list[ProcedureSpec]:
    return bundled_catalog()


def test_bundled_catalogue_loads_with_every_unit(seed: list[ProcedureSpec]) -> None:
    assert len(seed) >= 18
    assert {s.unit for s in seed} == set(DurationUnit)
    assert {"Văn hóa", "Du lịch", "Thể dục thể thao"} <= {s.field for s in seed}


def test_bundled_karaoke_is_the_confirmed_code(seed: list[ProcedureSpec]) -> None:
    karaoke = next(s for s in seed if "karaoke" in s.name and s.name.startswith("Cấp"))
    assert karaoke.code == "1.001029"
    assert karaoke.unit is DurationUnit.WORKING_DAYS
    assert karaoke.duration == Decimal(5)
    assert karaoke.fee == 4_000_000
    assert karaoke.documents[0].copy_type is CopyType.ORIGINAL


def test_bundled_unconfirmed_entries_say_so(seed: list[ProcedureSpec]) -> None:
    for procedure in seed:
        if procedure.code != "1.001029":
            assert "đối chiếu" in procedure.verify_note, procedure.code
        assert procedure.documents, procedure.code
        assert procedure.active


def test_bundled_special_cases(seed: list[ProcedureSpec]) -> None:
    revoke = next(s for s in seed if s.name.startswith("Thu hồi Giấy phép kinh doanh dịch vụ lữ"))
    assert revoke.unit is DurationUnit.NONE
    assert revoke.duration is None
    copies = next(s for s in seed if s.name.startswith("Chứng thực bản sao từ bản chính"))
    assert copies.unit is DurationUnit.SAME_DAY
    assert copies.cutoff == time(15, 0)
    assert "2.000 đồng/trang" in copies.fee_note
    assert any(s.duration == Decimal("0.5") for s in seed)
    assert any(s.restart_on_supplement for s in seed)


def test_bundled_file_is_in_canonical_form() -> None:
    text = resources.read_resource_text("catalog", "procedures.json")
    assert dump_catalog_json(load_catalog_json(text)) == text


def test_bundled_json_round_trip(seed: list[ProcedureSpec]) -> None:
    assert load_catalog_json(dump_catalog_json(seed)) == seed


def test_bundled_csv_round_trip(seed: list[ProcedureSpec]) -> None:
    text = dump_catalog_csv(seed)
    assert text.startswith(HEADER + "\r\n")
    assert load_catalog_csv(text) == seed


def test_bundled_file_round_trip(seed: list[ProcedureSpec], tmp_path: Path) -> None:
    for name in ("catalog.json", "catalog.csv", "CATALOG.CSV"):
        path = tmp_path / name
        dump_catalog_file(seed, path)
        assert load_catalog_file(path) == seed
    # The CSV file starts with a BOM so that Excel reads it as UTF-8.
    assert (tmp_path / "catalog.csv").read_bytes().startswith(b"\xef\xbb\xbfcode,")
    assert not (tmp_path / "catalog.json").read_bytes().startswith(b"\xef\xbb\xbf")


# --- generated round trips -------------------------------------------------------------------

VIET = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
    "ĐÂƠƯÊÔĂÁỆ0123456789"
)
# The characters CSV and the documents cell treat specially, besides letters and spaces.
SPECIAL = " ,;|\"'\\/()-.:=+*«»"
LINE = st.text(alphabet=VIET + SPECIAL, min_size=1, max_size=40).filter(lambda s: s.strip())
NOTE = st.text(alphabet=VIET + SPECIAL + "\n\r\t", max_size=60)
CODES = st.from_regex(r"[0-9A-Za-z][0-9A-Za-z._/-]{0,20}", fullmatch=True)


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


documents_st = st.lists(
    st.builds(
        DocumentSpec,
        name=LINE,
        copy_type=st.sampled_from(CopyType),
        count=st.integers(1, 99),
        required=st.booleans(),
    ),
    max_size=5,
    unique_by=lambda d: _fold(d.name.strip()),
)


@st.composite
def procedures(draw: st.DrawFn) -> ProcedureSpec:
    unit = draw(st.sampled_from(DurationUnit))
    duration: Decimal | None
    cutoff: time | None = None
    if unit is DurationUnit.NONE:
        duration = None
    elif unit is DurationUnit.SAME_DAY:
        duration = draw(st.sampled_from([None, Decimal(1), Decimal("1.00")]))
        cutoff = draw(st.none() | st.builds(time, st.integers(0, 23), st.integers(0, 59)))
    elif unit is DurationUnit.CALENDAR_DAYS:
        duration = Decimal(draw(st.integers(1, 1000)))
    else:
        duration = draw(
            st.decimals(
                min_value=Decimal("0.01"), max_value=Decimal(1000), places=2, allow_nan=False
            )
        )
    return ProcedureSpec(
        code=draw(CODES),
        name=draw(LINE),
        field=draw(LINE),
        settling_agency=draw(LINE),
        duration=duration,
        unit=unit,
        restart_on_supplement=draw(st.booleans()),
        fee=draw(st.none() | st.integers(0, 10**12)),
        fee_note=draw(NOTE),
        documents=tuple(draw(documents_st)),
        cutoff=cutoff,
        active=draw(st.booleans()),
        verify_note=draw(NOTE),
    )


catalogues = st.lists(procedures(), max_size=4, unique_by=lambda p: p.code.casefold())


@given(catalogues)
def test_generated_json_round_trip(specs: list[ProcedureSpec]) -> None:
    assert load_catalog_json(dump_catalog_json(specs)) == specs


@given(catalogues)
def test_generated_csv_round_trip(specs: list[ProcedureSpec]) -> None:
    assert load_catalog_csv(dump_catalog_csv(specs)) == specs


@given(catalogues, st.sampled_from(["\r\n", "\n"]))
def test_generated_csv_survives_excel_bom_and_line_endings(
    specs: list[ProcedureSpec], newline: str
) -> None:
    # Excel saves "CSV UTF-8" with a BOM; other tools write bare LF between rows.
    text = dump_catalog_csv(specs)
    if newline == "\n":
        text = text.replace("\r\n", "\n")
    assert load_catalog_csv("\ufeff" + text) == specs


@given(st.text(max_size=200))
def test_arbitrary_csv_body_fails_only_with_validation_error(body: str) -> None:
    try:
        result = load_catalog_csv(HEADER + "\r\n" + body)
    except ValidationError as exc:
        assert exc.message.startswith("Dòng ")
    else:
        assert all(isinstance(item, ProcedureSpec) for item in result)


@given(st.text(max_size=200))
def test_arbitrary_json_fails_only_with_validation_error(text: str) -> None:
    with pytest.raises(ValidationError):
        load_catalog_json(text)


# --- Excel and people's spellings ------------------------------------------------------------


def test_csv_accepts_vietnamese_labels_and_spellings() -> None:
    text = "\ufeff" + "\r\n".join(
        [
            HEADER,
            csv_row(code="A", unit="Ngày làm việc", duration='"0,5"', fee='"4.000.000"'),
            csv_row(code="B", unit="giờ làm việc", duration="4", restart_on_supplement="có"),
            csv_row(code="C", unit="NGÀY", duration="15", active="không"),
            csv_row(code="D", unit="trong ngày", duration="", cutoff="15h00"),
            csv_row(code="E", unit="không quy định thời hạn", duration=""),
            csv_row(
                code="F",
                documents='"Tờ khai | Bản chính | 1\nẢnh 3x4 | bản photo | 2 | không bắt buộc"',
            ),
        ]
    )
    by_code = {s.code: s for s in load_catalog_csv(text)}
    assert by_code["A"].unit is DurationUnit.WORKING_DAYS
    assert by_code["A"].duration == Decimal("0.5")
    assert by_code["A"].fee == 4_000_000
    assert by_code["B"].unit is DurationUnit.WORKING_HOURS
    assert by_code["B"].restart_on_supplement is True
    assert by_code["C"].unit is DurationUnit.CALENDAR_DAYS
    assert by_code["C"].active is False
    assert by_code["D"].unit is DurationUnit.SAME_DAY
    assert by_code["D"].duration == Decimal(1)
    assert by_code["D"].cutoff == time(15, 0)
    assert by_code["E"].unit is DurationUnit.NONE
    assert by_code["E"].duration is None
    assert by_code["F"].documents == (
        DocumentSpec("Tờ khai", CopyType.ORIGINAL, 1, True),
        DocumentSpec("Ảnh 3x4", CopyType.PHOTO, 2, False),
    )


def test_csv_accepts_semicolon_separated_export() -> None:
    text = (
        HEADER.replace(",", ";") + "\r\n" + csv_row(name='"Cấp phép; điều chỉnh"').replace(",", ";")
    )
    (only,) = load_catalog_csv(text)
    assert only.name == "Cấp phép; điều chỉnh"


def test_csv_header_may_omit_optional_columns_and_reorder() -> None:
    text = "unit,code,name,field,settling_agency,duration\nsame_day,X,Tên,LV,CQ,\n,,,,,\n"
    (only,) = load_catalog_csv(text)
    assert only.code == "X"
    assert only.documents == ()
    assert only.active is True


def test_json_accepts_vietnamese_unit_label_and_number_duration() -> None:
    text = json_text(
        json_record(unit="Giờ làm việc", duration=8),
        json_record(code="T-02", unit="ngày làm việc", duration=0.5),
    )
    first, second = load_catalog_json("\ufeff" + text)
    assert first.unit is DurationUnit.WORKING_HOURS
    assert first.duration == Decimal(8)
    assert second.duration == Decimal("0.5")


def test_document_name_may_contain_the_separator() -> None:
    docs = (
        DocumentSpec("Tờ khai | bản 2", CopyType.ORIGINAL),
        DocumentSpec("A | photo | 1", CopyType.CERTIFIED, 3, required=False),
        DocumentSpec("optional", CopyType.PHOTO),
    )
    specs = [spec(documents=docs)]
    assert load_catalog_csv(dump_catalog_csv(specs)) == specs
    assert "A | photo | 1 | certified | 3 | optional" in dump_catalog_csv(specs)


def test_text_is_normalised_to_nfc_and_trimmed() -> None:
    decomposed = unicodedata.normalize("NFD", "  Cấp thẻ hướng dẫn viên  ")
    made = spec(name=decomposed, documents=(DocumentSpec(unicodedata.normalize("NFD", " Đơn ")),))
    assert made.name == "Cấp thẻ hướng dẫn viên"
    assert made.documents[0].name == "Đơn"
    assert made == spec(name="Cấp thẻ hướng dẫn viên", documents=(DocumentSpec("Đơn"),))


# --- rules for one record --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"code": " "}, "code", "Mã thủ tục không được để trống"),
        ({"code": "mã có dấu"}, "code", "không hợp lệ"),
        ({"name": ""}, "name", "Tên thủ tục không được để trống"),
        ({"name": "Dòng 1\nDòng 2"}, "name", "xuống dòng"),
        ({"field": " "}, "field", "Lĩnh vực"),
        ({"settling_agency": ""}, "settling_agency", "Cơ quan giải quyết"),
        ({"duration": None}, "duration", "Thiếu thời hạn"),
        ({"duration": Decimal(0)}, "duration", "lớn hơn 0"),
        ({"duration": Decimal(-1)}, "duration", "lớn hơn 0"),
        ({"duration": Decimal("NaN")}, "duration", "phải là một số"),
        ({"duration": Decimal("0.125")}, "duration", "2 chữ số thập phân"),
        ({"duration": Decimal(1001)}, "duration", "không được quá"),
        ({"unit": DurationUnit.NONE}, "duration", "không quy định thời hạn"),
        ({"unit": DurationUnit.SAME_DAY}, "duration", "trong ngày"),
        (
            {"unit": DurationUnit.CALENDAR_DAYS, "duration": Decimal("1.5")},
            "duration",
            "số ngày nguyên",
        ),
        ({"unit": "tuần"}, "unit", "Đơn vị thời hạn"),
        ({"cutoff": time(15, 0)}, "cutoff", "trong ngày"),
        (
            {"unit": DurationUnit.SAME_DAY, "duration": None, "cutoff": time(15, 0, 30)},
            "cutoff",
            "giờ và phút",
        ),
        ({"fee": -1}, "fee", "Lệ phí"),
        ({"fee": True}, "fee", "số nguyên"),
        ({"restart_on_supplement": "yes"}, "restart_on_supplement", "có/không"),
        (
            {"documents": (DocumentSpec("Đơn"), DocumentSpec(" ĐƠN "))},
            "documents",
            "bị lặp",
        ),
        ({"fee_note": "a\x00b"}, "fee_note", "ký tự điều khiển"),
    ],
)
def test_procedure_rules(changes: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        spec(**changes)
    assert caught.value.field == field
    assert words in caught.value.message


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"name": "  "}, "không được để trống"),
        ({"name": "Đơn\nđề nghị"}, "xuống dòng"),
        ({"name": "Đơn", "count": 0}, "từ 1 đến 99"),
        ({"name": "Đơn", "count": 100}, "từ 1 đến 99"),
        ({"name": "Đơn", "copy_type": "bản nháp"}, "Loại bản"),
    ],
)
def test_document_rules(kwargs: dict[str, object], words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        DocumentSpec(**kwargs)  # type: ignore[arg-type]
    assert words in caught.value.message


def test_same_day_duration_defaults_to_one_and_none_unit_has_none() -> None:
    assert spec(unit=DurationUnit.SAME_DAY, duration=None).duration == Decimal(1)
    assert spec(unit=DurationUnit.NONE, duration=None).duration is None


# --- errors name the record ------------------------------------------------------------------


def test_json_error_names_the_procedure() -> None:
    text = json_text(json_record(code="A"), json_record(code="B"), json_record(code="C", name=""))
    with pytest.raises(ValidationError, match=r"^Thủ tục thứ 3: Tên thủ tục") as caught:
        load_catalog_json(text)
    assert caught.value.field == "name"


@pytest.mark.parametrize(
    ("record", "words"),
    [
        (json_record(unit="tuần"), "Thủ tục thứ 1: Đơn vị thời hạn «tuần»"),
        (json_record(fee="bốn triệu"), "Thủ tục thứ 1: Lệ phí «bốn triệu»"),
        (json_record(fee=1.5), "Thủ tục thứ 1: Lệ phí phải là số nguyên"),
        (json_record(active="yes"), "Thủ tục thứ 1: Đang áp dụng phải là true hoặc false"),
        (json_record(fees=1), "Thủ tục thứ 1: Trường không xác định: fees"),
        (json_record(code=None), "Thủ tục thứ 1: Thiếu mã thủ tục"),
        (json_record(cutoff=1500), "Thủ tục thứ 1: Giờ chốt"),
        (
            json_record(documents=[{"name": "Đơn"}, {"name": "Ảnh", "count": "hai"}]),
            "Thủ tục thứ 1: Thành phần hồ sơ thứ 2: Số lượng bản",
        ),
        (json_record(documents="Đơn"), "Thủ tục thứ 1: Thành phần hồ sơ phải là một danh sách"),
        ("chuỗi", "Thủ tục thứ 1: Phải là một đối tượng JSON"),
    ],
)
def test_json_bad_values(record: object, words: str) -> None:
    text = json.dumps({"format": CATALOG_FORMAT, "version": 1, "procedures": [record]})
    with pytest.raises(ValidationError) as caught:
        load_catalog_json(text)
    assert caught.value.message.startswith(words)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{", "Tệp JSON không hợp lệ (dòng 1, cột 2)"),
        ("[]", "Tệp không phải danh mục thủ tục"),
        ('{"format": "other", "version": 1, "procedures": []}', "Tệp không phải danh mục"),
        (f'{{"format": "{CATALOG_FORMAT}", "version": 2, "procedures": []}}', "phiên bản 2"),
        (f'{{"format": "{CATALOG_FORMAT}", "version": 1}}', "thiếu danh sách"),
    ],
)
def test_json_bad_file(text: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        load_catalog_json(text)
    assert words in caught.value.message


def test_csv_error_names_the_excel_row() -> None:
    text = "\r\n".join(
        [
            HEADER,
            # A cell spanning two physical lines still makes one row.
            csv_row(code="A", fee_note='"Dòng một\r\nDòng hai"'),
            csv_row(code="B"),
            csv_row(code="C", duration="năm"),
        ]
    )
    with pytest.raises(ValidationError, match=r"^Dòng 4: Thời hạn giải quyết «năm»") as caught:
        load_catalog_csv(text)
    assert caught.value.field == "duration"


def test_csv_blank_rows_keep_their_numbers() -> None:
    text = "\n".join([HEADER, csv_row(code="A"), ",,,,,,,,,,,,", csv_row(code="C", unit="")])
    with pytest.raises(ValidationError, match=r"^Dòng 4: Đơn vị thời hạn"):
        load_catalog_csv(text)


@pytest.mark.parametrize(
    ("cells", "words"),
    [
        ({"documents": '"Đơn | original"'}, "Dòng 2: Thành phần hồ sơ thứ 1: «Đơn | original»"),
        ({"documents": '"Đơn | original | 1\nẢnh | bản màu | 2"'}, "Thành phần hồ sơ thứ 2: Loại"),
        ({"documents": '"Đơn | original | một"'}, "Số lượng bản «một»"),
        ({"fee": '"4.000,000"'}, "Dòng 2: Lệ phí «4.000,000»"),
        ({"fee": "9" * 5000}, "Dòng 2: Lệ phí"),
        ({"cutoff": "25:00"}, "Dòng 2: Giờ chốt"),
        ({"active": "có lẽ"}, "Dòng 2: Đang áp dụng: «có lẽ»"),
        ({"code": ""}, "Dòng 2: Mã thủ tục không được để trống"),
    ],
)
def test_csv_bad_values(cells: dict[str, str], words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        load_catalog_csv(HEADER + "\n" + csv_row(**cells))
    assert words in caught.value.message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Tệp CSV trống"),
        ("\ufeff", "Tệp CSV trống"),
        (HEADER + ",fees\n", "Dòng 1: cột không xác định: fees"),
        ("code,name,field,settling_agency\n", "Dòng 1: thiếu cột: unit"),
        ("code,name,field,settling_agency,unit,Code\n", "Dòng 1: cột bị lặp: code"),
        (HEADER + "\n" + csv_row() + ",thừa\n", "Dòng 2: có nhiều ô hơn"),
    ],
)
def test_csv_bad_layout(text: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        load_catalog_csv(text)
    assert words in caught.value.message


# --- duplicates ------------------------------------------------------------------------------


def test_json_duplicate_codes_refused() -> None:
    text = json_text(
        json_record(code="VH-01"), json_record(code="DL-01"), json_record(code="vh-01")
    )
    with pytest.raises(ValidationError, match=r"^Thủ tục thứ 3: .*trùng với thủ tục thứ 1"):
        load_catalog_json(text)


def test_csv_duplicate_codes_refused() -> None:
    text = "\n".join([HEADER, csv_row(code="A"), csv_row(code="B"), csv_row(code="B")])
    with pytest.raises(ValidationError, match=r"^Dòng 4: mã thủ tục «B» trùng với dòng 3"):
        load_catalog_csv(text)


def test_dump_refuses_duplicate_codes() -> None:
    twins = [spec(code="X-1"), spec(code="x-1", name="Khác")]
    for dump in (dump_catalog_json, dump_catalog_csv):
        with pytest.raises(ValidationError, match="trùng"):
            dump(twins)


# --- files and resources ---------------------------------------------------------------------


def test_file_suffix_must_be_json_or_csv(tmp_path: Path) -> None:
    path = tmp_path / "catalog.xlsx"
    path.write_bytes(b"")
    with pytest.raises(ValidationError, match=r"\.json hoặc \.csv") as caught:
        load_catalog_file(path)
    assert caught.value.field == "path"
    with pytest.raises(ValidationError, match=r"\.json hoặc \.csv"):
        dump_catalog_file([spec()], tmp_path / "catalog.txt")
    assert not (tmp_path / "catalog.txt").exists()


def test_missing_or_undecodable_file(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        load_catalog_file(tmp_path / "none.csv")
    legacy = tmp_path / "legacy.csv"
    # An old Windows "CSV" in the Vietnamese code page, not UTF-8.
    legacy_text = HEADER + "\n" + csv_row(name="Văn hóa", settling_agency="CQ")
    legacy.write_bytes(legacy_text.encode("cp1258"))
    with pytest.raises(ValidationError, match="UTF-8"):
        load_catalog_file(legacy)


def test_csv_file_keeps_line_breaks_inside_cells(tmp_path: Path) -> None:
    specs = [spec(fee_note="Dòng một\nDòng hai", verify_note="a\nb\nc")]
    path = tmp_path / "c.csv"
    dump_catalog_file(specs, path)
    assert load_catalog_file(path) == specs
    assert not list(tmp_path.glob("*.partial"))


def test_dump_failure_is_a_desk_error(tmp_path: Path) -> None:
    with pytest.raises(DeskError, match="Không ghi được"):
        dump_catalog_file([spec()], tmp_path / "no-such-folder" / "c.json")


def test_resource_path_from_source_tree() -> None:
    path = resources.resource_path("catalog", "procedures.json")
    assert (
        path == Path(resources.__file__).resolve().parents[1] / "resources/catalog/procedures.json"
    )
    assert path.is_file()


def test_resource_path_in_pyinstaller_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "resources" / "catalog").mkdir(parents=True)
    (tmp_path / "resources" / "catalog" / "x.txt").write_bytes("\ufeffxin chào".encode())
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resource_path("catalog", "x.txt") == tmp_path / "resources/catalog/x.txt"
    assert resources.read_resource_text("catalog", "x.txt") == "xin chào"


def test_resource_path_cannot_escape() -> None:
    with pytest.raises(ValueError, match="escapes"):
        resources.resource_path("..", "pyproject.toml")
