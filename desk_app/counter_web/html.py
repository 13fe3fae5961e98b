"""The shell shared by the counter's LAN pages: one Vietnamese HTML page, large type and buttons
for a finger, no external assets, and headers that keep it out of caches and frames.

Everything a caller puts in a page must already be escaped: `esc` is `html.escape` (quotes
too), and `page` escapes the title itself. Styles are inline (`<style>`); scripts are served
from the app's own routes and named in `scripts`, so the Content-Security-Policy can forbid
inline script altogether.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

LANG = "vi"


def esc(text: object) -> str:
    """`text` made safe for an HTML element or a quoted attribute."""
    return escape(str(text), quote=True)


# Sizes in rem on a 20 px root: a 390-px phone and a 1280-px tablet both read at arm's length.
BASE_STYLE = """
:root { --ink: #1c2430; --muted: #4a5666; --brand: #12355b; --bg: #f4f6f9; --card: #ffffff;
  --line: #9aa8b8; --ok: #1b7f3b; --info: #1f5fa8; --bad: #b3261e; font-size: 20px; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; height: 100%; }
body { font-family: "Segoe UI", "Noto Sans", Roboto, Arial, sans-serif; color: var(--ink);
  background: var(--bg); line-height: 1.35; -webkit-text-size-adjust: 100%;
  touch-action: manipulation; }
main { min-height: 100%; max-width: 64rem; margin: 0 auto; padding: 1.2rem 1rem 2rem;
  display: flex; flex-direction: column; }
h1 { font-size: 1.6rem; color: var(--brand); margin: 0.4rem 0 0.8rem; text-align: center; }
h2 { font-size: 1.25rem; color: var(--brand); margin: 0.6rem 0; text-align: center; }
p { font-size: 1.05rem; margin: 0.5rem 0; }
.muted { color: var(--muted); }
.centre { text-align: center; }
.card { background: var(--card); border: 1px solid #d3dae3; border-radius: 16px;
  padding: 1.2rem; margin: 0.8rem 0; }
label { display: block; font-weight: 600; margin: 0.6rem 0 0.3rem; font-size: 1.05rem; }
input, textarea { width: 100%; font: inherit; font-size: 1.2rem; padding: 0.6rem 0.8rem;
  border: 2px solid var(--line); border-radius: 12px; background: #fff; color: var(--ink); }
input:focus, textarea:focus { outline: 3px solid #7fb0e6; border-color: var(--brand); }
button, .button { display: inline-block; font: inherit; font-size: 1.2rem; font-weight: 700;
  min-height: 3rem; padding: 0.7rem 1.6rem; border-radius: 14px; border: none; cursor: pointer;
  background: var(--brand); color: #fff; text-decoration: none; text-align: center; }
button:disabled { background: #7d8a99; cursor: default; }
button.secondary { background: transparent; color: var(--brand); border: 3px solid var(--brand); }
.error { color: var(--bad); font-weight: 600; }
.notice { padding: 0.8rem 1rem; background: #fff4e5; border: 1px solid #e0b070;
  border-radius: 12px; }
[hidden] { display: none !important; }
"""

# No third-party source, no framing (a page cannot be overlaid on another site), nothing cached.
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # "no-referrer" makes a form's Origin "null"
    "Cache-Control": "no-store",
}


def page(
    title: str,
    body: str,
    *,
    style: str = "",
    scripts: Sequence[str] = (),
    refresh_seconds: int | None = None,
    body_class: str = "",
    data: Mapping[str, str] | None = None,
) -> str:
    """A whole page: `title` (escaped here), `body` (HTML, escaped by the caller) inside
    <main>, extra CSS after the base, script URLs of the app's own, and an optional meta
    refresh (a display that reloads itself without script); `data` becomes the body's
    data-* attributes (values escaped here), for a script to read."""
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{LANG}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="noindex">',
        f"<title>{esc(title)}</title>",
    ]
    if refresh_seconds is not None:
        head.append(f'<meta http-equiv="refresh" content="{int(refresh_seconds)}">')
    head.append(f"<style>{BASE_STYLE}{style}</style>")
    head.extend(f'<script src="{esc(src)}" defer></script>' for src in scripts)
    attrs = f' class="{esc(body_class)}"' if body_class else ""
    attrs += "".join(f' data-{esc(k)}="{esc(v)}"' for k, v in (data or {}).items())
    return "\n".join([*head, f"</head><body{attrs}><main>", body, "</main></body></html>"])
