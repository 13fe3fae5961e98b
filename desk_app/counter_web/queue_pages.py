"""The hall's queue on the counter's LAN web server (issue 16): the kiosk that hands out tickets
(`/lay-so`) and the hall's display of the numbers called (`/man-hinh-cho`).

Both pages are plain HTML with a script of their own (served from here: the pages' policy allows
no inline script) that talks JSON to the endpoints below; they work from any browser on the
network: a touch-screen kiosk (portrait or landscape), a television in the hall.

- Kiosk: the service groups as big buttons; a tap issues a ticket (services/tickets.issue_ticket)
  and, when this machine names a receipt printer (Settings › This computer), prints it at once in
  ESC/POS (printing/escpos_ticket.py); otherwise it offers the ticket's PDF. A tap carries a
  token: the same token twice (a double tap, a retried request) returns the same ticket.
- Display: per counter the number it is serving, the last numbers called, the people waiting per
  group; the page asks for it every second and chimes (Web Audio) at each new call or recall.

`?nhom=A,B` (letters or group ids) narrows either page to some groups, `?don-vi=2` to one agency
of a centre: in centre mode every counter, kiosk and display shares one queue per group.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.counter_web.html import SECURITY_HEADERS, esc, page
from desk_app.errors import DatabaseBusyError, DeskError, NotFoundError
from desk_app.printing import escpos_ticket
from desk_app.printing.ticket import TicketSlip
from desk_app.resources import read_resource_text
from desk_app.services import tickets
from desk_app.services.tickets import GroupView, TicketView
from desk_app.store.engine import Database
from desk_app.store.models import DeskSettings, Ticket, TicketGroup

KIOSK_PATH = "/lay-so"
DISPLAY_PATH = "/man-hinh-cho"
RECENT_CALLS = 8  # the display's list of the last numbers called
REMEMBERED_TAPS = 512  # tap tokens kept to answer a repeated tap with the same ticket


def _default_printer_setting() -> str:
    from desk_app.machine_prefs import read_ticket_printer
    from desk_app.store.machine_db import default_prefs_path

    return read_ticket_printer(default_prefs_path())


@dataclass(frozen=True)
class Scope:
    """The groups a page shows, from its `nhom` and `don-vi` parameters."""

    groups: list[GroupView]
    agency_names: dict[int, str]

    @property
    def ids(self) -> list[int]:
        return [g.id for g in self.groups]

    @property
    def title(self) -> str:
        """The agency's name when the page serves one, else nothing."""
        agencies = {g.agency for g in self.groups}
        return self.agency_names.get(agencies.pop(), "") if len(agencies) == 1 else ""

    def group_name(self, group: GroupView) -> str:
        """The group's name, with its agency's when the page spans several agencies."""
        if len({g.agency for g in self.groups}) > 1:
            return f"{group.name} ({self.agency_names.get(group.agency, group.agency)})"
        return group.name


def _scope(session: Session, wanted: str, agency: str) -> Scope:
    agency_id = int(agency) if agency.strip().isdigit() else None
    found = tickets.groups(session, agency_id)
    tokens = {t.strip().upper() for t in wanted.split(",") if t.strip()}
    if tokens:
        found = [g for g in found if g.prefix in tokens or str(g.id) in tokens]
    names = {
        s.id: s.short_name or s.agency_name
        for s in session.scalars(
            select(DeskSettings).where(DeskSettings.id.in_({g.agency for g in found}))
        )
    }
    return Scope(found, names)


def _waiting_by_group(session: Session, ids: Sequence[int], day: date) -> dict[int, int]:
    rows = session.execute(
        select(Ticket.group_id, func.count())
        .where(Ticket.day == day, Ticket.status == "waiting", Ticket.group_id.in_(list(ids)))
        .group_by(Ticket.group_id)
    ).all()
    return {int(group): int(count) for group, count in rows}


def _groups_waiting(session: Session, scope: Scope, day: date) -> list[dict[str, Any]]:
    """The scope's groups as the kiosk and the display show them, with the people waiting."""
    waiting = _waiting_by_group(session, scope.ids, day)
    return [
        {
            "id": g.id,
            "prefix": g.prefix,
            "name": scope.group_name(g),
            "waiting": waiting.get(g.id, 0),
        }
        for g in scope.groups
    ]


