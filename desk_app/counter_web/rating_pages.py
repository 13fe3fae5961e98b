"""The applicant's rating page on a phone or tablet paired with the counter (issue 16).

`/danh-gia` shows an unpaired browser only the pairing form (nothing about the counter's work);
the code typed there (`POST /danh-gia/ghep`, the counter's window shows it) sets an HttpOnly
device cookie. A paired browser gets the rating page, whose script (`/danh-gia/app.js`, plain
JavaScript) long-polls `/danh-gia/trang-thai` for the visit the window offered, reports the
level and reasons chosen (`/danh-gia/chon`) and the typing (`/danh-gia/cham`) so the counter
knows the applicant is still there, and sends the rating (`/danh-gia/gui`), stored with
services/ratings.record_rating in the server's own session — the database refuses a second.

What the page ever shows: the service's name, the officer's and the counter's; never a file code,
an applicant's name or any other detail of a file.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from desk_app.counter_web.counter import (
    THANKS_SECONDS,
    CounterState,
    PairingResult,
    Snapshot,
)
from desk_app.counter_web.html import SECURITY_HEADERS, esc, page
from desk_app.department.ratelimit import TokenBuckets
from desk_app.errors import DeskError, ValidationError
from desk_app.services import ratings
from desk_app.services.context import SOLO_AGENCY, get_settings
from desk_app.services.ratings import Level
from desk_app.store.engine import Database

log = logging.getLogger(__name__)

PATH = "/danh-gia"
COOKIE = "thiet_bi_danh_gia"
COOKIE_MAX_AGE = 400 * 24 * 3600  # browsers cap a cookie's life at 400 days
POLL_SECONDS = 20.0  # a long poll answers after this at the latest
POLL_STEP = 0.05  # how often a waiting poll looks at the counter's state
TITLE = "Đánh giá mức độ hài lòng"

# Words on the page (Vietnamese; the second-monitor screen's translations, word for word).
INVITE = "Xin mời quý khách đánh giá sau khi được phục vụ"
QUESTION = "Quý khách có hài lòng với sự phục vụ không?"
REASONS_HINT = "Quý khách có thể chạm để chọn thêm nội dung (không bắt buộc)"
COMMENT = "Góp ý của quý khách (không bắt buộc)"
BACK, SEND = "Quay lại", "Gửi"
THANKS = "Cảm ơn quý khách đã đánh giá!"
THANKS_SHORT = "Cảm ơn quý khách!"
OFFLINE = "Mất kết nối với quầy, đang thử lại…"
SEND_FAILED = "Chưa gửi được đánh giá. Vui lòng chạm Gửi lại."

PAIR_INTRO = (
    "Máy này chưa được ghép với quầy nào. Nhập mã ghép gồm 6 chữ số đang hiện trên màn hình "
    "của cán bộ (nút «Máy tính bảng đánh giá»)."
)
PAIR_LABEL, PAIR_BUTTON = "Mã ghép", "Ghép với quầy"
PAIR_WRONG = "Mã ghép không đúng. Vui lòng kiểm tra lại mã trên màn hình của cán bộ."
PAIR_EXPIRED = "Mã ghép đã hết hạn hoặc đã được dùng. Xin cán bộ tạo mã mới."
PAIR_TOO_MANY = "Nhập sai quá nhiều lần. Vui lòng đợi ít phút rồi thử lại."
NO_COUNTER = (
    "Máy này chỉ phục vụ trang hàng chờ. Trang đánh giá do máy tính của quầy phục vụ: mở địa "
    "chỉ hiện trên màn hình của cán bộ."
)
UNPAIRED = "Máy này chưa được ghép với quầy (hoặc cán bộ đã bỏ ghép)."
NOT_ASKED = "Lượt phục vụ này không còn chờ đánh giá."
FOREIGN = "Yêu cầu không hợp lệ."

_FACES = {Level.VERY_SATISFIED: "☺☺", Level.SATISFIED: "☺", Level.DISSATISFIED: "☹"}
_LEVELS = (Level.VERY_SATISFIED, Level.SATISFIED, Level.DISSATISFIED)

_STYLE = """
#quay { white-space: nowrap; }
.where { text-align: right; }
.top { display: flex; justify-content: space-between; gap: 1rem; color: var(--muted);
  font-size: 0.9rem; }
