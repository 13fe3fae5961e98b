"""The counter's LAN web server: the app (`build_app`) and uvicorn in a background thread
(`LanServer`), for the counter's window; `serve` runs it in the foreground for the command line
(`main.py lan --listen 0.0.0.0:8765`, a kiosk or hall display PC with no window).

The pages are plain HTTP on the office's network, as the department's look-up page is on its
own: no file detail is ever on them (rating_pages.py says what is), and the rating page answers
only the device paired with the counter.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

import uvicorn
from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse

from desk_app.counter_web.counter import CounterState
from desk_app.counter_web.html import SECURITY_HEADERS
from desk_app.counter_web.rating_pages import PATH, rating_router, store_due
from desk_app.department.ratelimit import TokenBuckets
from desk_app.department.server import bind_socket, serve_in_thread, uvicorn_config
from desk_app.services.context import SOLO_AGENCY
from desk_app.store.engine import Database

log = logging.getLogger(__name__)

DEFAULT_PORT = 8765
STOP_TIMEOUT_S = 5.0
TICK_SECONDS = 0.5  # how often a question left alone is looked at (its level then stored)


def _queue_router(db: Database, now: Callable[[], datetime]) -> APIRouter | None:
    try:
        from desk_app.counter_web.queue_pages import queue_router
    except ImportError:  # the queue pages are not part of this build
        return None
    return queue_router(db, now)


def build_app(
    db: Database,
    now: Callable[[], datetime],
    *,
    counter: CounterState | None = None,
    agency: int = SOLO_AGENCY,
    pair_limit: TokenBuckets | None = None,
    tick_seconds: float = TICK_SECONDS,
) -> FastAPI:
    """The LAN app over the desk's database `db` at the clock `now`: the hall's queue pages and,
    with `counter` (the counter's window), the rating page paired with it; `agency` names the
    unit on the rating page's idle screen."""
    closing = threading.Event()

    async def tick() -> None:
        assert counter is not None
        while not closing.is_set():
            await asyncio.sleep(tick_seconds)
            try:
                await asyncio.to_thread(store_due, db, now, counter)
            except Exception:  # a database outage: the next tick tries again
                log.exception("storing a rating left alone failed")

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(tick()) if counter is not None else None
        try:
            yield
        finally:
            closing.set()
            if task is not None:
                task.cancel()

    app = FastAPI(
        title="Một cửa — trang của quầy",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.closing = closing
    app.state.counter = counter
    queues = _queue_router(db, now)
    if queues is not None:
        app.include_router(queues)
    app.include_router(
        rating_router(
            db, now, counter, agency=agency, pair_limit=pair_limit, closing=closing.is_set
        )
    )

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse(PATH, status_code=307, headers=SECURITY_HEADERS)

    return app


class LanServer:
    """`app` served on `host:port` (0: a free port) by uvicorn in a daemon thread.

    `start` returns once it accepts requests (OSError when the port is taken); `stop` ends the
    waiting polls, then the server, within STOP_TIMEOUT_S. Safe to stop twice.
    """

    def __init__(self, app: FastAPI, host: str = "0.0.0.0", port: int = DEFAULT_PORT) -> None:
        self.app, self.host, self.port = app, host, port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def url(self) -> str:
        """The address to open from another machine (the LAN address for 0.0.0.0)."""
        return page_url(self.host, self.port)

    def start(self) -> LanServer:
        sock = bind_socket(self.host, self.port)
        self.port = int(sock.getsockname()[1])
        running = serve_in_thread(
            self.app, self.host, sock, "counter-web", graceful_s=1, poll_s=0.005
        )
        if running is None:
            raise OSError(f"the counter's web server did not start on port {self.port}")
        self._server, self._thread = running
        self._sock = sock
        return self

    def stop(self) -> None:
        closing: threading.Event = self.app.state.closing
        closing.set()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT_S)
        if self._sock is not None:
            self._sock.close()
        self._server = self._thread = self._sock = None

    def __enter__(self) -> LanServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def lan_address() -> str:
    """This machine's address on the office network (the one its default route leaves by), or
    127.0.0.1 without a network. Connecting a UDP socket sends nothing."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def page_url(host: str, port: int, path: str = PATH) -> str:
    """The address of `path` on a server bound to `host:port`, as a tablet types it."""
    shown = lan_address() if host in ("0.0.0.0", "", "::") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}{path}"


def parse_listen(text: str) -> tuple[str, int]:
    """ "HOST:PORT", ":PORT" or "PORT" (all addresses), "[V6]:PORT"; ValueError otherwise."""
    value = text.strip()
    host, _sep, port_text = value.rpartition(":")
    if not _sep:
        host, port_text = "0.0.0.0", value
    host = host.strip("[]") or "0.0.0.0"
    port = int(port_text)
    if not 0 < port < 65536:
        raise ValueError(port)
    if host != "localhost":
        ipaddress.ip_address(host)  # a name would resolve unpredictably; an address is wanted
    return host, port


def serve(db: Database, now: Callable[[], datetime], host: str, port: int) -> None:
    """The queue pages in the foreground until Ctrl+C (no counter: no rating page here)."""
    app = build_app(db, now)
    sock = bind_socket(host, port)
    try:
        config = uvicorn_config(app, host, port, quiet=False, graceful_s=1)
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
