"""What the tests of the counter window's neighbours share (the rating tablet, the applicant's
screen, the ticket bar): the officer signed in at a named counter, and the offscreen platform's
warnings when a window is shown, which are not theirs to fail on."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desk_app.ui.context import UiContext

OFFSCREEN_WARNINGS = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$"
)


def at_counter(ctx: UiContext, counter: str) -> UiContext:
    """`ctx` with its officer at `counter` ("Quầy 3")."""
    ctx.actor = replace(ctx.actor, counter=counter)
    return ctx