#p-idle { flex: 1; display: flex; flex-direction: column; justify-content: center; gap: 1rem; }
.unit { font-size: 1.4rem; font-weight: 600; color: var(--brand); text-align: center; }
.agency { font-size: 1.9rem; font-weight: 700; color: var(--brand); text-align: center; }
.invite { font-size: 1.7rem; font-weight: 600; text-align: center; margin-top: 2rem; }
#p-ask, #p-details, #p-thanks { flex: 1; display: flex; flex-direction: column; }
.question { font-size: 1.9rem; }
.visit { text-align: center; color: var(--muted); font-size: 1.1rem; }
.levels { flex: 1; display: flex; gap: 1.2rem; margin-top: 1rem; }
.levels button { flex: 1; display: flex; flex-direction: column; justify-content: center;
  align-items: center; border-radius: 24px; min-height: 12rem; padding: 1rem; }
.levels .face { font-size: 4.5rem; line-height: 1; font-weight: 400;
  font-family: "DejaVu Sans", "Segoe UI Symbol", "Noto Sans Symbols", sans-serif; }
.levels .words { font-size: 1.7rem; margin-top: 0.6rem; }
.lv3 { background: var(--ok); } .lv2 { background: var(--info); } .lv1 { background: var(--bad); }
.lv3:active { background: #145e2c; } .lv2:active { background: #174a82; }
.lv1:active { background: #8c1d17; }
.hint { text-align: center; color: var(--muted); }
.reasons { display: grid; grid-template-columns: repeat(3, 1fr); gap: 0.8rem; margin: 0.8rem 0; }
.reasons button { background: #fff; color: var(--ink); border: 3px solid var(--line);
  font-weight: 600; min-height: 3.6rem; }
.reasons button[aria-pressed="true"] { background: var(--brand); border-color: var(--brand);
  color: #fff; }
textarea { min-height: 4.5rem; resize: vertical; }
.actions { display: flex; justify-content: space-between; gap: 1rem; margin-top: 1rem; }
.actions .send { min-width: 12rem; font-size: 1.5rem; }
.actions button { white-space: nowrap; }
body[data-page="idle"] .top { visibility: hidden; }
.counter-name { font-size: 1.3rem; color: var(--muted); text-align: center; }
#p-thanks { justify-content: center; text-align: center; }
.thanks { font-size: 2.2rem; }
#offline { position: fixed; left: 0; right: 0; bottom: 0; margin: 0; border-radius: 0;
  text-align: center; }
.pair { max-width: 30rem; width: 100%; margin: 2rem auto; }
.pair input { font-size: 2.2rem; letter-spacing: 0.5rem; text-align: center; }
.pair button { width: 100%; margin-top: 1rem; }
@media (max-width: 700px) {
  :root { font-size: 18px; }
  .levels { flex-direction: column; gap: 0.8rem; }
  .levels button { min-height: 7.5rem; flex-direction: row; gap: 1rem; }
  .levels .face { font-size: 3rem; } .levels .words { margin-top: 0; }
  .reasons { grid-template-columns: 1fr; gap: 0.6rem; }
  .reasons button { min-height: 3rem; padding: 0.5rem 1rem; }
  .actions .send { min-width: 0; flex: 1; }
  .question { font-size: 1.5rem; } .agency { font-size: 1.5rem; } .invite { font-size: 1.4rem; }
}
"""


class _Choice(BaseModel):
    seq: int
    level: int | None = None
    reasons: list[str] = Field(default_factory=list, max_length=20)


class _Touch(BaseModel):
    seq: int


class _Rating(BaseModel):
    seq: int
    level: int
    reasons: list[str] = Field(default_factory=list, max_length=20)
    comment: str = Field(default="", max_length=4000)


def _html(body: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status_code, headers=SECURITY_HEADERS)


def _json(data: dict[str, Any], status_code: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status_code, headers=SECURITY_HEADERS)


def _same_origin(request: Request) -> bool:
    """A POST from this server's own page: a browser names the page's origin; another site's
    page cannot make it match. (The SameSite=Strict cookie is the other half.)"""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


def render_pairing(error: str = "", *, counter: str = "") -> str:
    """The pairing form: all an unpaired browser sees."""
    note = f'<p class="error" id="loi" role="alert">{esc(error)}</p>' if error else ""
    where = f'<p class="centre muted">{esc(counter)}</p>' if counter else ""
    body = (
        f"<h1>{esc(TITLE)}</h1>{where}"
        '<section class="card pair" id="ghep">'
        f"<p>{esc(PAIR_INTRO)}</p>"
        f'<form method="post" action="{PATH}/ghep">'
        f'<label for="ma">{esc(PAIR_LABEL)}</label>'
        '<input id="ma" name="ma" inputmode="numeric" pattern="[0-9]*" maxlength="6" '
        'autocomplete="one-time-code" required autofocus>'
        f'{note}<button type="submit">{esc(PAIR_BUTTON)}</button></form></section>'
    )
    return page(TITLE, body, style=_STYLE)


def render_rating(counter: str, unit: str, agency: str) -> str:
    """The rating page of a paired browser; its script fills in and switches the sections."""
    levels = "".join(
        f'<button type="button" class="lv{int(lv)}" data-level="{int(lv)}" '
        f'data-words="{esc(lv.label)}"><span class="face" aria-hidden="true">'
        f'{esc(_FACES[lv])}</span><span class="words">{esc(lv.label)}</span></button>'
        for lv in _LEVELS
    )
    reasons = "".join(
        f'<button type="button" data-reason="{esc(key)}" aria-pressed="false">{esc(words)}</button>'
        for key, words in ratings.REASONS
    )
    body = (
        '<div class="top">'
        f'<span id="quay">{esc(counter)}</span><span class="where">{esc(agency)}</span></div>'
        '<section id="p-idle">'
        f'<div class="unit">{esc(unit)}</div><div class="agency">{esc(agency)}</div>'
        f'<div class="counter-name">{esc(counter)}</div>'
        f'<div class="invite">{esc(INVITE)}</div></section>'
        '<section id="p-ask" hidden>'
        f'<h1 class="question">{esc(QUESTION)}</h1><p class="visit" id="visit"></p>'
        f'<div class="levels">{levels}</div></section>'
        '<section id="p-details" hidden>'
        f'<h1 id="level-title"></h1><p class="hint">{esc(REASONS_HINT)}</p>'
        f'<div class="reasons">{reasons}</div>'
        f'<label for="comment">{esc(COMMENT)}</label>'
        f'<textarea id="comment" maxlength="{ratings.COMMENT_LIMIT}" rows="3"></textarea>'
        '<p class="error" id="send-error" role="alert" hidden></p>'
        f'<div class="actions"><button type="button" class="secondary" id="back">{esc(BACK)}'
        f'</button><button type="button" class="send" id="send">{esc(SEND)}</button></div>'
        "</section>"
        '<section id="p-thanks" hidden>'
        f'<h1 class="thanks" id="thanks-title">{esc(THANKS)}</h1>'
        '<p class="centre" id="thanks-note"></p></section>'
        f'<p class="notice" id="offline" hidden>{esc(OFFLINE)}</p>'
    )
    data = {
        "thanks-ms": str(THANKS_SECONDS * 1000),
        "thanks": THANKS,
        "thanks-short": THANKS_SHORT,
        "send-failed": SEND_FAILED,
    }
    return page(
        TITLE, body, style=_STYLE, scripts=[f"{PATH}/app.js"], body_class="rating", data=data
    )


# The page's script: plain JavaScript, no build step, no third-party code.
SCRIPT = r"""
"use strict";
(function () {
  var PATH = "/danh-gia";
  var body = document.body;
  var thanksMs = parseInt(body.dataset.thanksMs, 10) || 6000;
  var version = -1, offer = null, level = null, page = "idle", sending = false;
  var thanksTimer = null, lastTouch = 0;

  function $(id) { return document.getElementById(id); }
  function show(name) {
    ["idle", "ask", "details", "thanks"].forEach(function (p) {
      $("p-" + p).hidden = p !== name;
    });
    page = name;
    body.dataset.page = name;
  }
  function reasonButtons() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-reason]"));
  }
  function chosenReasons() {
    return reasonButtons().filter(function (b) {
      return b.getAttribute("aria-pressed") === "true";
    }).map(function (b) { return b.dataset.reason; });
  }
  function post(path, data) {
    return fetch(PATH + path, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(data)
    });
  }
  function paired(response) {
    if (response.status === 401) { window.location.reload(); return false; }
    return true;
  }
  function thanks(title, note) {
    $("thanks-title").textContent = title;
    $("thanks-note").textContent = note || "";
    show("thanks");
    clearTimeout(thanksTimer);
    thanksTimer = setTimeout(function () { if (page === "thanks") { show("idle"); } }, thanksMs);
  }
  function ask(o) {
    offer = o; level = null; sending = false;
    var parts = [o.service_words, o.officer, o.counter].filter(function (p) { return !!p; });
    $("visit").textContent = parts.join(" · ");
    reasonButtons().forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    $("comment").value = "";
    $("send-error").hidden = true;
    clearTimeout(thanksTimer);
    show("ask");
  }
  function resume(chosen, reasons) {
    // A page reloaded mid-question: back where the applicant was.
    var button = document.querySelector('[data-level="' + chosen + '"]');
    if (!button) { return; }
    level = chosen;
    $("level-title").textContent = button.dataset.words;
    reasonButtons().forEach(function (b) {
      b.setAttribute("aria-pressed", reasons.indexOf(b.dataset.reason) >= 0 ? "true" : "false");
    });
    $("send").disabled = false;
    show("details");
  }
  function apply(state) {
    version = state.version;
    var o = state.offer;
    if (o && (!offer || o.seq !== offer.seq)) {
      ask(o);
      if (state.level !== null) { resume(state.level, state.reasons); }
      return;
    }
    if (!o && offer && !sending) {
      // Withdrawn by the counter: left alone too long (a level chosen is stored anyway).
      var had = page === "details" && level !== null;
      offer = null; level = null;
      if (had) { thanks(body.dataset.thanks, ""); } else if (page !== "thanks") { show("idle"); }
    }
  }
  function poll() {
    fetch(PATH + "/trang-thai?sau=" + version, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (!paired(r)) { return null; }
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.json();
      })
      .then(function (state) {
        if (state === null) { return; }
        $("offline").hidden = true;
        apply(state);
        poll();
      })
      .catch(function () {
        $("offline").hidden = false;
        setTimeout(poll, 2000);
      });
  }
  function choose() {
    if (!offer) { return; }
    post("/chon", { seq: offer.seq, level: level, reasons: chosenReasons() }).then(paired);
  }
  document.querySelectorAll("[data-level]").forEach(function (b) {
    b.addEventListener("click", function () {
      if (!offer) { return; }
      level = parseInt(b.dataset.level, 10);
      $("level-title").textContent = b.dataset.words;
      $("send").disabled = false;
      show("details");
      choose();
    });
  });
  reasonButtons().forEach(function (b) {
    b.addEventListener("click", function () {
      b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "true" ? "false" : "true");
      choose();
    });
  });
  $("comment").addEventListener("input", function () {
    var now = Date.now();
    if (offer && now - lastTouch > 3000) {
      lastTouch = now;
      post("/cham", { seq: offer.seq }).then(paired);
    }
  });
  $("back").addEventListener("click", function () { level = null; show("ask"); choose(); });
  $("send").addEventListener("click", function () {
    if (!offer || level === null || sending) { return; }
    sending = true;
    $("send").disabled = true;
    var words = $("level-title").textContent;
    post("/gui", {
      seq: offer.seq, level: level, reasons: chosenReasons(), comment: $("comment").value
    }).then(function (r) {
      if (!paired(r)) { return; }
      return r.json().then(function (answer) {
        sending = false;
        if (r.ok) { offer = null; level = null; thanks(body.dataset.thanks, words); return; }
        if (r.status === 422 && answer.field === "comment") {
          $("send-error").textContent = answer.error;
          $("send-error").hidden = false;
          $("send").disabled = false;
          return;
        }
        offer = null; level = null;
        thanks(body.dataset.thanksShort, answer.error || "");
      });
    }).catch(function () {
      sending = false;
      $("send").disabled = false;
      $("send-error").textContent = body.dataset.sendFailed;
      $("send-error").hidden = false;
    });
  });
  show("idle");
  poll();
})();
"""


def _snapshot_json(snap: Snapshot) -> dict[str, Any]:
    offer = snap.offer
    return {
        "version": snap.version,
        "offer": None
        if offer is None
        else {
            "seq": offer.seq,
            "service": offer.service,
            "service_words": offer.service_words,
            "officer": offer.officer,
            "counter": offer.counter,
        },
        "level": None if snap.level is None else int(snap.level),
        "reasons": list(snap.reasons),
    }


def rating_router(
    db: Database,
    now: Callable[[], datetime],
    state: CounterState | None,
    *,
    agency: int = SOLO_AGENCY,
    pair_limit: TokenBuckets | None = None,
    closing: Callable[[], bool] = lambda: False,
) -> APIRouter:
    """The rating pages of counter `state` (None: a server without a counter, which only says
    where the rating page is). `pair_limit` rations pairing tries per address (default: 5 at
    once, then one every 12 s); `closing` ends waiting polls when the server stops."""
    router = APIRouter()
    limiter = pair_limit or TokenBuckets(capacity=5, per_seconds=12.0)

    def device(request: Request) -> bool:
        return state is not None and state.is_device(request.cookies.get(COOKIE))

    def unpaired() -> JSONResponse:
        return _json({"error": UNPAIRED}, 401)

    def identity() -> tuple[str, str]:
        try:
            with db.reader.begin() as s:
                view = get_settings(s, agency)
            return view.unit_name, view.agency_name
        except DeskError:
            return "", ""

    @router.get(PATH, response_class=HTMLResponse)
    def get_page(request: Request) -> HTMLResponse:
        if state is None:
            body = f'<h1>{esc(TITLE)}</h1><p class="card notice">{esc(NO_COUNTER)}</p>'
            return _html(page(TITLE, body, style=_STYLE))
        if not device(request):
            return _html(render_pairing())
        unit, agency_name = identity()
        return _html(render_rating(state.counter, unit, agency_name))

    @router.get(f"{PATH}/app.js")
    def get_script() -> Response:
        headers = {**SECURITY_HEADERS, "Cache-Control": "no-cache"}
        return Response(SCRIPT, media_type="text/javascript; charset=utf-8", headers=headers)

    @router.post(f"{PATH}/ghep")
    async def post_pair(request: Request) -> Response:
        if state is None or not _same_origin(request):
            return _html(render_pairing(FOREIGN), 403)
        client = request.client.host if request.client else ""
        if not limiter.allow(client):
            return _html(render_pairing(PAIR_TOO_MANY), 429)
        raw = (await request.body())[:1024].decode("utf-8", "replace")
        typed = (parse_qs(raw).get("ma") or [""])[0]
        result = state.pair(typed)
        if result.outcome != PairingResult.OK or result.token is None:
            words = PAIR_WRONG if result.outcome == PairingResult.WRONG else PAIR_EXPIRED
            return _html(render_pairing(words), 400)
        answer = RedirectResponse(PATH, status_code=303, headers=SECURITY_HEADERS)
        answer.set_cookie(
            COOKIE,
            result.token,
            max_age=COOKIE_MAX_AGE,
            path="/",
            httponly=True,
            samesite="strict",
        )
        return answer

    @router.get(f"{PATH}/trang-thai")
    async def get_state(request: Request, sau: int = -1) -> JSONResponse:
        if state is None or not device(request):
            return unpaired()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + POLL_SECONDS
        while True:
            snap = state.snapshot()
            if snap.version != sau or loop.time() >= deadline or closing():
                return _json(_snapshot_json(snap))
            await asyncio.sleep(POLL_STEP)
            if not device(request):
                return unpaired()

    @router.post(f"{PATH}/chon")
    def post_choice(request: Request, choice: _Choice) -> JSONResponse:
        if state is None or not device(request):
            return unpaired()
        if not _same_origin(request):
            return _json({"error": FOREIGN}, 403)
        try:
            level = None if choice.level is None else Level(choice.level)
        except ValueError:
            return _json({"error": "Mức đánh giá không hợp lệ.", "field": "level"}, 422)
        if not state.choose(choice.seq, level, choice.reasons):
            return _json({"error": NOT_ASKED}, 409)
        return _json({"ok": True})

    @router.post(f"{PATH}/cham")
    def post_touch(request: Request, touch: _Touch) -> JSONResponse:
        if state is None or not device(request):
            return unpaired()
        if not _same_origin(request):
            return _json({"error": FOREIGN}, 403)
        if not state.touch(touch.seq):
            return _json({"error": NOT_ASKED}, 409)
        return _json({"ok": True})

    @router.post(f"{PATH}/gui")
    def post_rating(request: Request, rating: _Rating) -> JSONResponse:
        if state is None or not device(request):
            return unpaired()
        if not _same_origin(request):
            return _json({"error": FOREIGN}, 403)
        token = state.token_of(rating.seq)
        if token is None:
            return _json({"error": NOT_ASKED}, 409)
        try:
            level = Level(rating.level)
        except ValueError:
            return _json({"error": "Mức đánh giá không hợp lệ.", "field": "level"}, 422)
        try:
            with db.writer.begin() as s:
                view = ratings.record_rating(s, token, level, rating.reasons, rating.comment, now())
        except ValidationError as exc:
            if exc.field == "token":  # rated already, too late: the question is over
                state.done(rating.seq, stored=False)
                return _json({"error": exc.message, "field": exc.field}, 409)
            return _json({"error": exc.message, "field": exc.field}, 422)
        state.done(rating.seq, stored=True)
        return _json({"ok": True, "level": int(view.level), "words": view.level.label})

    return router


def store_due(db: Database, now: Callable[[], datetime], state: CounterState) -> int:
    """Store the answers the counter's state holds ready (a level chosen, then left alone);
    how many were stored. A refusal (rated meanwhile, too late) is logged and dropped."""
    stored = 0
    for answer in state.due():
        try:
            with db.writer.begin() as s:
                ratings.record_rating(s, answer.token, answer.level, answer.reasons, "", now())
            stored += 1
            state.done(answer.seq, stored=True)
        except DeskError as exc:
            log.info("rating of visit %s not stored: %s", answer.seq, exc.code)
    return stored
