"""The national index (Decision 766) computed at the desk: every figure equal to a count made by
hand from the rows of a small register of two agencies (with their own office hours), the files
behind each figure as many as it counts, one agency or the whole centre, the weights as data
(a desk's own file laid over the bundled one, a bad file refused by name), the PDF's text and
the workbook read back."""

from __future__ import annotations

import io
import json
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from desk_app.domain.digitising import LineKind, LineState
from desk_app.domain.documents import Channel
from desk_app.errors import ConfigurationError, ValidationError
from desk_app.printing import formset
from desk_app.printing import index_report as index_form
from desk_app.services import digitise, index_exports, intake, lifecycle
from desk_app.services import national_index as ni
from desk_app.services.context import Actor, load_calendar
from desk_app.services.lifecycle import MoveInput
from desk_app.services.scope import ALL, Scope
from desk_app.store.engine import Database
from desk_app.store.models import DeskSettings, DocumentSet, FileRecord, Pause, ScanLine, ScanPage
from tests.centre_data import COPY, JUSTICE, KARAOKE, TOURS, add_justice, desks

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
AFTER = datetime(2026, 4, 15, 10, 0)  # the index is made after the period
JUSTICE_HOURS = "07:30-11:30,13:30-17:30"
SCOPES = {"centre": ALL, "first": Scope.of({1}), "justice": Scope.of({JUSTICE})}
EXCEPTIONS = {str(s) for s in LineState if s.is_exception}


def png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 12), colour).save(buffer, format="PNG")
    return buffer.getvalue()


SCAN, RESULT_SCAN, OTHER_SCAN = png("white"), png("black"), png("red")


@dataclass(frozen=True)
class Register:
    db: Database
    codes: dict[str, str]
    first: Actor  # the first agency's counter
    clerk: Actor  # the second agency's


def _accept(
    db: Database,
    actor: Actor,
    procedure: str,
    received: datetime,
    agency: int,
    channel: Channel = Channel.DIRECT,
) -> str:
    data = intake.IntakeInput(
        procedure=procedure,
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
        received_at=received,
        agency=agency,
        channel=channel,
    )
    with db.writer.begin() as s:
        code = intake.accept_file(s, data, actor, now=received).code
        digitise.open_lines(s, code, actor, received)
    return code


def _lines(db: Database, code: str) -> int:
    with db.reader.begin() as s:
        return len(digitise.file_lines(s, code))


