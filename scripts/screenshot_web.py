"""Screenshots of web pages in headless Chromium, at the sizes asked, for docs/screenshots/.

    .venv/bin/python scripts/screenshot_web.py URL [URL ...] [--size 1280x800 --size 390x844]
        [--out docs/screenshots] [--name NAME] [--wait-for CSS] [--click CSS ...]

Each URL at each size is saved as OUT/NAME-WxH.png (NAME: --name, else the URL's path). Pages
that need taps first (a question answered, a form filled) are driven from Python through the
`Browser` class:

    with Browser() as browser, browser.tab(1280, 800) as tab:
        tab.go("http://127.0.0.1:8765/danh-gia")
        tab.run("document.querySelector('[data-level=\"2\"]').click()")
        tab.wait_for("!document.getElementById('p-details').hidden")
        tab.shot(Path("docs/screenshots/x.png"))

Chromium is driven over its DevTools pipe (--remote-debugging-pipe: JSON messages on file
descriptors 3 and 4), so nothing beyond the standard library is needed; scripts run through
DevTools are not bound by the page's Content-Security-Policy. Needs `chromium`
(apt-get install chromium).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
# A headless Chromium that calls nowhere and keeps no state (scripts/screenshot_queue.py too).
HEADLESS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
FLAGS = (*HEADLESS, "--force-device-scale-factor=1", "--remote-debugging-pipe")
PHONE_WIDTH = 700  # narrower than this: a phone (mobile viewport, touch)


def find_chromium() -> str | None:
    """Chromium's program, or None when it is not installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium() -> str:
    found = find_chromium()
    if found is None:
        raise SystemExit("chromium is missing: apt-get install -y chromium")
    return found


class Browser:
    """A headless Chromium driven over its DevTools pipe."""

    def __init__(self, timeout: float = 20.0) -> None:
        self.timeout = timeout
        self._id = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []

    def __enter__(self) -> Browser:
        self._profile = tempfile.mkdtemp(prefix="shot-chromium-")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def fds() -> None:  # in the child: the pipe's ends as descriptors 3 and 4
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self._process = subprocess.Popen(
            [chromium(), *FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=fds,  # noqa: PLW1509 (a script, no threads yet)
            pass_fds=(3, 4),
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        return self

    def __exit__(self, *_exc: object) -> None:
        with suppress(Exception):  # already gone
            self.send("Browser.close")
        try:
            self._process.wait(5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)
        shutil.rmtree(self._profile, ignore_errors=True)

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """One DevTools command; its result (RuntimeError with Chromium's words on an error)."""
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode("utf-8") + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            for reply in self._read(deadline):
                if reply.get("id") == self._id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    result: dict[str, Any] = reply.get("result", {})
                    return result
                self._events.append(reply)

    def _read(self, deadline: float) -> Iterator[dict[str, Any]]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed its pipe")
            self._buffer += chunk
        *messages, self._buffer = self._buffer.split(b"\0")
        for raw in messages:
            yield json.loads(raw)

    @contextmanager
    def tab(self, width: int, height: int) -> Iterator[Tab]:
        """A new tab of `width`×`height` CSS pixels in a fresh profile (no cookies shared)."""
        context = self.send("Target.createBrowserContext")["browserContextId"]
        target = self.send("Target.createTarget", url="about:blank", browserContextId=context)
        attached = self.send("Target.attachToTarget", targetId=target["targetId"], flatten=True)
        tab = Tab(self, attached["sessionId"], width, height)
        try:
            yield tab
        finally:
            self.send("Target.closeTarget", targetId=target["targetId"])
            self.send("Target.disposeBrowserContext", browserContextId=context)


class Tab:
    def __init__(self, browser: Browser, session: str, width: int, height: int) -> None:
        self.browser, self.session = browser, session
        self.width, self.height = width, height
        phone = width < PHONE_WIDTH
        self.send("Page.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=phone,
        )
        if phone:
            self.send("Emulation.setTouchEmulationEnabled", enabled=True, maxTouchPoints=5)

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        return self.browser.send(method, self.session, **params)

    def go(self, url: str, settle: float = 0.3) -> None:
        """Open `url` and wait until it has loaded (and `settle` seconds for its script)."""
        self.send("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete' && location.href !== 'about:blank'")
        time.sleep(settle)

    def run(self, script: str) -> Any:
        """Evaluate `script` in the page (promises awaited); its value."""
        answer = self.send(
            "Runtime.evaluate", expression=script, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in answer:
            raise RuntimeError(f"{script}: {answer['exceptionDetails']}")
        return answer.get("result", {}).get("value")

    def wait_for(self, condition: str, timeout: float = 10.0) -> None:
        """Until the JavaScript `condition` holds in the page."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.run(f"Boolean({condition})"):
                    return
            except RuntimeError:
                pass  # a page being replaced by the next one
            if time.monotonic() > deadline:
                raise TimeoutError(condition)
            time.sleep(0.05)

    def click(self, selector: str) -> None:
        self.run(f"document.querySelector({json.dumps(selector)}).click()")

    def shot(self, path: Path) -> Path:
        """The viewport as a PNG at `path`."""
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path


def parse_size(text: str) -> tuple[int, int]:
    width, _x, height = text.lower().partition("x")
    return int(width), int(height)


def default_name(url: str) -> str:
    path = urlsplit(url).path.strip("/").replace("/", "-")
    return path or "index"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="+", metavar="URL")
    parser.add_argument("--size", action="append", type=parse_size, metavar="WxH")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--name", help="the files' name before -WxH (one URL only)")
    parser.add_argument("--wait-for", metavar="CSS", help="wait until this element exists")
    parser.add_argument("--click", action="append", default=[], metavar="CSS")
    args = parser.parse_args(argv)
    if args.name and len(args.urls) > 1:
        parser.error("--name takes one URL")
    sizes = args.size or [(1280, 800), (390, 844)]
    with Browser() as browser:
        for url in args.urls:
            for width, height in sizes:
                with browser.tab(width, height) as tab:
                    tab.go(url)
                    if args.wait_for:
                        tab.wait_for(f"document.querySelector({json.dumps(args.wait_for)})")
                    for selector in args.click:
                        tab.click(selector)
                        time.sleep(0.3)
                    name = args.name or default_name(url)
                    print(tab.shot(args.out / f"{name}-{width}x{height}.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