def _natural(text: str) -> list[Any]:
    """ "Quầy 2" before "Quầy 10"."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)]


def display_state(session: Session, scope: Scope, now: datetime) -> dict[str, Any]:
    """What the hall's display shows: per counter the number it serves, the last numbers
    called (each with its recalls, so the page hears a recall as a new call), and the people
    waiting per group."""
    day = now.date()
    ids = scope.ids
    called = session.execute(
        select(Ticket, TicketGroup.prefix)
        .join(TicketGroup, TicketGroup.id == Ticket.group_id)
        .where(Ticket.day == day, Ticket.group_id.in_(ids), Ticket.called_at.is_not(None))
        .order_by(Ticket.called_at.desc(), Ticket.id.desc())
        .limit(RECENT_CALLS)
    ).all()
    serving = session.execute(
        select(Ticket, TicketGroup.prefix)
        .join(TicketGroup, TicketGroup.id == Ticket.group_id)
        .where(Ticket.day == day, Ticket.group_id.in_(ids), Ticket.status == "called")
        .order_by(Ticket.called_at, Ticket.id)
    ).all()
    counter_names = session.scalars(
        select(Ticket.counter_name)
        .where(Ticket.day == day, Ticket.group_id.in_(ids), Ticket.counter_name.is_not(None))
        .distinct()
    ).all()
    counters: dict[str, str | None] = {str(name): None for name in counter_names if name}
    for ticket, prefix in serving:  # the latest call of each counter wins
        counters[ticket.counter_name or ""] = tickets.label(prefix, ticket.number)
    counters.pop("", None)
    return {
        "now": f"{now:%H:%M}",
        "date": f"{now:%d/%m/%Y}",
        "title": scope.title,
        "counters": [
            {"counter": name, "label": counters[name]} for name in sorted(counters, key=_natural)
        ],
        "calls": [
            {
                "id": ticket.id,
                "label": tickets.label(prefix, ticket.number),
                "counter": ticket.counter_name or "",
                "at": f"{ticket.called_at:%H:%M}",
                "recalls": ticket.recalls,
                "status": ticket.status,
            }
            for ticket, prefix in called
        ],
        "groups": _groups_waiting(session, scope, day),
    }


class TapIn(BaseModel):
    group: int
    tap: str = Field(default="", max_length=64)  # the tap's token: the same one, the same ticket
    nhom: str = Field(default="", max_length=200)  # the kiosk's narrowing, as in its address
    don_vi: str = Field(default="", max_length=12)


class TapMemory:
    """The kiosk's answers by tap token, so a double tap or a retried request gets the ticket
    of the first rather than a second one; a request whose token is still being answered waits
    for that answer."""

    WAIT_S = 10.0

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: OrderedDict[str, dict[str, Any] | None] = OrderedDict()  # None: in flight
        self._settled = threading.Condition()

    def claim(self, token: str) -> dict[str, Any] | None:
        """The answer already given for `token`; None: the caller answers it (then `settle`)."""
        if not token:
            return None
        with self._settled:
            self._settled.wait_for(lambda: self._answers.get(token, {}) is not None, self.WAIT_S)
            known = self._answers.get(token)
            if known is not None:
                return known
            self._answers[token] = None
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)
            return None

    def settle(self, token: str, answer: dict[str, Any] | None) -> None:
        """`token`'s answer (None: it failed; the next tap with it tries again)."""
        if not token:
            return
        with self._settled:
            if answer is None:
                self._answers.pop(token, None)
            else:
                self._answers[token] = answer
            self._settled.notify_all()


def _headers() -> dict[str, str]:
    return dict(SECURITY_HEADERS)


def _json(body: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=_headers())


def _error(exc: DeskError) -> JSONResponse:
    status = 404 if isinstance(exc, NotFoundError) else 503 if _busy(exc) else 409
    return _json({"detail": exc.message}, status)


def _busy(exc: DeskError) -> bool:
    return isinstance(exc, DatabaseBusyError)