@pytest.fixture
def register(db: Database, officer: Actor, supervisor: Actor) -> Register:
    """Eight files of two agencies around March 2026: settled early, late after a pause, on
    time, after the period, carried over from February, withdrawn, left open; received at the
    counter and online; digitised wholly, with exceptions, partly, not at all; results scanned,
    explained and left; the same bytes attached to three files."""
    add_justice(db)
    with db.writer.begin() as s:
        justice = s.get(DeskSettings, JUSTICE)
        assert justice is not None
        justice.office_hours = JUSTICE_HOURS
    who = desks(db, officer, supervisor)
    first, clerk = who.first_counter, who.justice
    codes: dict[str, str] = {}
    day = datetime(2026, 3, 2)  # Monday

    def at(days: int, hour: int, minute: int = 0) -> datetime:
        return day + timedelta(days=days, hours=hour, minutes=minute)

    # f1: every line scanned, settled early, its result scanned.
    codes["f1"] = _accept(db, first, KARAOKE, at(0, 9), 1)
    with db.writer.begin() as s:
        for line in range(_lines(db, codes["f1"])):
            digitise.attach(s, codes["f1"], [(SCAN, "a.png")], first, at(0, 9, 5), line=line)
        lifecycle.record_result(s, MoveInput(codes["f1"]), first, now=at(2, 10))
        digitise.attach(
            s, codes["f1"], [(RESULT_SCAN, "r.png")], first, at(2, 10, 5), kind=LineKind.RESULT
        )
    # f2: one line scanned with f1's bytes, the others shown only; paused two days; late; its
    # result confidential.
    codes["f2"] = _accept(db, first, KARAOKE, at(1, 14), 1)
    with db.writer.begin() as s:
        digitise.attach(s, codes["f2"], [(SCAN, "a.png")], first, at(1, 14, 5), line=0)
        for line in range(1, _lines(db, codes["f2"])):
            digitise.set_state(
                s, codes["f2"], LineState.SHOWN_ONLY, first, at(1, 14, 6), line=line, reason="Xem"
            )
        lifecycle.request_supplement(s, MoveInput(codes["f2"]), "Thiếu", first, now=at(2, 9))
        lifecycle.receive_supplement(s, MoveInput(codes["f2"]), first, now=at(4, 9))
        lifecycle.record_result(s, MoveInput(codes["f2"]), first, now=at(15, 16))
        digitise.set_state(
            s, codes["f2"], LineState.CONFIDENTIAL, first, at(15, 16, 5), reason="Mật",
            kind=LineKind.RESULT,
        )  # fmt: skip
    # f3: received late on a Friday afternoon, its lines pending, still open.
    codes["f3"] = _accept(db, first, TOURS, at(4, 16, 30), 1)
    # f4: submitted online, settled.
    codes["f4"] = _accept(db, first, KARAOKE, at(7, 10), 1, Channel.ONLINE)
    with db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(codes["f4"]), first, now=at(10, 11))
    # f5: received in February (before digitising was asked), settled late in March.
    codes["f5"] = _accept(db, first, KARAOKE, datetime(2026, 2, 20, 10), 1)
    with db.writer.begin() as s:
        s.query(ScanLine).filter(ScanLine.file_id == _id(s, codes["f5"])).delete()
        lifecycle.record_result(s, MoveInput(codes["f5"]), first, now=at(8, 15))
    # f6: received at the end of March, settled in April; one line scanned with other bytes.
    codes["f6"] = _accept(db, first, KARAOKE, at(28, 9), 1)
    with db.writer.begin() as s:
        digitise.attach(s, codes["f6"], [(OTHER_SCAN, "o.png")], first, at(28, 9, 5), line=0)
        lifecycle.record_result(s, MoveInput(codes["f6"]), first, now=at(30, 9))
    # j1: the second agency, its hours; scanned with f1's bytes, settled, result scanned.
    codes["j1"] = _accept(db, clerk, COPY.code, at(3, 8), JUSTICE)
    with db.writer.begin() as s:
        digitise.attach(s, codes["j1"], [(SCAN, "a.png")], clerk, at(3, 8, 5), line=0)
        lifecycle.record_result(s, MoveInput(codes["j1"]), clerk, now=at(7, 9))
        digitise.attach(
            s, codes["j1"], [(OTHER_SCAN, "r.png")], clerk, at(7, 9, 5), kind=LineKind.RESULT
        )
    # j2: withdrawn.
    codes["j2"] = _accept(db, clerk, KARAOKE, at(9, 10), JUSTICE)
    with db.writer.begin() as s:
        lifecycle.withdraw(s, MoveInput(codes["j2"]), "Xin rút", clerk, now=at(10, 10))
    return Register(db, codes, first, clerk)


def _id(s: object, code: str) -> int:
    from sqlalchemy.orm import Session

    assert isinstance(s, Session)
    record = s.scalar(select(FileRecord).where(FileRecord.code == code))
    assert record is not None
    return record.id


