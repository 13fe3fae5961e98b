"""The national index (Decision 766/QĐ-TTg, DOMAIN §11) as far as the desk can compute it.

Decision 766 scores every unit out of 100 points in six groups. The desk holds the figures of
three of them, progress, digitisation and satisfaction (the applicants' ratings at the counter,
services/ratings.py), and computes them for a period and a scope (one agency or the whole
centre); publicity, online service and online payment are the national portal's to compute.
The weights are data (services/index_weights.py: resources/national_index.json, unverified,
with a desk's own `national_index.json` laid over it). The SQL is in services/index_sql.py, the
PDF and the workbook in services/index_exports.py; this module makes the figures and points.

The counting rules are the statistics' own (services/statistics.py, Biểu 06): received means
accepted with the receipt moment in the period (never a refused file), settled means the result
came back in the period, on time means not late against the original due (early or on time,
DOMAIN §4), and a period that is not over is counted as of now. Each countable figure has one
SQL term (`index_sql.TERMS`) that lists the files behind it (`files_behind`); the figure counts
the same files along cheaper paths (`index_sql.tally`), and the tests check every count against
its list on both engines.

How figures become points is the program's, not the portal's (see `index_report`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from desk_app.domain.workflow import Status
from desk_app.errors import ValidationError
from desk_app.services import ratings
from desk_app.services.index_sql import DRILL_KEYS as DRILL_KEYS
from desk_app.services.index_sql import PARTS, TERMS, params_of, rows_sql, tally
from desk_app.services.index_weights import (
    DEFAULT_SOURCE as DEFAULT_SOURCE,
)
from desk_app.services.index_weights import (
    GROUPS as GROUPS,
)
from desk_app.services.index_weights import (
    WEIGHTS_FILE as WEIGHTS_FILE,
)
from desk_app.services.index_weights import (
    load_weights as load_weights,
)
from desk_app.services.satisfaction import satisfied_percent
from desk_app.services.scope import ALL, Scope
from desk_app.services.statistics import as_of
from desk_app.store.sqlfn import spelling
from desk_app.store.types import parse_moment

NOT_AT_DESK = "không tính được tại bộ phận một cửa"
NO_RATINGS = "chưa có lượt đánh giá nào trong kỳ"


# --- the contract with the supervisor's page ----------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str  # stable id, e.g. "progress.received"
    label: str  # Vietnamese, shown as is
    value: float | None  # None: not computable at the desk (shown as "—" with `note`)
    unit: str  # "hồ sơ", "%", "ngày làm việc", "lượt", "điểm", "trang"
    note: str = ""  # Vietnamese: how it is counted / why empty
    drill: bool = False  # True: files_behind(key) lists the files behind it


@dataclass(frozen=True)
class GroupScore:
    key: str  # one of GROUPS
    label: str  # Vietnamese
    weight: float  # points of the 100 (data, unverified)
    points: float | None  # None when the desk cannot compute the group
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class IndexReport:
    start: date
    end: date  # inclusive
    as_of: datetime | None  # set when the period is not over (like PeriodReport)
    scope: Scope
    groups: tuple[GroupScore, ...]
    points: float  # sum of the computed groups' points
    max_points: float  # sum of the weights of the computed groups
    weights_source: str  # the desk's weights file, or DEFAULT_SOURCE

    def group(self, key: str) -> GroupScore:
        return next(g for g in self.groups if g.key == key)

    def figure(self, key: str) -> Figure:
        return next(f for g in self.groups for f in g.figures if f.key == key)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "points": self.points,
            "max_points": self.max_points,
            "weights_source": self.weights_source,
            "groups": [
                {
                    "key": g.key,
                    "label": g.label,
                    "weight": g.weight,
                    "points": g.points,
                    "figures": [
                        {
                            "key": f.key,
                            "label": f.label,
                            "value": f.value,
                            "unit": f.unit,
                            "note": f.note,
                        }
                        for f in g.figures
                    ],
                }
                for g in self.groups
            ],
        }
        if self.as_of is not None:
            data["as_of"] = self.as_of.isoformat(timespec="minutes")
        if self.scope.agencies is not None:
            data["agencies"] = sorted(self.scope.agencies)
        return data


@dataclass(frozen=True)
class FileRef:
    code: str
    procedure_code: str
    procedure_name: str
    status: str  # in Vietnamese words
    received_at: datetime
    due_at: datetime | None  # the due as it stands (a rescheduled file's new appointment)
    settled_at: datetime | None
    # The due set by the rules, which on time and late are judged against (DOMAIN §4): a file
    # settled before its rescheduled due can still be late.
    original_due_at: datetime | None = None


def _share(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def _pct(share: float | None) -> float | None:
    return None if share is None else round(share, 1)


def _count_note(part: int, whole: int) -> str:
    return f"{part:,} trên {whole:,}".replace(",", ".")


def index_report(
    session: Session,
    start: date,
    end: date,
    now: datetime | None = None,
    *,
    scope: Scope = ALL,
) -> IndexReport:
    """The Decision 766 figures of [start, end] for the files of `scope`'s agencies, and the
    points of the groups the desk can compute (weights from `load_weights`):

    - progress = weight × (settled on time or early) / settled, when something was settled;
    - digitisation = weight × the mean of the files' and the results' shares that exist;
    - satisfaction = weight × (very satisfied and satisfied) / ratings given, when any was.

    Pass the moment of making it as `now`: a period not over is counted as of then. Shares are
    in percent rounded to 0.1, the average time to 0.01 working day, points to 0.01.
    """
    weights = load_weights()
    sp = spelling(session)
    params = params_of(start, end, now)
    found = tally(session, sp, params, scope)
    counts, pages, reused, avg = found.counts, found.pages, found.reused, found.average_days

    def n(key: str, label: str, note: str) -> Figure:
        return Figure(key, label, float(counts[key]), "hồ sơ", note, drill=True)

    settled, on_time = counts["progress.settled"], counts["progress.on_time"]
    on_time_share = _share(on_time, settled)
    progress = (
        n(
            "progress.received",
            "Hồ sơ tiếp nhận trong kỳ",
            "trực tuyến, trực tiếp và qua bưu chính; không tính hồ sơ bị từ chối "
            "(cột 4 + 5 Biểu 06)",
        ),
        n(
            "progress.settled",
            "Hồ sơ đã giải quyết trong kỳ",
            "có kết quả trong kỳ (cột 7 Biểu 06)",
        ),
        n(
            "progress.on_time",
            "Giải quyết trước hạn và đúng hạn",
            "so với hạn theo quy định, không tính hạn hẹn lại (cột 8 + 9 Biểu 06)",
        ),
        n("progress.late", "Giải quyết quá hạn", "cột 10 Biểu 06"),
        Figure(
            "progress.on_time_share",
            "Tỷ lệ giải quyết đúng hạn",
            _pct(on_time_share),
            "%",
            _count_note(on_time, settled) + " hồ sơ đã giải quyết",
        ),
        Figure(
            "progress.avg_days",
            "Thời gian giải quyết trung bình",
            None if avg is None else round(avg, 2),
            "ngày làm việc",
            "thời gian làm việc từ lúc tiếp nhận đến lúc có kết quả, trừ thời gian tạm "
            "dừng; các hồ sơ đã giải quyết trong kỳ"
            if avg is not None
            else "không có hồ sơ giải quyết trong kỳ",
        ),
    )
    files_share = _share(
        counts["digitisation.files_digitised"], counts["digitisation.files_counted"]
    )
    results_share = _share(
        counts["digitisation.results_digitised"], counts["digitisation.results_counted"]
    )
    digitisation = (
        Figure(
            "digitisation.files",
            "Tỷ lệ hồ sơ được số hóa",
            _pct(files_share),
            "%",
            "hồ sơ nhận trực tiếp, qua bưu chính trong kỳ có mọi giấy tờ đã số hóa hoặc "
            "thuộc trường hợp không phải số hóa, ít nhất một giấy tờ đã quét (như báo cáo "
            "ngày): "
            + _count_note(
                counts["digitisation.files_digitised"], counts["digitisation.files_counted"]
            ),
        ),
        n(
            "digitisation.files_counted",
            "Hồ sơ nhận trực tiếp, qua bưu chính",
            "hồ sơ nộp trực tuyến không phải số hóa khi tiếp nhận",
        ),
        n(
            "digitisation.files_digitised",
            "Hồ sơ đã số hóa đủ giấy tờ",
            "mọi giấy tờ đã quét hoặc có lý do không số hóa, ít nhất một giấy tờ đã quét",
        ),
        Figure(
            "digitisation.results",
            "Tỷ lệ kết quả được số hóa",
            _pct(results_share),
            "%",
            "kết quả đã quét của hồ sơ giải quyết trong kỳ: "
            + _count_note(
                counts["digitisation.results_digitised"], counts["digitisation.results_counted"]
            ),
        ),
        n(
            "digitisation.results_counted",
            "Hồ sơ đã giải quyết cần số hóa kết quả",
            "hồ sơ giải quyết trong kỳ, trừ kết quả thuộc trường hợp không phải số hóa",
        ),
        n("digitisation.results_digitised", "Kết quả đã số hóa", "kết quả có bản quét"),
        Figure(
            "digitisation.reuse",
            "Tỷ lệ trang tái sử dụng",
            _pct(_share(reused, pages)),
            "%",
            "trang của hồ sơ nhận trong kỳ trùng (cùng SHA-256) một trang đã đính kèm hồ sơ "
            "khác trước đó; chỉ nhận ra bản quét giống hệt: " + _count_note(reused, pages),
        ),
    )
    online = (
        Figure("online.points", "Điểm nhóm chỉ số", None, "điểm", NOT_AT_DESK),
        n(
            "online.received",
            "Hồ sơ nộp trực tuyến trong kỳ",
            "để tham khảo (cột 4 Biểu 06); điểm do Cổng Dịch vụ công quốc gia tính",
        ),
    )
    rated = ratings.total_counts(session, start, end, scope=scope)
    satisfied_share = satisfied_percent(rated)
    average = rated.average
    satisfaction = (
        Figure(
            "satisfaction.count",
            "Số lượt đánh giá",
            float(rated.total_rated),
            "lượt",
            "người nộp hồ sơ đánh giá tại quầy sau khi được phục vụ (tiếp nhận, từ chối, trả "
            f"kết quả); {rated.not_rated:,} lượt phục vụ không được đánh giá".replace(",", "."),
        ),
        Figure(
            "satisfaction.share",
            "Tỷ lệ hài lòng",
            _pct(satisfied_share),
            "%",
            "rất hài lòng và hài lòng trên số lượt đánh giá: "
            + _count_note(rated.very_satisfied + rated.satisfied, rated.total_rated),
        ),
        Figure(
            "satisfaction.score",
            "Điểm đánh giá trung bình",
            None if average is None else round(average, 2),
            "điểm",
            "rất hài lòng 3, hài lòng 2, không hài lòng 1" if average is not None else NO_RATINGS,
        ),
    )
    figures: dict[str, tuple[Figure, ...]] = {
        "publicity": (Figure("publicity.points", "Điểm nhóm chỉ số", None, "điểm", NOT_AT_DESK),),
        "progress": progress,
        "online": online,
        "payment": (Figure("payment.points", "Điểm nhóm chỉ số", None, "điểm", NOT_AT_DESK),),
        "digitisation": digitisation,
        "satisfaction": satisfaction,
    }
    shares = [s for s in (files_share, results_share) if s is not None]
    fractions: dict[str, float | None] = {
        "progress": None if on_time_share is None else on_time_share / 100,
        "digitisation": sum(shares) / len(shares) / 100 if shares else None,
        "satisfaction": None if satisfied_share is None else satisfied_share / 100,
    }
    groups = []
    for key in GROUPS:
        weight = weights.weights[key]
        fraction = fractions.get(key)
        points = None if fraction is None else round(weight * fraction, 2)
        groups.append(GroupScore(key, weights.labels[key], weight, points, figures[key]))
    computed = [g for g in groups if g.points is not None]
    return IndexReport(
        start=start,
        end=end,
        as_of=as_of(end, now),
        scope=scope,
        groups=tuple(groups),
        points=round(sum(g.points or 0.0 for g in computed), 2),
        max_points=sum(g.weight for g in computed),
        weights_source=weights.source,
    )


def files_behind(
    session: Session,
    key: str,
    start: date,
    end: date,
    now: datetime | None = None,
    *,
    scope: Scope = ALL,
    limit: int = 1000,
) -> tuple[list[FileRef], int]:
    """The files a drillable figure counts (the first `limit` by receipt, and how many in
    all), with the same terms as the figure."""
    if key not in TERMS:
        raise ValidationError(f"Chỉ số “{key}” không có danh sách hồ sơ.", field="key")
    sp = spelling(session)
    params: dict[str, Any] = params_of(start, end, now)
    # The figure's own two walks (only the settled figures find files in the second).
    parts = [
        f"SELECT x.id FROM {rows_sql(sp, src, scope.sql('f.agency'), fenced=False)}"
        f" WHERE {TERMS[key]}"
        for src in PARTS
    ]
    total = sum(
        int(session.execute(text(f"SELECT count(*) FROM ({part}) y"), params).scalar_one())
        for part in parts
    )
    sql = f"""SELECT f.code, pr.code, pr.name, f.status, f.received_at, f.due_at, f.settled_at,
  f.original_due_at
FROM files f JOIN procedures pr ON pr.id = f.procedure_id
WHERE f.id IN ({" UNION ALL ".join(parts)})
ORDER BY f.received_at, f.id LIMIT :limit"""
    params["limit"] = max(0, int(limit))
    rows = [
        FileRef(
            code=str(r[0]),
            procedure_code=str(r[1]),
            procedure_name=str(r[2]),
            status=Status(int(r[3])).label,
            received_at=parse_moment(str(r[4])),
            due_at=parse_moment(str(r[5])) if r[5] else None,
            settled_at=parse_moment(str(r[6])) if r[6] else None,
            original_due_at=parse_moment(str(r[7])) if r[7] else None,
        )
        for r in session.execute(text(sql), params)
    ]
    return rows, total