def queue_router(
    db: Database,
    now: Callable[[], datetime],
    *,
    printer_setting: Callable[[], str] | None = None,
) -> APIRouter:
    """The kiosk's and the hall display's pages and their JSON, over `db` at the clock `now`.
    `printer_setting` names the receipt printer ("host:port", a device path, "" none); by
    default this machine's preferences are read at each ticket, so a printer named in Settings
    applies without a restart."""
    router = APIRouter()
    read_printer = printer_setting or _default_printer_setting
    taps = TapMemory(REMEMBERED_TAPS)
    issued: OrderedDict[int, TicketView] = OrderedDict()  # for their PDFs
    issued_lock = threading.Lock()

    def printer() -> escpos_ticket.PrinterTarget | None:
        try:
            return escpos_ticket.parse_printer(read_printer())
        except DeskError:
            return None  # the Settings tab refuses a bad name; a hand-edited one prints nothing

    if printer() is not None:
        # python-escpos takes half a second to import the first time: not on the first ticket.
        threading.Thread(target=escpos_ticket.warm_up, name="escpos-warm-up", daemon=True).start()

    # --- the kiosk ---------------------------------------------------------------------------

    _add_page(router, "kiosk", KIOSK_PATH, _kiosk_html, "kiosk.js", "queue_kiosk.js")

    @router.get(f"{KIOSK_PATH}/api/nhom")
    def kiosk_groups(nhom: GroupsWanted = "", don_vi: AgencyWanted = "") -> JSONResponse:
        moment = now()
        with db.reader.begin() as s:
            scope = _scope(s, nhom, don_vi)
            groups = _groups_waiting(s, scope, moment.date())
        return _json(
            {
                "title": scope.title,
                # The server's wall clock as milliseconds (its local time read as UTC): the
                # kiosk shows the server's time, not its own.
                "clock": int(moment.replace(tzinfo=UTC).timestamp() * 1000),
                "printer": printer() is not None,
                "groups": groups,
            }
        )

    @router.post(f"{KIOSK_PATH}/api/ve")
    def kiosk_issue(tap: TapIn) -> JSONResponse:
        token = tap.tap.strip()
        known = taps.claim(token)
        if known is not None:
            return _json(known)
        answer: dict[str, Any] | None = None
        try:
            answer = issue(tap)
        except DeskError as exc:
            return _error(exc)
        finally:
            taps.settle(token, answer)
        return _json(answer)

    def issue(tap: TapIn) -> dict[str, Any]:
        with db.writer.begin() as s:
            scope = _scope(s, tap.nhom, tap.don_vi)
            if tap.group not in scope.ids:
                raise NotFoundError("Không có nhóm dịch vụ này ở máy lấy số này.")
            ticket = tickets.issue_ticket(s, tap.group, now())
            agency = scope.agency_names.get(
                next(g.agency for g in scope.groups if g.id == tap.group), ""
            )
        with issued_lock:
            issued[ticket.id] = ticket
            while len(issued) > REMEMBERED_TAPS:
                issued.popitem(last=False)
        return _ticket_answer(ticket, agency, printer())

    @router.get(KIOSK_PATH + "/ve/{ticket_id}.pdf")
    def kiosk_pdf(ticket_id: int) -> Response:
        # Only a ticket this kiosk server handed out lately, as it was issued (the people
        # waiting before it then), and of today.
        with issued_lock:
            view = issued.get(ticket_id)
        if view is None or view.day != now().date():
            return _json({"detail": "Không tìm thấy phiếu số thứ tự này."}, 404)
        with db.reader.begin() as s:
            pdf = tickets.ticket_pdf(s, view)
        headers = _headers() | {"Content-Disposition": f'inline; filename="{view.label}.pdf"'}
        return Response(pdf, media_type="application/pdf", headers=headers)

    # --- the hall's display ------------------------------------------------------------------

    _add_page(router, "display", DISPLAY_PATH, _display_html, "hall.js", "queue_hall.js")

    @router.get(f"{DISPLAY_PATH}/api/trang-thai")
    def display_api(nhom: GroupsWanted = "", don_vi: AgencyWanted = "") -> JSONResponse:
        moment = now()
        with db.reader.begin() as s:
            state = display_state(s, _scope(s, nhom, don_vi), moment)
        return _json(state)

    return router