def _hand_count(db: Database, scope: Scope) -> dict[str, float | None]:
    """Every figure walked in Python from the rows, by the words of the figures' notes."""
    s0 = datetime.combine(MARCH[0], time())
    e0 = datetime.combine(MARCH[1] + timedelta(days=1), time())
    out: dict[str, float | None] = {}
    with db.reader.begin() as s:
        files = [
            f
            for f in s.scalars(select(FileRecord))
            if scope.covers(f.agency) and f.status not in (1, 3)
        ]
        lines = list(s.scalars(select(ScanLine)))
        pages = list(s.scalars(select(ScanPage)))
        pauses = list(s.scalars(select(Pause)))
        items = {d.id: len(json.loads(d.items)) for d in s.scalars(select(DocumentSet))}
        calendars = {a: load_calendar(s, agency=a) for a in {f.agency for f in files}}
    received = [f for f in files if s0 <= f.received_at < e0]
    settled = [f for f in files if f.settled_at is not None and s0 <= f.settled_at < e0]
    out["progress.received"] = len(received)
    out["progress.settled"] = len(settled)
    out["progress.on_time"] = sum(f.outcome in ("early", "on_time") for f in settled)
    out["progress.late"] = sum(f.outcome == "late" for f in settled)
    out["online.received"] = sum(f.channel == "online" for f in received)
    counter = [f for f in received if f.channel != "online"]
    out["digitisation.files_counted"] = len(counter)

    def doc_states(f: FileRecord) -> list[str]:
        return [x.state for x in lines if x.file_id == f.id and x.kind == "document"]

    out["digitisation.files_digitised"] = sum(
        "digitised" in doc_states(f)
        and len([x for x in doc_states(f) if x not in ("pending", "scan_later")])
        == items[f.document_set_id]
        for f in counter
    )
    result = {x.file_id: x.state for x in lines if x.kind == "result"}
    out["digitisation.results_counted"] = sum(result.get(f.id) not in EXCEPTIONS for f in settled)
    out["digitisation.results_digitised"] = sum(result.get(f.id) == "digitised" for f in settled)
    ids = {f.id for f in received}
    mine = [p for p in pages if p.file_id in ids]
    reused = [
        p
        for p in mine
        if any(
            q.sha256 == p.sha256
            and q.file_id != p.file_id
            and (q.added_at, q.file_id) < (p.added_at, p.file_id)
            for q in pages
        )
    ]
    out["pages"], out["reused"] = len(mine), len(reused)
    days = []
    for f in settled:
        cal = calendars[f.agency]
        assert f.settled_at is not None
        worked = cal.working_time(f.received_at, f.settled_at)
        for p in pauses:
            if p.file_id == f.id:
                begin, end = (
                    max(p.start_at, f.received_at),
                    min(p.end_at or f.settled_at, f.settled_at),
                )
                worked -= cal.working_time(begin, end) if begin < end else timedelta(0)
        days.append(worked / cal.day_length)
    out["avg_days"] = sum(days) / len(days) if days else None
    return out


def _share(part: float | None, whole: float | None) -> float | None:
    return None if not whole else round(100 * (part or 0) / whole, 1)


def test_every_figure_is_a_hand_count_and_lists_its_files(register: Register) -> None:
    for scope in SCOPES.values():
        _check_scope(register, scope)
    _check_parts_add_up(register)


def _check_scope(register: Register, scope: Scope) -> None:
    hand = _hand_count(register.db, scope)
    with register.db.reader.begin() as s:
        report = ni.index_report(s, *MARCH, now=AFTER, scope=scope)
        drills = {k: ni.files_behind(s, k, *MARCH, now=AFTER, scope=scope) for k in ni.DRILL_KEYS}
    assert report.as_of is None and report.scope == scope
    for key in ni.DRILL_KEYS:
        figure = report.figure(key)
        assert figure.drill and figure.unit == "hồ sơ"
        assert figure.value == hand[key], key
        rows, total = drills[key]
        assert len(rows) == total == figure.value, key
        assert len({r.code for r in rows}) == len(rows)
    avg = report.figure("progress.avg_days").value
    assert avg is not None and hand["avg_days"] is not None
    assert avg == round(hand["avg_days"], 2)
    assert report.figure("progress.on_time_share").value == _share(
        hand["progress.on_time"], hand["progress.settled"]
    )
    assert report.figure("digitisation.files").value == _share(
        hand["digitisation.files_digitised"], hand["digitisation.files_counted"]
    )
    assert report.figure("digitisation.results").value == _share(
        hand["digitisation.results_digitised"], hand["digitisation.results_counted"]
    )
    assert report.figure("digitisation.reuse").value == _share(hand["reused"], hand["pages"])
    # The register was built to exercise every term: none of them is trivially zero here.
    if scope == ALL:
        assert [hand[k] for k in ni.DRILL_KEYS] == [7, 5, 3, 2, 1, 6, 3, 3, 2]
        assert (hand["pages"], hand["reused"]) == (7, 3)
        codes = {r.code for r in drills["progress.late"][0]}
        assert codes == {register.codes["f2"], register.codes["f5"]}


