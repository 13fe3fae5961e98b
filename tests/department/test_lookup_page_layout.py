"""The look-up page's layout for a phone: the answer (the file, or the notice) comes before the
form, and a procedure's code never breaks at its hyphen (looked at in
scripts/screenshot_lookup.py)."""

from __future__ import annotations

from datetime import datetime

from desk_app.department.page import NOT_FOUND, TOO_MANY, render_lookup
from desk_app.department.service import LookupView

VIEW = LookupView(
    code="000.00.20.H37-260302-0007",
    procedure="VHTTDL-DL-04",
    procedure_name="Thu hồi Giấy phép kinh doanh dịch vụ lữ hành nội địa",
    status=4,
    due=datetime(2026, 3, 16, 17, 0),
    settled=None,
    result_ready=False,
    result_by="post",
)


def test_the_file_comes_before_the_form() -> None:
    page = render_lookup(VIEW.code, VIEW)
    assert page.index('id="ket-qua"') < page.index("<form")
    assert '<span class="code">(VHTTDL-DL-04)</span>' in page
    assert ".code {" in page and "white-space: nowrap" in page.split(".code {")[1].split("}")[0]


def test_a_notice_comes_before_the_form_and_the_key_is_never_kept() -> None:
    for notice in (NOT_FOUND, TOO_MANY):
        page = render_lookup(VIEW.code, None, notice)
        assert page.index('id="thong-bao"') < page.index("<form")
        assert 'id="ket-qua"' not in page
        assert '<input id="khoa" name="khoa" maxlength="12"' in page
        assert 'name="khoa" value=' not in page


def test_the_first_visit_shows_the_form_alone() -> None:
    page = render_lookup("", None)
    assert "<form" in page and 'id="thong-bao"' not in page and 'id="ket-qua"' not in page