def _ticket_answer(
    ticket: TicketView, agency: str, target: escpos_ticket.PrinterTarget | None
) -> dict[str, Any]:
    """The kiosk's answer to a tap: the ticket, and whether it printed (the printer's trouble
    in words when not); the PDF's address either way."""
    printed, trouble = False, ""
    if target is not None:
        slip = TicketSlip(ticket.label, ticket.group_name, ticket.issued_at, ticket.waiting, agency)
        try:
            escpos_ticket.print_ticket(target, slip)
            printed = True
        except escpos_ticket.PrinterError as exc:
            trouble = exc.message
    return {
        "id": ticket.id,
        "label": ticket.label,
        "group": ticket.group_name,
        "time": f"{ticket.issued_at:%H:%M}",
        "date": f"{ticket.issued_at:%d/%m/%Y}",
        "waiting": ticket.waiting,
        "printer": target is not None,
        "printed": printed,
        "trouble": trouble,
        "pdf": f"{KIOSK_PATH}/ve/{ticket.id}.pdf",
    }


def _script(name: str) -> str:
    return read_resource_text("web", name)


# The groups a kiosk or a display shows (?nhom=B,C) and its agency (?don-vi=…), as its address
# names them; empty: every group, every agency.
GroupsWanted = Annotated[str, Query(max_length=200)]
AgencyWanted = Annotated[str, Query(alias="don-vi")]


def _add_page(
    router: APIRouter, name: str, path: str, html: Callable[[], str], script: str, source: str
) -> None:
    """The page at `path` (`html()`, route `<name>_page`) and its script at `path/script`
    (resources/web/`source`, route `<name>_script`)."""

    def page_route() -> HTMLResponse:
        return HTMLResponse(html(), headers=_headers())

    def script_route() -> Response:
        return Response(_script(source), media_type="text/javascript", headers=_headers())

    router.get(path, response_class=HTMLResponse, name=f"{name}_page")(page_route)
    router.get(f"{path}/{script}", name=f"{name}_script")(script_route)


KIOSK_STYLE = """
main { max-width: none; min-height: 100vh; padding: 3vmin 4vmin; }
.k-head { display: flex; align-items: baseline; justify-content: space-between; gap: 2vmin;
  border-bottom: 4px solid var(--brand); padding-bottom: 1.5vmin; }
.k-agency { font-size: max(1.1rem, 3vmin); font-weight: 700; color: var(--brand);
  text-transform: uppercase; }
.k-clock { font-size: max(1.2rem, 3.6vmin); font-weight: 700; color: var(--muted);
  font-variant-numeric: tabular-nums; }
.k-title { font-size: max(1.8rem, 6vmin); margin: 2.5vmin 0 0.5vmin; }
.k-hint { text-align: center; font-size: max(1.05rem, 3vmin); color: var(--muted);
  margin: 0 0 3vmin; }
.k-groups { display: grid; gap: 2.5vmin; flex: 1; align-content: start;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 24rem), 1fr)); }
.k-group { display: flex; align-items: center; gap: 3vmin; text-align: left;
  min-height: max(6rem, 15vmin); padding: 2vmin 3vmin; border-radius: 2.4vmin;
  background: #fff; color: var(--ink); border: 3px solid #c3cfdc;
  box-shadow: 0 0.6vmin 0 #c3cfdc; font-weight: 600; }
.k-group:active { transform: translateY(0.4vmin); box-shadow: 0 0.2vmin 0 #c3cfdc; }
.k-group:disabled { background: #eef1f5; color: var(--ink); }
.k-letter { flex: none; display: grid; place-items: center; width: max(4.5rem, 12vmin);
  height: max(4.5rem, 12vmin); border-radius: 50%; background: var(--brand); color: #fff;
  font-size: max(2.2rem, 6.5vmin); font-weight: 800; }
.k-name { display: block; font-size: max(1.25rem, 3.6vmin); line-height: 1.25; }
.k-wait { display: block; font-size: max(0.95rem, 2.5vmin); color: var(--muted);
  font-weight: 500; margin-top: 0.6vmin; }
@media (orientation: portrait) {
  .k-groups { grid-template-columns: 1fr; gap: 2vmin; }
  .k-groups.many { grid-template-columns: 1fr 1fr; }
  .k-group { min-height: max(6rem, 11vh); }
  .k-groups:not(.many) .k-name { font-size: max(1.4rem, 4.4vmin); }
}
.k-foot { text-align: center; color: var(--muted); font-size: max(0.9rem, 2.2vmin);
  margin-top: 3vmin; }
.k-overlay { position: fixed; inset: 0; background: rgba(18, 53, 91, 0.92); display: grid;
  place-items: center; padding: 4vmin; }
.k-card { background: #fff; border-radius: 3vmin; padding: 4vmin 6vmin; text-align: center;
  width: min(92vw, 60rem); }
.k-card h2 { font-size: max(1.4rem, 4vmin); margin: 0; }
.k-number { font-size: max(6rem, 24vmin); font-weight: 800; color: var(--brand);
  line-height: 1.05; letter-spacing: 0.02em; font-variant-numeric: tabular-nums; }
.k-card p { font-size: max(1.1rem, 3.2vmin); margin: 1.2vmin 0; }
.k-card .k-status { font-weight: 700; }
.k-card .k-status.ok { color: var(--ok); }
.k-card .k-status.bad { color: var(--bad); }
.k-actions { display: flex; gap: 3vmin; justify-content: center; flex-wrap: wrap;
  margin-top: 3vmin; }
.k-actions .button, .k-actions button { font-size: max(1.2rem, 3.4vmin);
  min-height: max(3.4rem, 9vmin); padding: 1.5vmin 5vmin; }
.k-count { color: var(--muted); font-size: max(0.95rem, 2.4vmin) !important; }
"""