def _check_parts_add_up(register: Register) -> None:
    with register.db.reader.begin() as s:
        reports = {n: ni.index_report(s, *MARCH, now=AFTER, scope=sc) for n, sc in SCOPES.items()}
    for key in ni.DRILL_KEYS:
        parts = reports["first"].figure(key).value, reports["justice"].figure(key).value
        assert reports["centre"].figure(key).value == sum(v or 0 for v in parts), key
    # The second agency's working day is its own (8 hours of other sessions): its files'
    # average is in its days, and the centre's is the mean over both agencies' files.
    centre = reports["centre"].figure("progress.avg_days").value
    first = reports["first"].figure("progress.avg_days").value
    justice = reports["justice"].figure("progress.avg_days").value
    assert centre is not None and first is not None and justice is not None
    n_first = reports["first"].figure("progress.settled").value or 0
    n_justice = reports["justice"].figure("progress.settled").value or 0
    expected = (first * n_first + justice * n_justice) / (n_first + n_justice)
    assert centre == pytest.approx(expected, abs=0.01)


def test_points_the_period_not_over_and_the_list_behind(register: Register) -> None:
    _check_points(register)
    _check_as_of(register)
    _check_files_behind(register)


def _check_points(register: Register) -> None:
    with register.db.reader.begin() as s:
        report = ni.index_report(s, *MARCH, now=AFTER)
    groups = {g.key: g for g in report.groups}
    assert list(groups) == list(ni.GROUPS)
    assert [g.weight for g in report.groups] == [18, 20, 12, 10, 22, 18]
    assert report.weights_source == ni.DEFAULT_SOURCE
    for key in ("publicity", "online", "payment", "satisfaction"):
        assert groups[key].points is None
    # No rating in the register: none counted, no share, no score, no points.
    assert [f.value for f in groups["satisfaction"].figures] == [0.0, None, None]
    assert groups["satisfaction"].figures[2].note == ni.NO_RATINGS
    assert groups["publicity"].figures[0].note == "không tính được tại bộ phận một cửa"
    on_time = report.figure("progress.on_time").value or 0
    settled = report.figure("progress.settled").value or 1
    assert groups["progress"].points == round(20 * on_time / settled, 2)
    files = report.figure("digitisation.files_digitised").value or 0
    counted = report.figure("digitisation.files_counted").value or 1
    results = report.figure("digitisation.results_digitised").value or 0
    results_counted = report.figure("digitisation.results_counted").value or 1
    mean = (files / counted + results / results_counted) / 2
    assert groups["digitisation"].points == round(22 * mean, 2)
    assert report.max_points == 42
    assert report.points == pytest.approx(
        (groups["progress"].points or 0) + (groups["digitisation"].points or 0), abs=0.01
    )


def _check_as_of(register: Register) -> None:
    now = datetime(2026, 3, 9, 12, 0)
    with register.db.reader.begin() as s:
        report = ni.index_report(s, *MARCH, now=now)
        rows, total = ni.files_behind(s, "progress.settled", *MARCH, now=now)
    assert report.as_of == now
    # Settled by Monday 9 March noon: f1 (4 March) and j1 (9 March 09:00).
    assert report.figure("progress.settled").value == total == len(rows) == 2
    assert report.to_json()["as_of"] == "2026-03-09T12:00"


