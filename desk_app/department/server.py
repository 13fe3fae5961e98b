"""Running the department's service: in a background thread (tests, tools) or blocking (CLI)."""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass, field

import uvicorn
from fastapi import FastAPI

from desk_app.department.app import create_app
from desk_app.department.guard import DEFAULT_MAX_BODY

START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0


def uvicorn_config(
    app: FastAPI, host: str, port: int, *, quiet: bool, graceful_s: int = 2
) -> uvicorn.Config:
    """uvicorn serving `app` over h11 without websockets; `quiet`: embedded in another program
    (tests, the counter's window), warnings only and its logging left alone. A stop waits
    `graceful_s` seconds for the requests under way."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http="h11",
        ws="none",  # no websockets here; avoids importing that stack
        lifespan="on",
        # Embedded in another program (tests), do not reconfigure its logging.
        log_config=None if quiet else uvicorn.config.LOGGING_CONFIG,
        log_level="warning" if quiet else "info",
        access_log=not quiet,
        timeout_graceful_shutdown=graceful_s,
    )


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket; port 0 lets the system pick a free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP (not 0) also lets asyncio set TCP_NODELAY on each accepted connection.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    if os.name != "nt":
        # Lets a restarted service take its port back at once; on Windows the same option
        # would let a second process share the port.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    # uvicorn's h11 protocol writes an answer's head and body separately; without this, Nagle's
    # algorithm and the client's delayed ACK hold every answer back ~40 ms (accepted sockets
    # inherit the option from the listening one).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve_in_thread(
    app: FastAPI,
    host: str,
    sock: socket.socket,
    name: str,
    *,
    graceful_s: int = 2,
    poll_s: float = 0.01,
) -> tuple[uvicorn.Server, threading.Thread] | None:
    """uvicorn serving `app` quietly on the listening `sock` in a daemon thread called `name`,
    once it accepts requests (looked at every `poll_s`); None, the server told to exit and the
    socket closed, when it did not start within START_TIMEOUT_S."""
    config = uvicorn_config(
        app, host, int(sock.getsockname()[1]), quiet=True, graceful_s=graceful_s
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            return None
        time.sleep(poll_s)
    return server, thread


@dataclass
class RunningServer:
    """A department service running in a daemon thread; `stop()` shuts it down."""

    host: str
    port: int
    app: FastAPI
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)
    _sock: socket.socket = field(repr=False)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(STOP_TIMEOUT_S)
        self._sock.close()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def start_in_thread(
    db_url: str, host: str = "127.0.0.1", port: int = 0, *, app: FastAPI | None = None
) -> RunningServer:
    """Start the service on `host:port` (0: a free port) and return once it accepts requests.

    `app` replaces the app made from `db_url`, e.g. one wrapped with a test's middleware.
    """
    app = app or create_app(db_url)
    sock = bind_socket(host, port)
    running = serve_in_thread(app, host, sock, "department-server")
    if running is None:
        raise RuntimeError("the department service did not start")
    server, thread = running
    return RunningServer(
        host=host,
        port=int(sock.getsockname()[1]),
        app=app,
        _server=server,
        _thread=thread,
        _sock=sock,
    )


def serve(
    db_url: str,
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    max_body: int = DEFAULT_MAX_BODY,
    api_docs: bool = False,
) -> None:
    """Run the service in the foreground until Ctrl+C (the command line)."""
    app = create_app(db_url, max_body=max_body, api_docs=api_docs)
    sock = bind_socket(host, port)
    try:
        uvicorn.Server(uvicorn_config(app, host, port, quiet=False)).run(sockets=[sock])
    finally:
        sock.close()
