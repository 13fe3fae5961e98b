"""The command line speaks Vietnamese like the window; English with `--lang en`, DESK_LANG=en or
the window's language chosen on the machine. Real commands on a real desk, the clock pinned."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from desk_app.cli import lang
from desk_app.cli.app import run
from desk_app.domain.workflow import STATUS_LABELS, STATUS_LABELS_EN
from tests.cli_runner import run_main

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-03-10T10:00"
PASSWORD = "matkhau-rat-kho"
ENGLISH = ("usage:", "error:", "the following arguments", "invalid choice", "options:")
# Letters only Vietnamese writes: English output holds none outside the register's own data.
VIETNAMESE = set("ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđơưăâêô")


def _vietnamese(text: str) -> bool:
    return any(ch in VIETNAMESE for ch in text.lower())


def _env(config: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != lang.VARIABLE}
    env.update(
        XDG_CONFIG_HOME=str(config),  # the machine's window settings: none unless a test writes
        DESK_TEST_NOW=NOW,
        DESK_USER="admin",
        DESK_PASSWORD=PASSWORD,
        **extra,
    )
    return env


def _main(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return run_main(args, env, stdin)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A desk set up by `init` and filled by `demo` as of NOW."""
    folder = tmp_path_factory.mktemp("lang")
    env = _env(folder / "config")
    db = folder / "desk.sqlite3"
    made = _main(
        env,
        *("--db", str(db), "init", "--agency-id", "000.00.20.H37"),
        *("--agency-name", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "--place", "Lạng Sơn"),
        *("--admin", "admin"),
        stdin=PASSWORD + "\n",
    )
    assert made.returncode == 0, made.stderr
    assert "Đã tạo quản trị viên “admin”." in made.stdout
    demo = _main(env, "--db", str(db), "demo", "--files", "24", "--now", NOW)
    assert demo.returncode == 0, demo.stderr
    return db, env


def _both(
    desk: tuple[Path, dict[str, str]], *args: str
) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    db, env = desk
    return _main(env, "--db", str(db), *args), _main(env, "--lang", "en", "--db", str(db), *args)


def test_files_list_names_statuses_and_queue_in_the_language(
    desk: tuple[Path, dict[str, str]],
) -> None:
    vi, en = _both(desk, "files", "list", "--queue", "all", "--limit", "100")
    assert vi.returncode == en.returncode == 0, vi.stderr + en.stderr
    assert re.fullmatch(r"24/24 hồ sơ \(Tất cả\)\.", vi.stdout.splitlines()[-1])
    assert re.fullmatch(r"24/24 files \(All\)\.", en.stdout.splitlines()[-1])
    vi_rows, en_rows = vi.stdout.splitlines()[:-1], en.stdout.splitlines()[:-1]
    assert len(vi_rows) == len(en_rows) == 24
    for vi_row, en_row in zip(vi_rows, en_rows, strict=True):
        code = vi_row.split()[0]
        assert en_row.split()[0] == code
        vi_status = next(s for s in STATUS_LABELS if f" {STATUS_LABELS[s]} " in vi_row)
        assert f" {STATUS_LABELS_EN[vi_status]} " in en_row, (vi_row, en_row)
        assert STATUS_LABELS[vi_status] not in en_row
    assert "Accepted" in en.stdout and "Được tiếp nhận" in vi.stdout
    vi, en = _both(desk, "files", "list", "--queue", "overdue")
    assert vi.stdout.splitlines()[-1].endswith("hồ sơ (Quá hạn).")
    assert en.stdout.splitlines()[-1].endswith("files (Overdue).")


def test_json_is_the_same_whatever_the_language(desk: tuple[Path, dict[str, str]]) -> None:
    vi, en = _both(desk, "files", "list", "--queue", "all", "--json")
    assert vi.returncode == 0 and vi.stdout == en.stdout
    keys = set(json.loads(en.stdout)[0])
    assert {"code", "status", "status_label", "due"} <= keys
    code = json.loads(vi.stdout)[0]["code"]
    vi, en = _both(desk, "files", "show", code, "--json")
    assert vi.stdout == en.stdout and json.loads(en.stdout)["code"] == code


