"""The command line speaks Vietnamese like the window; `--lang en` or DESK_LANG=en for argparse's
own words in English."""

from __future__ import annotations

import pytest

from desk_app.cli.app import run

ENGLISH = ("usage:", "error:", "the following arguments", "invalid choice", "options:")


def _exit(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[object, str, str]:
    with pytest.raises(SystemExit) as info:
        run(list(argv))
    out, err = capsys.readouterr()
    return info.value.code, out, err


@pytest.fixture(autouse=True)
def _no_language_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DESK_LANG", raising=False)


def test_argparse_mistakes_are_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _exit(capsys, "files", "list", "--queue", "x")
    assert code == 2
    assert err.startswith("Cách dùng: main.py files list")
    assert "Lỗi: tham số --queue: lựa chọn không hợp lệ: 'x' (chọn một trong 'open'," in err
    code, _, err = _exit(capsys, "files")
    assert code == 2 and "Lỗi: thiếu tham số bắt buộc: <lệnh>" in err
    code, _, err = _exit(capsys, "files", "list", "--limit", "many")
    assert "Lỗi: tham số --limit: giá trị không hợp lệ (int): 'many'" in err
    code, _, err = _exit(capsys, "files", "list", "extra")
    assert "Lỗi: tham số không nhận ra: extra" in err
    assert not any(word in err for word in ENGLISH)


def test_help_is_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _exit(capsys, "--help")
    assert code == 0
    assert out.startswith("Cách dùng: main.py")
    assert "tùy chọn:" in out and "tham số:" in out
    assert "hiện hướng dẫn này rồi thoát" in out
    assert "hiện phiên bản của chương trình rồi thoát" in out
    assert not any(word in out for word in (*ENGLISH, "show this help", "positional"))


def test_lang_en_and_desk_lang_give_argparse_in_english(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = _exit(capsys, "--lang", "en", "files", "list", "--queue", "x")
    assert code == 2 and err.startswith("usage: main.py files list")
    assert "error: argument --queue: invalid choice: 'x'" in err
    # The next command in the same process is Vietnamese again: nothing stays patched.
    _, _, err = _exit(capsys, "files")
    assert "Lỗi: thiếu tham số bắt buộc" in err
    monkeypatch.setenv("DESK_LANG", "en")
    _, out, _ = _exit(capsys, "--help")
    assert "show this help message and exit" in out and "options:" in out
    _, _, err = _exit(capsys, "files")
    assert "error: the following arguments are required: <lệnh>" in err
    # --lang wins over the environment.
    _, _, err = _exit(capsys, "--lang=vi", "files")
    assert "Lỗi: thiếu tham số bắt buộc" in err


def test_version_names_the_program(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _exit(capsys, "--version")
    assert code == 0
    assert out.startswith("Bộ phận Một cửa ") and "main.py" not in out
