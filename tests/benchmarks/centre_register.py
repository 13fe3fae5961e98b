"""A centre's large register built on the PostgreSQL server itself (the centre bench, issue 14).

`build_register(db, files, agencies=12)` fills an empty, migrated centre database with
`agencies` agencies (desk_settings rows with their identifiers, sync_settings rows, the bundled
catalogue in each agency's own procedures, two officers each) and `files` files spread over them,
with their applicants, timelines (events), due history and the counters a desk would stand at.
Everything but the agencies and catalogues is made by a few INSERT … SELECT statements over
generate_series on the server, triggers off and the tables' secondary indexes dropped meanwhile
and made again after; nothing goes row by row through Python. 5,000,000 files are a few minutes.

The shape of the register (not the demo generator's detail, but what the measured queries see):
- receipt moments in working hours of working days (Monday–Friday), spread evenly over the last
  `years` years (so a quarter holds files / (4 × years) of them), file ids in receipt order;
- an agency per file (agency 1 a bit busier), a procedure of its catalogue (a few much more
  often than others), the procedure's duration; the due moment approximated as the duration in
  working days × 7/5 calendar days (no holidays);
- the settlement between 30 % and 120 % of the allowed time (so early, on time and late), the
  return at the counter up to three days later; 1 % withdrawn, 1 % refused; open whatever is
  not settled by now, and 1 in 2,000 files stuck open long past its due (the overdue queue);
- codes numbered per agency and day, register numbers per agency and year, from 1, as intake
  gives them; an applicant among 3/4 as many as files (Vietnamese names from the demo's lists,
  folded as the program folds them), so that some applicants have several files.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime

from sqlalchemy import text

from desk_app.domain.catalog import bundled_catalog
from desk_app.domain.text import fold
from desk_app.services import desk
from desk_app.services.context import COMMAND_LINE
from desk_app.services.demo_people import (
    FAMILY,
    GIVEN_FEMALE,
    GIVEN_MALE,
    MIDDLE_FEMALE,
    MIDDLE_MALE,
    WARDS,
)
from desk_app.store.engine import Database
from desk_app.store.models import Procedure

AGENCY_NAMES = (
    "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
    "SỞ TƯ PHÁP",
    "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
    "SỞ XÂY DỰNG",
    "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
    "SỞ GIAO THÔNG VẬN TẢI",
    "SỞ Y TẾ",
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
    "SỞ CÔNG THƯƠNG",
    "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN",
    "SỞ NỘI VỤ",
    "SỞ TÀI CHÍNH",
    "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
    "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "BAN QUẢN LÝ KHU KINH TẾ",
)
TABLES = ("files", "applicants", "events", "due_history")


def agency_identifier(agency: int) -> str:
    return f"000.00.{20 + agency:02d}.H37"


def _sql_array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _agencies(db: Database, agencies: int) -> None:
    """The agencies (row 1 is the migrations'), their sync rows, catalogues and officers."""
    with db.writer.begin() as s:
        for agency in range(1, agencies + 1):
            name = AGENCY_NAMES[(agency - 1) % len(AGENCY_NAMES)]
            values = {
                "id": agency,
                "name": name if agency <= len(AGENCY_NAMES) else f"{name} {agency}",
                "short": f"Cơ quan {agency}",
                "ident": agency_identifier(agency),
            }
            s.execute(
                text(
                    "INSERT INTO desk_settings (id, governing_body, agency_name, short_name,"
                    " agency_id, place_name) VALUES (:id, 'UBND TỈNH LẠNG SƠN', :name, :short,"
                    " :ident, 'Lạng Sơn') ON CONFLICT (id) DO UPDATE SET"
                    " governing_body = excluded.governing_body, agency_name = excluded.agency_name,"
                    " short_name = excluded.short_name, agency_id = excluded.agency_id,"
                    " place_name = excluded.place_name"
                ),
                values,
            )
            s.execute(
                text(
                    "INSERT INTO sync_settings (id, install_id) VALUES (:id, :install)"
                    " ON CONFLICT (id) DO NOTHING"
                ),
                {"id": agency, "install": uuid.uuid4().hex},
            )
        s.execute(
            text("SELECT setval(pg_get_serial_sequence('desk_settings', 'id'), :n)"),
            {"n": agencies},
        )
        # The bundled catalogue in agency 1's, copied into every other agency's.
        desk.import_catalog(s, bundled_catalog(), COMMAND_LINE)
        columns = ", ".join(
            c.name for c in Procedure.__table__.columns if c.name not in ("id", "agency")
        )
        s.execute(
            text(
                f"INSERT INTO procedures (agency, {columns}) SELECT a, {columns}"
                " FROM procedures, generate_series(2, :n) a WHERE agency = 1 ORDER BY a, id"
            ),
            {"n": agencies},
        )
        s.execute(
            text(
                "INSERT INTO users (username, full_name, role, password_hash, active, created_at,"
                " failed_signins) SELECT 'canbo' || a || '_' || k, 'Cán bộ ' || a || '.' || k,"
                " 'officer', '!', true, '2020-01-01 08:00:00', 0"
                " FROM generate_series(1, :n) a, generate_series(1, 2) k"
            ),
            {"n": agencies},
        )
        s.execute(
            text(
                "INSERT INTO user_agencies (user_id, agency) SELECT id,"
                " split_part(substr(username, 6), '_', 1)::int FROM users"
                " WHERE username LIKE 'canbo%\\_%'"
            )
        )


def _secondary_indexes(db: Database) -> list[str]:
    """Drop the big tables' indexes that back no constraint; return their definitions."""
    with db.writer.begin() as s:
        rows = s.execute(
            text(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i"
                " WHERE i.schemaname = current_schema() AND i.tablename = ANY(:t)"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
            ),
            {"t": list(TABLES)},
        ).all()
        for name, _ in rows:
            s.execute(text(f'DROP INDEX "{name}"'))
    return [str(d) for _, d in rows]


def _fill(db: Database, files: int, agencies: int, years: float, now: datetime) -> None:
    female = [(g, fold(g)) for g in GIVEN_FEMALE]
    male = [(g, fold(g)) for g in GIVEN_MALE]
    arrays = {
        "fam": _sql_array(FAMILY),
        "famf": _sql_array([fold(x) for x in FAMILY]),
        "midm": _sql_array(MIDDLE_MALE),
        "midmf": _sql_array([fold(x) for x in MIDDLE_MALE]),
        "midw": _sql_array(MIDDLE_FEMALE),
        "midwf": _sql_array([fold(x) for x in MIDDLE_FEMALE]),
        "givm": _sql_array([g for g, _ in male]),
        "givmf": _sql_array([f for _, f in male]),
        "givw": _sql_array([g for g, _ in female]),
        "givwf": _sql_array([f for _, f in female]),
        "wards": _sql_array(list(WARDS)),
    }
    applicants = max(1, files * 3 // 4)
    params = {
        "n": files,
        "agencies": agencies,
        "applicants": applicants,
        "now": now.replace(microsecond=0),
        "span": max(1.0, years * 365.25),
    }
    steps = [
        ("settings", "SET LOCAL session_replication_role = replica"),
        ("settings", "SET LOCAL work_mem = '256MB'"),
        ("settings", "SELECT setseed(0.2026)"),
        (
            "document set",
            """INSERT INTO document_sets (id, sha256, items) VALUES (1, md5('bench') ||
              md5('centre'), '[]') ON CONFLICT DO NOTHING""",
        ),
        (
            "procedure map",
            """CREATE TEMP TABLE procmap ON COMMIT DROP AS
            SELECT agency, (row_number() OVER (PARTITION BY agency ORDER BY id) - 1)::int AS idx,
                   id, duration, unit, fee, restart_on_supplement,
                   CASE unit WHEN 'working_days' THEN duration::numeric * 7 / 5
                     WHEN 'calendar_days' THEN duration::numeric
                     WHEN 'working_hours' THEN ceil(duration::numeric / 8) * 7 / 5
                     WHEN 'same_day' THEN 0.3 END AS days
            FROM procedures""",
        ),
        (
            "procedure map",
            """CREATE TEMP TABLE pcount ON COMMIT DROP AS
            SELECT agency, count(*)::int AS procs FROM procmap GROUP BY agency""",
        ),
        (
            "applicants",
            f"""INSERT INTO applicants (id, name, name_folded, id_kind, id_number, phone, address)
            SELECT g,
              ({arrays["fam"]})[f] || ' ' ||
                CASE WHEN w THEN ({arrays["midw"]})[m % {len(MIDDLE_FEMALE)} + 1]
                     || ' ' || ({arrays["givw"]})[v % {len(female)} + 1]
                ELSE ({arrays["midm"]})[m % {len(MIDDLE_MALE)} + 1]
                     || ' ' || ({arrays["givm"]})[v % {len(male)} + 1] END,
              ({arrays["famf"]})[f] || ' ' ||
                CASE WHEN w THEN ({arrays["midwf"]})[m % {len(MIDDLE_FEMALE)} + 1]
                     || ' ' || ({arrays["givwf"]})[v % {len(female)} + 1]
                ELSE ({arrays["midmf"]})[m % {len(MIDDLE_MALE)} + 1]
                     || ' ' || ({arrays["givmf"]})[v % {len(male)} + 1] END,
              'cccd',
              '020' || CASE WHEN w THEN '1' ELSE '0' END || lpad((50 + g % 50)::text, 2, '0')
                || lpad((g % 1000000)::text, 6, '0'),
              '09' || lpad(((g::bigint * 7919) % 100000000)::text, 8, '0'),
              'Số ' || (g % 250 + 1) || ', ' || ({arrays["wards"]})[g % {len(WARDS)} + 1]
                || ', tỉnh Lạng Sơn'
            FROM (SELECT g, 1 + floor(random() * {len(FAMILY)})::int AS f,
                         random() < 0.5 AS w, floor(random() * 1000)::int AS m,
                         floor(random() * 1000)::int AS v
                  FROM generate_series(1, :applicants) g) x""",
        ),
        (
            "files (draw)",
            """CREATE TEMP TABLE gen ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY received, k) AS id, * FROM (
              SELECT k, agency, idx, applicant, settle, ret, fate, postal,
                -- a working day (Saturday and Sunday moved to Friday), 07:30–16:30
                date_trunc('day', day) - (CASE extract(isodow FROM day) WHEN 6 THEN 1
                  WHEN 7 THEN 2 ELSE 0 END) * interval '1 day'
                  + interval '450 minutes' + minute * interval '1 minute' AS received
              FROM (
                SELECT k,
                  CASE WHEN random() < 0.2 THEN 1
                    ELSE 1 + floor(random() * :agencies)::int END AS agency,
                  floor(power(random(), 2) * 1000)::int AS idx,
                  1 + floor(random() * :applicants)::int AS applicant,
                  0.3 + random() * 0.9 AS settle, random() * 3 AS ret,
                  random() AS fate, random() < 0.12 AS postal,
                  CAST(:now AS timestamp) - random() * :span * interval '1 day' AS day,
                  floor(random() * 540)::int AS minute
                FROM generate_series(1, :n) k) r
              ) d""",
        ),
        ("files (draw)", "ANALYZE gen"),
        (
            "files (moments)",
            """CREATE TEMP TABLE gen2 ON COMMIT DROP AS
            SELECT g.id, g.agency, p.id AS procedure_id, p.duration, p.unit, p.fee,
              p.restart_on_supplement, g.applicant, g.fate, g.postal,
              least(g.received, CAST(:now AS timestamp) - interval '1 minute') AS received,
              CASE WHEN p.days IS NULL OR p.days <= 0 THEN NULL
                ELSE least(g.received, CAST(:now AS timestamp) - interval '1 minute')
                  + ceil(p.days) * interval '1 day' END AS due,
              g.settle, g.ret
            FROM gen g JOIN pcount c ON c.agency = g.agency
            JOIN procmap p ON p.agency = g.agency AND p.idx = g.idx % c.procs""",
        ),
        ("files (moments)", "ANALYZE gen2"),
        (
            "files (fates)",
            """CREATE TEMP TABLE gen3 ON COMMIT DROP AS
            SELECT *,
              CASE WHEN fate < 0.01 THEN 3                       -- refused at the desk
                WHEN fate < 0.02 THEN 7                          -- withdrawn
                WHEN fate < 0.0205 THEN 4                        -- stuck, long overdue
                WHEN settled IS NULL OR settled > CAST(:now AS timestamp)
                  THEN CASE WHEN fate < 0.3 THEN 2 ELSE 4 END
                WHEN settled + ret * interval '1 day' > CAST(:now AS timestamp) THEN 9
                ELSE 10 END AS status
            FROM (SELECT *, received + settle * coalesce(due - received, interval '3 days')
                  AS settled FROM gen2) x""",
        ),
        (
            "files",
            """INSERT INTO files (id, agency, code, status, channel, procedure_id, applicant_id,
              document_set_id, sets_count, fee_collected, result_by, register_book, register_seq,
              officer_id, counter_name, notes, duration, unit, restart_on_supplement,
              received_at, due_at, original_due_at, settled_at, outcome, closed_at, version)
            SELECT g.id, g.agency,
              a.agency_id || '-' || to_char(g.received, 'YYMMDD') || '-' || lpad(
                (row_number() OVER (PARTITION BY g.agency, g.received::date ORDER BY g.id))::text,
                4, '0'),
              g.status, CASE WHEN g.postal THEN 'postal' ELSE 'direct' END, g.procedure_id,
              g.applicant, 1, 1, CASE WHEN g.status = 3 THEN NULL ELSE g.fee END, 'counter',
              extract(year FROM g.received)::int::text,
              row_number() OVER (PARTITION BY g.agency, extract(year FROM g.received)
                ORDER BY g.id),
              (g.agency - 1) * 2 + 1 + g.id % 2, 'Quầy ' || (1 + g.id % 3), '',
              g.duration, g.unit, g.restart_on_supplement,
              to_char(g.received, 'YYYY-MM-DD HH24:MI:SS'),
              to_char(g.due, 'YYYY-MM-DD HH24:MI:SS'), to_char(g.due, 'YYYY-MM-DD HH24:MI:SS'),
              CASE WHEN g.status IN (9, 10) THEN to_char(g.settled, 'YYYY-MM-DD HH24:MI:SS') END,
              CASE WHEN g.status NOT IN (9, 10) THEN NULL
                WHEN g.due IS NULL OR g.settled < g.due - interval '1 day' THEN 'early'
                WHEN g.settled <= g.due THEN 'on_time' ELSE 'late' END,
              CASE g.status
                WHEN 3 THEN to_char(g.received, 'YYYY-MM-DD HH24:MI:SS')
                WHEN 7 THEN to_char(least(g.received + interval '2 days',
                  CAST(:now AS timestamp)), 'YYYY-MM-DD HH24:MI:SS')
                WHEN 10 THEN to_char(g.settled + g.ret * interval '1 day',
                  'YYYY-MM-DD HH24:MI:SS') END,
              CASE g.status WHEN 2 THEN 1 WHEN 3 THEN 1 WHEN 4 THEN 2 WHEN 7 THEN 2 WHEN 9 THEN 3
                ELSE 4 END
            FROM gen3 g JOIN desk_settings a ON a.id = g.agency""",
        ),
        (
            "events",
            """INSERT INTO events (file_id, at, action, from_status, to_status, officer_id,
              data, counter_name)
            SELECT f.id, e.at, e.action, e.from_status, e.to_status, f.officer_id, e.data,
              f.counter_name
            FROM files f CROSS JOIN LATERAL (VALUES
                (1, f.received_at, CASE WHEN f.status = 3 THEN 'refuse' ELSE 'accept' END,
                  NULL::int, CASE WHEN f.status = 3 THEN 3 ELSE 2 END, NULL::text),
                (2, to_char(f.received_at::timestamp + interval '2 hours',
                  'YYYY-MM-DD HH24:MI:SS'), 'forward', 2, 4, NULL),
                (3, f.settled_at, 'record_result', 4, 9,
                  '{"outcome": "' || f.outcome || '"}'),
                (4, f.closed_at, 'return_result', 9, 10, NULL),
                (5, f.closed_at, 'withdraw', 2, 7, NULL)
              ) AS e(n, at, action, from_status, to_status, data)
            WHERE e.n = 1
              OR (e.n = 2 AND f.status IN (4, 9, 10))
              OR (e.n = 3 AND f.status IN (9, 10))
              OR (e.n = 4 AND f.status = 10)
              OR (e.n = 5 AND f.status = 7)""",
        ),
        (
            "due history",
            """INSERT INTO due_history (file_id, at, reason, new_due_at, new_original_due_at,
              officer_id)
            SELECT id, received_at, 'accept', due_at, original_due_at, officer_id FROM files
            WHERE due_at IS NOT NULL""",
        ),
        (
            "counters",
            """INSERT INTO counters (name, value)
            SELECT 'file:' || a.agency_id || ':' || split_part(f.code, '-', 2), count(*)
              FROM files f JOIN desk_settings a ON a.id = f.agency
              GROUP BY a.agency_id, split_part(f.code, '-', 2)
            UNION ALL
            SELECT CASE WHEN f.agency = 1 THEN '' ELSE 'a' || f.agency || ':' END
                || 'register:' || f.register_book, max(f.register_seq)
              FROM files f GROUP BY f.agency, f.register_book
            ON CONFLICT (name) DO UPDATE SET value = excluded.value""",
        ),
    ]
    with db.writer.begin() as s:
        for name, sql in steps:
            t0 = time.perf_counter()
            s.execute(text(sql), params)
            took = time.perf_counter() - t0
            if took > 2:
                print(f"  built {name} in {took:.0f} s", flush=True)
        for table in (*TABLES, "document_sets"):
            s.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
            )


def build_register(
    db: Database, files: int, *, agencies: int = 12, years: float = 2.0, now: datetime
) -> dict[str, float]:
    """Fill the empty centre database `db`; returns timings (s) and row counts."""
    t0 = time.perf_counter()
    _agencies(db, agencies)
    indexes = _secondary_indexes(db)
    t1 = time.perf_counter()
    _fill(db, files, agencies, years, now)
    t2 = time.perf_counter()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("SET maintenance_work_mem = '512MB'"))
        for definition in indexes:
            conn.execute(text(definition))
        t3 = time.perf_counter()
        # VACUUM as well as ANALYZE: a register that grew over the years has been vacuumed by
        # autovacuum (hint bits set, visibility map made); a freshly built one has not.
        conn.execute(text("VACUUM ANALYZE"))
        rows = {
            table: float(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in TABLES
        }
    t4 = time.perf_counter()
    return {
        "agencies and catalogues": t1 - t0,
        "rows": t2 - t1,
        "indexes": t3 - t2,
        "vacuum analyze": t4 - t3,
        "total": t4 - t0,
        **{f"{k} rows": v for k, v in rows.items()},
    }