def test_files_show_in_both_languages(desk: tuple[Path, dict[str, str]]) -> None:
    db, env = desk
    code = json.loads(_main(env, "--db", str(db), "files", "list", "--json").stdout)[0]["code"]
    vi, en = _both(desk, "files", "show", code)
    assert vi.stdout.startswith(f"Mã hồ sơ:            {code}\nTrạng thái:")
    assert en.stdout.startswith(f"File code:           {code}\nStatus:")
    assert "Quá trình:\n" in vi.stdout and "  Tiếp nhận hồ sơ" in vi.stdout
    assert "History:\n" in en.stdout and "  File accepted" in en.stdout


def test_an_error_and_due_in_both_languages(desk: tuple[Path, dict[str, str]]) -> None:
    due = ("due", "--received", "2026-03-02T09:15", "--unit", "working_days")
    vi, en = _both(desk, *due, "--duration", "x")
    assert vi.returncode == en.returncode == 2
    assert vi.stderr == "Lỗi: Thời hạn “x” phải là một số.\n"
    assert en.stderr == "error: Duration “x” must be a number.\n"
    # The due moment itself is for scripts: the same text in both.
    vi, en = _both(desk, *due, "--duration", "3")
    assert vi.stdout == en.stdout == "2026-03-05T09:15\n"
    vi, en = _both(desk, "due", "--help")
    assert vi.stdout.startswith("Cách dùng: main.py due")
    assert "thời điểm tiếp nhận YYYY-MM-DDTHH:MM" in vi.stdout
    assert en.stdout.startswith("usage: main.py due")
    assert "moment of intake YYYY-MM-DDTHH:MM" in en.stdout and not _vietnamese(en.stdout)