def _check_files_behind(register: Register) -> None:
    with register.db.reader.begin() as s:
        rows, total = ni.files_behind(s, "progress.received", *MARCH, now=AFTER, limit=3)
        with pytest.raises(ValidationError):
            ni.files_behind(s, "progress.avg_days", *MARCH, now=AFTER)
    assert total == 7 and len(rows) == 3
    assert [r.received_at for r in rows] == sorted(r.received_at for r in rows)
    assert rows[0].code == register.codes["f1"] and rows[0].status == "Đã xử lý xong"
    assert rows[0].procedure_code == KARAOKE and rows[0].settled_at == datetime(2026, 3, 4, 10)


@pytest.fixture
def user_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setattr(formset, "user_data_dir", lambda: folder)
    return folder


def test_a_desks_weights_file_is_laid_over_the_bundled_one_and_printed(
    register: Register, user_folder: Path
) -> None:
    _check_override(register, user_folder)
    _check_pdf_and_workbook(register, user_folder / ni.WEIGHTS_FILE)


def _check_override(register: Register, user_folder: Path) -> None:
    path = user_folder / ni.WEIGHTS_FILE
    weights = {"groups": {"progress": {"weight": 30}, "digitisation": {"label": "Số hóa"}}}
    path.write_text(json.dumps(weights), encoding="utf-8")
    with register.db.reader.begin() as s:
        report = ni.index_report(s, *MARCH, now=AFTER)
    assert report.weights_source == str(path)
    progress, digitisation = report.group("progress"), report.group("digitisation")
    assert (progress.weight, digitisation.weight) == (30, 22)
    assert digitisation.label == "Số hóa" and progress.label == "Tiến độ giải quyết"
    on_time = report.figure("progress.on_time").value or 0
    assert progress.points == round(
        30 * on_time / (report.figure("progress.settled").value or 1), 2
    )
    assert report.max_points == 52


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{ not json", "không đúng định dạng JSON (dòng 1"),
        ('{"groups": {"speed": {"weight": 5}}}', "không có nhóm “speed”"),
        ('{"groups": {"progress": {"weight": 150}}}', "trọng số phải là một số từ 0 đến 100"),
        ('{"groups": {"progress": {"weight": "hai mươi"}}}', "trọng số phải là một số"),
        ('{"groups": {"progress": {"points": 3}}}', "không có mục “points”"),
        ('["progress"]', "phải có mục “groups”"),
    ],
)
def test_a_bad_weights_file_is_refused_by_name(user_folder: Path, content: str, words: str) -> None:
    path = user_folder / ni.WEIGHTS_FILE
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigurationError) as caught:
        ni.load_weights()
    assert str(path) in str(caught.value) and words in str(caught.value)


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def _check_pdf_and_workbook(register: Register, weights: Path) -> None:
    with register.db.reader.begin() as s:
        report = ni.index_report(s, *MARCH, now=AFTER, scope=Scope.of({1}))
        pdf = index_exports.index_pdf(s, report)
        xlsx = index_exports.index_xlsx(s, report)
    text = _pdf_text(pdf)
    for words in (
        "CHỈ SỐ CHẤT LƯỢNG PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP",
        "(Từ ngày 01/03/2026 đến ngày 31/03/2026)",
        "Phạm vi: SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Tiến độ giải quyết",
        "Hồ sơ tiếp nhận trong kỳ",
        ni.NO_RATINGS,
        "không tính được tại bộ phận một cửa",
        "chưa được kiểm chứng",
        "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
        f"Trọng số: {weights}",
    ):
        assert words in text, words
    received = int(report.figure("progress.received").value or 0)
    assert f"{received} hồ sơ" in text
    assert f"{report.points:.2f}".replace(".", ",") in text
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None
    values = {
        str(row[1]): row for row in sheet.iter_rows(values_only=True) if isinstance(row[1], str)
    }
    assert values["Hồ sơ tiếp nhận trong kỳ"][2] == received
    assert values["Hồ sơ tiếp nhận trong kỳ"][3] == "hồ sơ"
    assert values["Tiến độ giải quyết"][5] == 30  # the desk's weight
    assert values["Tiến độ giải quyết"][6] == report.group("progress").points
    assert values["Mức độ hài lòng"][6] is None
    assert values["Số lượt đánh giá"][2] == 0
    assert values[index_form.TOTAL_LABEL][6] == report.points
    cell = next(c for c in sheet["E"] if c.value and ni.NO_RATINGS in str(c.value))
    assert cell.data_type == "s"


