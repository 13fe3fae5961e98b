"""How the department's answers are sorted: acknowledged, rejected (stops the row) or retried."""

from __future__ import annotations

import httpx
import pytest

from desk_app.sync.client import _judge


@pytest.mark.parametrize(
    ("status", "body", "receipt", "retry", "words"),
    [
        (200, {"receipt_id": "R-7", "state": "stored"}, "R-7", False, None),
        (200, {"state": "stored"}, None, True, "không có số biên nhận"),
        (200, "not json", None, True, "không có số biên nhận"),
        (401, {"detail": "unknown token"}, None, False, "mã truy cập (token)"),
        (403, {"detail": "viewer"}, None, False, "mã truy cập (token)"),
        (409, {"detail": "Ngày 02/03/2026 lần gửi 1 đã nhận"}, None, False, "lần gửi 1 đã nhận"),
        (
            422,
            {"detail": [{"loc": ["body", "rows", 0, "counts"], "msg": "Field required"}]},
            None,
            False,
            "body.rows.0.counts: Field required",
        ),
        (500, {"detail": "boom"}, None, True, "Sở đang gặp lỗi (500)"),
        (503, "", None, True, "Sở đang gặp lỗi (503)"),
        (429, "", None, True, "Sở đang gặp lỗi (429)"),
        (302, "", None, True, "không như mong đợi (302)"),
    ],
)
def test_answers_are_sorted_with_their_reason_in_words(
    status: int, body: object, receipt: str | None, retry: bool, words: str | None
) -> None:
    response = (
        httpx.Response(status, json=body)
        if isinstance(body, dict)
        else httpx.Response(status, text=str(body))
    )
    answer = _judge(response)
    assert answer.receipt_id == receipt
    assert answer.retry is retry
    assert answer.offline is False
    if words is None:
        assert answer.error is None
    else:
        assert answer.error is not None and words in answer.error