def test_a_confirmation_and_a_refused_sign_in_in_both_languages(
    desk: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    db, env = desk
    # Two folders: both backups may be named after the same second.
    (tmp_path / "vi").mkdir()
    (tmp_path / "en").mkdir()
    vi = _main(env, "--db", str(db), "backup", f"{tmp_path}/vi/")
    en = _main(env, "--lang", "en", "--db", str(db), "backup", f"{tmp_path}/en/")
    assert vi.returncode == en.returncode == 0, vi.stderr + en.stderr
    assert vi.stdout.startswith(f"Đã sao lưu và kiểm tra: {tmp_path}/vi/")
    assert en.stdout.startswith(f"Backed up and checked: {tmp_path}/en/")
    officer = {**env, "DESK_USER": "", "DESK_PASSWORD": ""}
    vi = _main(officer, "--db", str(db), "calendar", "clear", "2026-03-11")
    en = _main(officer, "--db", str(db), "--lang", "en", "calendar", "clear", "2026-03-11")
    assert vi.stderr.startswith("Lỗi: Lệnh này thay đổi dữ liệu nên cần đăng nhập")
    assert en.stderr.startswith("error: This command changes data, so it needs a sign-in")


def test_help_in_both_languages(desk: tuple[Path, dict[str, str]]) -> None:
    _, env = desk
    vi, en = _main(env, "--help"), _main(env, "--lang", "en", "--help")
    assert vi.stdout.startswith("Cách dùng: main.py")
    assert "Bộ phận Một cửa: dòng lệnh quản trị" in vi.stdout and "<lệnh>" in vi.stdout
    assert "danh sách" not in en.stdout and "options:" in en.stdout
    assert en.stdout.startswith("usage: main.py")
    assert "One-stop desk: the administrator's command line" in en.stdout
    assert "<command>" in en.stdout and not _vietnamese(en.stdout)
    vi, en = _main(env, "files", "list", "--help"), _main(env, "--lang=en", "files", "list", "-h")
    assert "hàng đợi: open = Đang giải quyết, overdue = Quá hạn" in vi.stdout
    assert "queue: open = Open, overdue = Overdue" in en.stdout and not _vietnamese(en.stdout)


def test_the_window_language_of_the_machine(
    desk: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The language chosen in the window's Settings (written by Qt) is the command line's
    too; DESK_LANG and --lang still win."""
    from desk_app.ui.prefs import Prefs, default_prefs_path

    db, env = desk
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert lang.machine_settings_path() == default_prefs_path()
    assert lang.machine_language() is None
    prefs = Prefs()
    prefs.language = "en"
    prefs.sync()
    assert lang.machine_language() == "en"
    machine = {**env, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    listed = _main(machine, "--db", str(db), "files", "list", "--queue", "paused")
    assert listed.stdout.splitlines()[-1].endswith("files (Paused).")
    listed = _main({**machine, "DESK_LANG": "vi"}, "--db", str(db), "files", "list")
    assert listed.stdout.splitlines()[-1].endswith("hồ sơ (Đang giải quyết).")
    listed = _main(machine, "--lang", "vi", "--db", str(db), "files", "list")
    assert listed.stdout.splitlines()[-1].endswith("hồ sơ (Đang giải quyết).")
    prefs.language = "vi"
    prefs.sync()
    listed = _main({**machine, "DESK_LANG": "en"}, "--db", str(db), "files", "list")
    assert listed.stdout.splitlines()[-1].endswith("files (Open).")


def test_an_unreadable_machine_setting_is_vietnamese(tmp_path: Path) -> None:
    broken = tmp_path / "desk.ini"
    broken.write_bytes(b"\xff\xfe[ui\nlanguage=en")
    assert lang.machine_language(broken) is None
    assert lang.choose([], {}, broken) == "vi"
    broken.write_text("[ui]\nlanguage=fr\n", encoding="utf-8")
    assert lang.choose([], {}, broken) == "vi"
    broken.write_text("[ui]\nlanguage=en\n", encoding="utf-8")
    assert lang.choose([], {}, broken) == "en"
    assert lang.choose(["--lang", "vi"], {}, broken) == "vi"
    assert lang.choose([], {"DESK_LANG": "vi"}, broken) == "vi"


# argparse's own words, in the process (run(), as tests/e2e/test_cli.py drives it).


def _exit(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[object, str, str]:
    with pytest.raises(SystemExit) as info:
        run(list(argv))
    out, err = capsys.readouterr()
    return info.value.code, out, err


@pytest.fixture(autouse=True)
def _no_language_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DESK_LANG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))


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


def test_a_command_that_prints_its_help_speaks_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["department"]) == 0
    assert capsys.readouterr().out.startswith("Cách dùng: main.py department")
    assert run(["--lang", "en", "department"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: main.py department") and "<command>" in out


def test_lang_en_and_desk_lang_give_argparse_in_english(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = _exit(capsys, "--lang", "en", "files", "list", "--queue", "x")
    assert code == 2 and err.startswith("usage: main.py files list")
    assert "error: argument --queue: invalid choice: 'x'" in err
    # The next command in the same process is Vietnamese again: nothing stays patched.
    _, _, err = _exit(capsys, "files")
    assert "Lỗi: thiếu tham số bắt buộc" in err
    assert lang.current() == "vi"
    monkeypatch.setenv("DESK_LANG", "en")
    _, out, _ = _exit(capsys, "--help")
    assert "show this help message and exit" in out and "options:" in out
    _, _, err = _exit(capsys, "files")
    assert "error: the following arguments are required: <command>" in err
    # --lang wins over the environment.
    _, _, err = _exit(capsys, "--lang=vi", "files")
    assert "Lỗi: thiếu tham số bắt buộc" in err


def test_version_names_the_program(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _exit(capsys, "--version")
    assert code == 0
    assert out.startswith("Bộ phận Một cửa ") and "main.py" not in out
    code, out, _ = _exit(capsys, "--lang", "en", "--version")
    assert out.startswith("One-stop desk ") and "main.py" not in out