def test_the_satisfaction_group_counts_the_ratings_of_the_period(
    db: Database, officer: Actor
) -> None:
    """Ratings given in March, by hand: 2 very satisfied, 1 satisfied, 1 dissatisfied and one
    visit not rated → 4 ratings, 75 % satisfied, score (3+3+2+1)/4 = 2.25, points 18 × 0.75; a
    rating of April is not March's."""
    from desk_app.services import ratings

    at = datetime(2026, 3, 10, 9, 0)
    levels = [
        ratings.Level.VERY_SATISFIED,
        ratings.Level.VERY_SATISFIED,
        ratings.Level.SATISFIED,
        ratings.Level.DISSATISFIED,
        None,
    ]
    with db.writer.begin() as s:
        for i, level in enumerate(levels):
            code = intake.accept_file(
                s,
                intake.IntakeInput(
                    procedure="1.001029", applicant=intake.ApplicantInput(name=f"Người {i}")
                ),
                officer,
                now=at,
            ).code
            visit = ratings.open_visit(s, code, "accept", officer, at)
            if level is not None:
                ratings.record_rating(s, visit.token, level, (), "", at + timedelta(minutes=1))
        april = datetime(2026, 4, 2, 9, 0)
        late = ratings.open_visit(s, code, "accept", officer, april)
        ratings.record_rating(s, late.token, ratings.Level.DISSATISFIED, (), "", april)
    with db.reader.begin() as s:
        report = ni.index_report(s, date(2026, 3, 1), date(2026, 3, 31), now=AFTER)
    group = report.group("satisfaction")
    assert [f.value for f in group.figures] == [4.0, 75.0, 2.25]
    assert "1 lượt phục vụ không được đánh giá" in group.figures[0].note
    assert group.points == round(18 * 0.75, 2)
    assert report.max_points == sum(g.weight for g in report.groups if g.points is not None)
    assert group.weight <= report.max_points


def test_days_off_and_old_files_count_as_the_calendar_does(register: Register) -> None:
    """The average time looks each moment's day up in a table of the days: a file received
    online on a Saturday night and settled on a Sunday, one settled on the Monday after, and one
    received in January (the table starts at the register's first receipt) count as
    WorkCalendar.working_time counts them, in both agencies' hours; the figures stay hand
    counts."""
    db, first, clerk = register.db, register.first, register.clerk
    saturday = datetime(2026, 3, 14, 22, 0)
    weekend = _accept(db, first, KARAOKE, saturday, 1, Channel.ONLINE)
    monday = _accept(db, clerk, COPY.code, saturday, JUSTICE, Channel.ONLINE)
    january = _accept(db, first, KARAOKE, datetime(2026, 1, 5, 8), 1)
    with db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(weekend), first, now=saturday + timedelta(hours=12))
        lifecycle.record_result(s, MoveInput(monday), clerk, now=datetime(2026, 3, 16, 8))
        lifecycle.record_result(s, MoveInput(january), first, now=datetime(2026, 3, 20, 16))
    for scope in SCOPES.values():
        hand = _hand_count(db, scope)
        with db.reader.begin() as s:
            report = ni.index_report(s, *MARCH, now=AFTER, scope=scope)
        for key in ni.DRILL_KEYS:
            assert report.figure(key).value == hand[key], key
        assert hand["avg_days"] is not None
        assert report.figure("progress.avg_days").value == round(hand["avg_days"], 2)
