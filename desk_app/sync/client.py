"""Sending one day's summary over HTTP and sorting the answer into acknowledged / rejected /
try again, with the reason in Vietnamese words for the sync window."""

from __future__ import annotations

import socket
from dataclasses import dataclass

import httpx

from desk_app.sync.protocol import DEFAULT_TIMEOUT, DESKS_PATH, SUMMARIES_PATH


@dataclass(frozen=True)
class Answer:
    """What became of one request: `receipt_id` when acknowledged, else `error`.

    `retry` tells a failure worth trying again (network, server error) from a rejection;
    `offline` that the department could not be reached at all (the pass stops there).
    """

    receipt_id: str | None = None
    error: str | None = None
    retry: bool = False
    offline: bool = False
    conflict: bool = False  # the department holds this revision with other numbers


class DepartmentClient:
    """One connection (kept alive) to the department for one pass."""

    def __init__(self, url: str, token: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout
        self._http = httpx.Client(
            base_url=url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            headers={"Authorization": f"Bearer {token}", "User-Agent": "one-stop-desk"},
            trust_env=False,  # a desk PC's proxy variables must not reroute the department
            # Headers and body leave in two writes; without TCP_NODELAY the body waits for the
            # department's delayed ACK (40 ms a request on Linux).
            transport=httpx.HTTPTransport(
                socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
            ),
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> DepartmentClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def check(self) -> Answer:
        """Ask the department who we are: tells online from offline, and a wrong token, when
        there is nothing to send."""
        try:
            response = self._http.get(DESKS_PATH)
        except httpx.TimeoutException:
            return Answer(error=f"Sở không trả lời trong {self.timeout:g} giây.", offline=True)
        except httpx.TransportError as exc:
            return Answer(error=_network_words(exc) + ".", offline=True)
        if 200 <= response.status_code < 300:
            return Answer(receipt_id="")
        return _judge(response)

    def send(self, body: str, path: str = SUMMARIES_PATH) -> Answer:
        """POST `body` (JSON) to `path`: a day summary, or a batch of look-up rows."""
        try:
            response = self._http.post(
                path,
                content=body.encode("utf-8"),
                headers={"Content-Type": "application/json; charset=utf-8"},
            )
        except httpx.TimeoutException:
            return Answer(
                error=f"Sở không trả lời trong {self.timeout:g} giây; sẽ thử lại.",
                retry=True,
                offline=True,
            )
        except httpx.TransportError as exc:
            return Answer(error=_network_words(exc) + "; sẽ thử lại.", retry=True, offline=True)
        return _judge(response)


def _network_words(exc: httpx.TransportError) -> str:
    """What went wrong on the way, in words a desk officer can act on."""
    if isinstance(exc, httpx.ConnectError):
        return (
            "Không kết nối được với Sở: máy chủ không trả lời ở địa chỉ này, "
            "hoặc máy tính đang mất mạng"
        )
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return "Kết nối với Sở bị ngắt giữa chừng"
    return f"Không kết nối được với Sở ({_short(exc)})"


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _detail(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text.strip()[:200]
    detail = data.get("detail") if isinstance(data, dict) else None
    if isinstance(detail, list):  # FastAPI's validation errors
        return "; ".join(
            ".".join(str(p) for p in d.get("loc", ())) + ": " + str(d.get("msg", ""))
            for d in detail[:3]
            if isinstance(d, dict)
        )
    return str(detail or "")[:200]


def _judge(response: httpx.Response) -> Answer:
    code = response.status_code
    if 200 <= code < 300:
        try:
            data = response.json()
        except ValueError:
            data = None
        receipt = data.get("receipt_id") if isinstance(data, dict) else None
        if isinstance(receipt, str) and receipt:
            return Answer(receipt_id=receipt)
        return Answer(error="Sở trả lời nhưng không có số biên nhận; sẽ thử lại.", retry=True)
    if code in (401, 403):
        return Answer(
            error=f"Sở không nhận mã truy cập (token) của Một cửa ({code}): kiểm tra lại mã trong "
            "Cài đặt › Đồng bộ, rồi gửi lại."
        )
    if code == 409:
        return Answer(
            error=f"Sở đã có bản này của ngày với số liệu khác (409): {_detail(response)}; "
            "sẽ gửi lại thành bản mới.",
            conflict=True,
        )
    if code in (400, 404, 405, 413, 415, 422):
        return Answer(error=f"Sở không nhận dữ liệu ({code}): {_detail(response)}")
    if code == 429 or code >= 500:
        return Answer(error=f"Sở đang gặp lỗi ({code}); sẽ thử lại.", retry=True)
    return Answer(error=f"Sở trả lời không như mong đợi ({code}); sẽ thử lại.", retry=True)
