"""The applicant's rating of a service visit (issue 16), on both engines: a visit opened and
rated once, the database refusing any other change, the checks on what the screen sends, and the
counts by officer, procedure, agency and service against a count made by hand."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from desk_app.errors import ValidationError
from desk_app.services import ratings
from desk_app.services.context import Actor
from desk_app.services.ratings import Level, RatingCounts
from desk_app.services.scope import Scope
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import User

Accept = Callable[..., FileView]
RECEIVED = datetime(2026, 3, 2, 9, 15)
NOW = datetime(2026, 3, 2, 9, 20)
DAY = date(2026, 3, 2)
DANCE = "VHTTDL-VH-01"


def _open(db: Database, code: str, actor: Actor, service: str = "accept", **kw: object) -> str:
    with db.writer.begin() as s:
        visit = ratings.open_visit(s, code, service, actor, kw.pop("now", NOW), **kw)  # type: ignore[arg-type]
    return visit.token


def _rate(db: Database, token: str, level: Level, **kw: object) -> ratings.RatingView:
    with db.writer.begin() as s:
        return ratings.record_rating(
            s,
            token,
            level,
            kw.get("reasons", ()),  # type: ignore[arg-type]
            str(kw.get("comment", "")),
            kw.get("now", NOW + timedelta(minutes=1)),  # type: ignore[arg-type]
        )


def _row(db: Database, token: str) -> dict[str, object]:
    with db.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT r.*, f.code AS file_code, u.username FROM ratings r "
                "JOIN files f ON f.id = r.file_id LEFT JOIN users u ON u.id = r.officer_id "
                "WHERE r.token = :t"
            ),
            {"t": token},
        ).one()
    return dict(row._mapping)


def test_a_visit_is_opened_and_rated_once(db: Database, officer: Actor, accept: Accept) -> None:
    file = accept(received=RECEIVED)
    with db.writer.begin() as s:
        visit = ratings.open_visit(s, file.code, "accept", officer, NOW, counter="Quầy 3")
    assert visit.file_code == file.code and visit.service == "accept"
    assert visit.officer == "Nguyễn Thị Lan" and visit.counter == "Quầy 3"
    assert visit.procedure_name.startswith("Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ kara")
    assert len(visit.token) >= 20

    view = _rate(db, visit.token, Level.SATISFIED, reasons=["thoi_gian_cho", "huong_dan"])
    assert view.level is Level.SATISFIED and view.reasons == ("thoi_gian_cho", "huong_dan")
    assert view.file_code == file.code and view.comment == ""
    row = _row(db, visit.token)
    assert row["file_code"] == file.code and row["username"] == "canbo"
    assert row["counter_name"] == "Quầy 3" and row["service"] == "accept"
    assert row["level"] == 2 and json.loads(str(row["reasons"])) == ["thoi_gian_cho", "huong_dan"]
    assert row["opened_at"] == "2026-03-02 09:20:00" and row["rated_at"] == "2026-03-02 09:21:00"

    with pytest.raises(ValidationError, match="đã được đánh giá"):
        _rate(db, visit.token, Level.VERY_SATISFIED)
    assert _row(db, visit.token)["level"] == 2


def test_the_counter_defaults_to_the_actors(db: Database, officer: Actor, accept: Accept) -> None:
    code = accept(received=RECEIVED).code
    from dataclasses import replace

    token = _open(db, code, replace(officer, counter="Quầy 1"), "refuse")
    assert _row(db, token)["counter_name"] == "Quầy 1"
    token = _open(db, code, officer, "return")
    assert _row(db, token)["counter_name"] is None


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ratings SET officer_id = (SELECT id FROM users WHERE username = 'lanhdao')",
        "UPDATE ratings SET level = 3",  # a rated visit changed
        "UPDATE ratings SET comment = 'sửa lại'",
        "UPDATE ratings SET service = 'return'",
        "UPDATE ratings SET opened_at = '2026-03-01 08:00:00'",
        "UPDATE ratings SET token = 'x'",
        "UPDATE ratings SET counter_name = 'Quầy 9'",
        "DELETE FROM ratings",
    ],
)
def test_the_database_refuses_any_change_of_a_rating(
    db: Database, officer: Actor, accept: Accept, sql: str
) -> None:
    token = _open(db, accept(received=RECEIVED).code, officer, counter="Quầy 3")
    _rate(db, token, Level.DISSATISFIED, reasons=["thai_do"], comment="Chờ lâu")
    before = _row(db, token)
    with pytest.raises(DatabaseError, match="ratings"), db.engine.begin() as conn:
        conn.execute(text(sql))
    assert _row(db, token) == before


def test_an_unrated_visit_cannot_change_its_officer_either(
    db: Database, officer: Actor, accept: Accept
) -> None:
    token = _open(db, accept(received=RECEIVED).code, officer)
    with pytest.raises(DatabaseError, match="ratings"), db.engine.begin() as conn:
        conn.execute(
            text("UPDATE ratings SET officer_id = (SELECT id FROM users WHERE username='quantri')")
        )
    assert _row(db, token)["username"] == "canbo"
    _rate(db, token, Level.VERY_SATISFIED)  # the one change allowed: its rating
    assert _row(db, token)["level"] == 3


def test_a_visit_rated_too_late_or_unknown_is_refused(
    db: Database, officer: Actor, accept: Accept
) -> None:
    token = _open(db, accept(received=RECEIVED).code, officer)
    late = NOW + ratings.VISIT_TTL + timedelta(seconds=1)
    with pytest.raises(ValidationError, match="quá thời gian") as error:
        _rate(db, token, Level.SATISFIED, now=late)
    assert error.value.field == "token"
    with pytest.raises(ValidationError, match="Không tìm thấy"):
        _rate(db, "no-such-token", Level.SATISFIED)
    _rate(db, token, Level.SATISFIED, now=NOW + ratings.VISIT_TTL)  # on the limit still counts
    assert _row(db, token)["level"] == 2


@pytest.mark.parametrize(
    ("reasons", "comment", "field"),
    [
        (["thai_do", "gia_ca"], "", "reasons"),
        ([], "x" * 501, "comment"),
        ([], "Tốt\x1b[31m", "comment"),
        ([], "a\u202eb", "comment"),
    ],
)
def test_bad_reasons_and_comments_are_refused(
    db: Database,
    officer: Actor,
    accept: Accept,
    reasons: list[str],
    comment: str,
    field: str,
) -> None:
    token = _open(db, accept(received=RECEIVED).code, officer)
    with pytest.raises(ValidationError) as error:
        _rate(db, token, Level.SATISFIED, reasons=reasons, comment=comment)
    assert error.value.field == field
    assert _row(db, token)["level"] is None  # nothing written: it can still be rated
    view = _rate(db, token, Level.SATISFIED, comment="  Cán bộ\nnhiệt tình  " + "y" * 400)
    assert view.comment.startswith("Cán bộ\nnhiệt tình")


def test_a_bad_service_is_refused(db: Database, officer: Actor, accept: Accept) -> None:
    code = accept(received=RECEIVED).code
    with pytest.raises(ValidationError) as error, db.writer.begin() as s:
        ratings.open_visit(s, code, "supplement", officer, NOW)
    assert error.value.field == "service"


def test_counts_by_officer_procedure_agency_and_service(
    db: Database, officer: Actor, supervisor: Actor, accept: Accept
) -> None:
    karaoke = accept(received=RECEIVED).code
    dance = accept(DANCE, received=RECEIVED).code
    # (file, actor, service, level or None, moment opened): rated a minute after.
    plan: list[tuple[str, Actor, str, Level | None, datetime]] = [
        (karaoke, officer, "accept", Level.VERY_SATISFIED, NOW),
        (karaoke, officer, "return", Level.SATISFIED, NOW),
        (dance, officer, "accept", Level.DISSATISFIED, NOW),
        (dance, supervisor, "refuse", Level.VERY_SATISFIED, NOW),
        (dance, supervisor, "accept", None, NOW),  # never rated
        (karaoke, supervisor, "return", Level.SATISFIED, NOW - timedelta(days=1)),  # day before
        (karaoke, officer, "accept", Level.SATISFIED, NOW + timedelta(days=1)),  # day after
    ]
    for code, actor, service, level, at in plan:
        token = _open(db, code, actor, service, now=at)
        if level is not None:
            _rate(db, token, level, now=at + timedelta(minutes=1))

    # The hand count of the day 2026-03-02 (rows 0..4).
    with db.reader.begin() as s:
        total = ratings.total_counts(s, DAY, DAY)
        by_officer = ratings.rating_counts(s, DAY, DAY, by="officer")
        by_procedure = ratings.rating_counts(s, DAY, DAY, by="procedure")
        by_service = ratings.rating_counts(s, DAY, DAY, by="service")
        by_agency = ratings.rating_counts(s, DAY, DAY, by="agency")
        three_days = ratings.total_counts(s, DAY - timedelta(days=1), DAY + timedelta(days=1))
        elsewhere = ratings.total_counts(s, DAY, DAY, scope=Scope.of([99]))
    assert total == RatingCounts(2, 1, 1, 1)
    assert total.total_rated == 4 and total.share_satisfied == 0.75
    assert total.average == pytest.approx((3 + 2 + 1 + 3) / 4)
    assert three_days == RatingCounts(2, 3, 1, 1)
    assert elsewhere == RatingCounts(0, 0, 0, 0) and elsewhere.average is None
    assert elsewhere.share_satisfied is None

    assert [(label, c) for _k, label, c in by_officer] == [
        ("Nguyễn Thị Lan", RatingCounts(1, 1, 1, 0)),
        ("Vi Đức Thắng", RatingCounts(1, 0, 0, 1)),
    ]
    assert {k: c for k, _label, c in by_procedure} == {
        "1.001029": RatingCounts(1, 1, 0, 0),
        DANCE: RatingCounts(1, 0, 1, 1),
    }
    assert {(k, label): c for k, label, c in by_service} == {
        ("accept", "Tiếp nhận hồ sơ"): RatingCounts(1, 0, 1, 1),
        ("refuse", "Từ chối tiếp nhận"): RatingCounts(1, 0, 0, 0),
        ("return", "Trả kết quả"): RatingCounts(0, 1, 0, 0),
    }
    assert [(k, c) for k, _label, c in by_agency] == [("1", total)]
    with pytest.raises(ValueError), db.reader.begin() as s:
        ratings.rating_counts(s, DAY, DAY, by="colour")


def test_a_rating_marks_its_day_for_the_day_summary(
    db: Database, officer: Actor, accept: Accept
) -> None:
    token = _open(db, accept(received=RECEIVED).code, officer)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE sync_settings SET dirty_from = NULL"))
    _rate(db, token, Level.SATISFIED, now=datetime(2026, 3, 2, 9, 40))
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT dirty_from FROM sync_settings")).scalar() == "2026-03-02"


def test_level_labels_and_reasons_are_vietnamese() -> None:
    assert [lv.label for lv in Level] == ["Không hài lòng", "Hài lòng", "Rất hài lòng"]
    assert dict(ratings.REASONS)["thai_do"] == "Thái độ phục vụ"


def test_counts_by_officer_are_in_vietnamese_order(db: Database, accept: Accept) -> None:
    # Plain text order would put "Ánh" after "Dương" and "Đặng" after every Latin letter.
    names = ["Đặng Văn Đức", "Dương Thị Mai", "Ánh Nguyệt", "Anh Tuấn", "Bùi Xuân"]
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        ids = []
        for i, name in enumerate(names):
            user = User(
                username=f"xep{i}",
                full_name=name,
                role="officer",
                password_hash="-",
                created_at=NOW,
            )
            s.add(user)
            s.flush()
            ids.append(user.id)
    for user_id, name in zip(ids, names, strict=True):
        _open(db, code, Actor(user_id=user_id, name=name, role="officer"))
    with db.reader.begin() as s:
        by_officer = ratings.rating_counts(s, DAY, DAY, by="officer")
    assert [label for _k, label, _c in by_officer] == [
        "Anh Tuấn",
        "Ánh Nguyệt",
        "Bùi Xuân",
        "Dương Thị Mai",
        "Đặng Văn Đức",
    ]
    assert all(c == RatingCounts(not_rated=1) for _k, _label, c in by_officer)