def _kiosk_html() -> str:
    body = f"""
<header class="k-head"><span class="k-agency" id="agency"></span>
<span class="k-clock" id="clock"></span></header>
<h1 class="k-title">LẤY SỐ THỨ TỰ</h1>
<p class="k-hint">Chạm vào lĩnh vực quý khách cần giải quyết để nhận số.</p>
<div class="k-groups" id="groups" aria-live="polite"></div>
<p class="k-foot" id="foot">Đang tải danh sách lĩnh vực…</p>
<div class="k-overlay" id="overlay" hidden role="dialog" aria-modal="true">
 <div class="k-card">
  <h2>Số thứ tự của quý khách</h2>
  <div class="k-number" id="number"></div>
  <p id="group"></p>
  <p id="when"></p>
  <p id="waiting"></p>
  <p class="k-status" id="status"></p>
  <div class="k-actions">
   <a class="button secondary" id="pdf" hidden target="_blank" rel="noopener">In phiếu (PDF)</a>
   <button type="button" id="done">Xong</button>
  </div>
  <p class="k-count" id="count"></p>
 </div>
</div>
<noscript><p class="error">{esc("Máy lấy số cần bật JavaScript.")}</p></noscript>
"""
    return page(
        "Lấy số thứ tự",
        body,
        style=KIOSK_STYLE,
        scripts=[f"{KIOSK_PATH}/kiosk.js"],
        body_class="kiosk",
    )


DISPLAY_STYLE = """
:root { font-size: 1.6vh; }
html, body { background: #0e2a47; color: #fff; overflow: hidden; }
main { max-width: none; height: 100vh; padding: 2vh 2.2vw; display: grid; gap: 2vh;
  grid-template-rows: auto auto minmax(0, 1fr) auto auto; }
.h-head { display: flex; justify-content: space-between; align-items: baseline; }
.h-agency { font-size: 3.4vh; font-weight: 700; text-transform: uppercase; }
.h-clock { font-size: 4.4vh; font-weight: 700; font-variant-numeric: tabular-nums; }
.h-banner { border-radius: 1.6vh; background: #163f69; padding: 1.6vh 2vw; text-align: center;
  font-size: 7vh; font-weight: 800; min-height: 11vh; }
.h-banner b { color: #ffd54a; }
.h-banner.flash { animation: flash 0.8s ease-in-out 0s 6 alternate; background: #1f5fa8; }
@keyframes flash { from { background: #1f5fa8; } to { background: #b8860b; } }
.h-body { display: grid; grid-template-columns: 2fr 1fr; gap: 2vw; min-height: 0; }
.h-panel { background: #123559; border-radius: 1.6vh; padding: 1.6vh 1.4vw; min-height: 0;
  overflow: hidden; }
.h-panel h2 { color: #9cc4ee; font-size: 3vh; text-align: left; margin: 0 0 1.2vh;
  text-transform: uppercase; letter-spacing: 0.04em; }
.h-serving { display: flex; flex-direction: column; }
.h-counters { --cols: 3; --rows: 2; flex: 1; min-height: 0; display: grid; gap: 1.4vh 1.2vw;
  grid-template-columns: repeat(var(--cols), 1fr);
  grid-template-rows: repeat(var(--rows), minmax(0, 1fr)); }
.h-counter { background: #fff; color: #12355b; border-radius: 1.2vh; padding: 0.6vh 1vw;
  text-align: center; display: flex; flex-direction: column; justify-content: center;
  min-height: 0; overflow: hidden; }
.h-counter .c-name { font-size: min(3.4vh, calc(16vh / var(--rows))); font-weight: 700;
  color: #4a5666; }
.h-counter .c-label { font-size: min(13vh, calc(34vh / var(--rows)), calc(20vw / var(--cols)));
  font-weight: 800; line-height: 1.05; font-variant-numeric: tabular-nums; }
.h-counter.idle .c-label { color: #9aa8b8; }
.h-counter.new { outline: 0.6vh solid #ffd54a; }
table { width: 100%; border-collapse: collapse; font-size: 3.2vh; table-layout: fixed; }
td { padding: 0.75vh 0.4vw; border-bottom: 1px solid #2a5680; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
#calls td:nth-child(1) { width: 30%; } #calls td:nth-child(3) { width: 22%; }
.h-waiting { display: flex; gap: 1vw; align-items: center; }
.h-waiting h2 { margin: 0; font-size: 3vh; color: #9cc4ee; text-transform: uppercase;
  white-space: nowrap; }
.w-chips { flex: 1; display: flex; flex-wrap: wrap; gap: 1vh 1vw; }
.w-chip { flex: 1 1 14vw; min-width: 0; max-width: 32vw; display: flex; align-items: baseline;
  gap: 0.6vw; background: #123559; border-radius: 1vh; padding: 0.6vh 1vw; font-size: 2.6vh; }
.w-chip b { font-size: 3.4vh; color: #fff; }
.w-chip .w-name { flex: 1; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  color: #cfe0f2; }
.w-chip .w-count { font-size: 3.4vh; font-weight: 800; color: #ffd54a;
  font-variant-numeric: tabular-nums; }
td.n { font-weight: 800; font-size: 3.6vh; color: #ffd54a; font-variant-numeric: tabular-nums; }
td.r { text-align: right; color: #cfe0f2; font-variant-numeric: tabular-nums; }
.h-foot { display: flex; justify-content: space-between; font-size: 2.2vh; color: #9cc4ee; }
.h-sound { background: #ffd54a; color: #12355b; padding: 0.2vh 1vw; border-radius: 1vh;
  font-weight: 700; }
.h-empty { color: #9cc4ee; font-size: 2.6vh; }
"""


def _display_html() -> str:
    body = f"""
<header class="h-head"><span class="h-agency" id="agency"></span>
<span class="h-clock" id="clock"></span></header>
<div class="h-banner" id="banner" aria-live="assertive">Xin mời quý khách lấy số thứ tự</div>
<div class="h-body">
 <section class="h-panel h-serving"><h2>Đang phục vụ</h2>
 <div class="h-counters" id="counters"></div></section>
 <section class="h-panel"><h2>Số vừa gọi</h2><table id="calls"></table></section>
</div>
<section class="h-waiting"><h2>Đang chờ</h2><div class="w-chips" id="groups"></div></section>
<footer class="h-foot"><span id="note">Vui lòng chú ý số thứ tự và quầy được mời.</span>
<span class="h-sound" id="sound" hidden>Chạm vào màn hình để bật chuông báo</span></footer>
<noscript><p class="error">{esc("Màn hình gọi số cần bật JavaScript.")}</p></noscript>
"""
    return page(
        "Màn hình gọi số",
        body,
        style=DISPLAY_STYLE,
        scripts=[f"{DISPLAY_PATH}/hall.js"],
        body_class="hall",
    )
