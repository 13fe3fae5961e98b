"""The command line says everything through its one catalogue (desk_app.cli.lang.tr): no text a
user reads is printed, asked or raised around it, and every text has its English."""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk_app.cli.catalogue_en import ENGLISH
from desk_app.domain.workflow import ACTION_LABELS_EN, STATUS_LABELS_EN, Action, Status
from desk_app.services.post import OUTCOME_LABELS, OUTCOME_LABELS_EN
from desk_app.services.printing import SLIP_LABELS_EN, SlipKind
from desk_app.services.queries import QUEUE_LABELS_EN, Queue
from desk_app.services.records import CUSTOM_EVENT_LABELS, CUSTOM_EVENT_LABELS_EN

CLI = Path(__file__).resolve().parents[2] / "desk_app" / "cli"
# The catalogue machinery itself (argparse's Vietnamese words live in lang.py).
MACHINERY = {"lang.py", "catalogue_en.py"}
# Calls whose every text argument reaches the user.
SPEAKING_CALLS = {"print", "input", "getpass", "_ask"}
# Keyword arguments of argparse that reach the user (`--help`, `--version`, usage lines).
SPEAKING_KEYWORDS = {"help", "description", "metavar", "version", "epilog", "usage"}
# Module constants that are data, not speech: stored in the database or compared, never shown
# as the command's own words.
DATA_CONSTANTS = {"ADMIN_NAME", "YES_ANSWERS"}
# Calls that translate what they are given: tr, and argparse's own words in lang.py.
TRANSLATING = {"tr", "argparse_gettext"}


def _sources() -> Iterator[tuple[str, str]]:
    for path in sorted(CLI.glob("*.py")):
        if path.name not in MACHINERY:
            yield path.name, path.read_text(encoding="utf-8")


def _is_tr(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr"


def _translates(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and _name(node.func) in TRANSLATING


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_words(text: str) -> bool:
    """Words rather than a placeholder (URL, YYYY-MM-DD) or punctuation: a lower-case letter,
    or any letter outside ASCII."""
    return any(ch.islower() or (ch.isalpha() and not ch.isascii()) for ch in text)


def _vietnamese(text: str) -> bool:
    return any(ch.isalpha() and not ch.isascii() for ch in text)


def _bare_texts(node: ast.AST) -> Iterator[ast.Constant]:
    """Words under `node` that no tr() call wraps. Another call's arguments (a strftime format,
    an encoding) are not said; that call's result is, and is checked where it is built."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and _is_words(node.value):
        yield node
        return
    if isinstance(node, ast.Call):
        yield from _bare_texts(node.func)  # "x".join(...): the "x" is said
        return
    for child in ast.iter_child_nodes(node):
        yield from _bare_texts(child)


def bypasses(source: str) -> list[str]:
    """Texts of `source` a user reads that do not go through tr(): in what is printed, asked
    (input, getpass, _ask) or raised (an ...Error's message), argparse's help, description,
    metavar and version, and any Vietnamese text anywhere outside a docstring."""
    tree = ast.parse(source)
    found: list[str] = []
    docstrings = {
        id(body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and (body := node.body)
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
    }
    data: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in DATA_CONSTANTS for t in node.targets
        ):
            data.update(id(n) for n in ast.walk(node.value))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _translates(node):
            continue
        name = _name(node.func)
        checked: list[ast.AST] = []
        if name in SPEAKING_CALLS:
            checked += [*node.args, *(k.value for k in node.keywords if k.arg != "file")]
        elif name.endswith("Error"):
            checked += node.args  # code= and field= are machine names
        checked += [k.value for k in node.keywords if k.arg in SPEAKING_KEYWORDS]
        for arg in checked:
            found += [f"line {c.lineno}: {c.value!r}" for c in _bare_texts(arg)]
    # Vietnamese outside tr() and docstrings: a text someone will print sooner or later.
    wrapped = {
        id(n.args[0])
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and _translates(n) and n.args
    }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _vietnamese(node.value)
            and id(node) not in wrapped | docstrings | data
        ):
            found.append(f"line {node.lineno}: {node.value!r}")
    return sorted(set(found))


def _msgids() -> Iterator[tuple[str, int, str]]:
    for name, source in _sources():
        for node in ast.walk(ast.parse(source)):
            if _is_tr(node):
                assert isinstance(node, ast.Call)
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    yield name, node.lineno, first.value
                else:
                    yield name, node.lineno, ""  # not a literal: reported below


def _fields(text: str) -> list[str]:
    return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f is not None)


def test_no_user_text_bypasses_the_catalogue() -> None:
    found = {name: bypasses(source) for name, source in _sources()}
    assert {name: lines for name, lines in found.items() if lines} == {}


@pytest.mark.parametrize(
    "source",
    [
        'print("Đã xong.")',
        'print(f"Đã in {n} hồ sơ")',
        'sys.stderr.write("x") or print("done", file=sys.stderr)',
        'raise ValidationError(f"{what} sai.")',
        'p.add_argument("--x", help="số hồ sơ")',
        'p.add_argument("--x", help=tr("số hồ sơ") + " (mặc định 5)")',
        'sub.add_subparsers(dest="c", metavar="<command>")',
        'answer = input("Tên: ")',
        'LABEL = "Hẹn trả"',
        'print(" và ".join(names))',
        'print(f"{n} hồ sơ".upper())',
    ],
)
def test_the_bypass_check_catches_each_way_around(source: str) -> None:
    assert bypasses(source), source


def test_the_bypass_check_lets_catalogued_and_machine_text_pass() -> None:
    source = """
print(tr("Đã in {n} hồ sơ", n=n))
print(f"{code:<26} {moment(due) or '-':<16}")
print(NO_DUE if due is None else moment(due))
raise ValidationError(tr("Sai."), code="invalid", field="timeout")
p.add_argument("--queue", choices=["open", "all"], default="open", help=tr("hàng đợi"))
print(json.dumps(data, ensure_ascii=False, indent=2), file=sys.stderr)
"""
    assert bypasses(source) == []


def test_every_text_is_a_literal_with_its_english() -> None:
    used = list(_msgids())
    assert [(name, line) for name, line, text in used if not text] == []
    missing = sorted({text for _, _, text in used} - ENGLISH.keys())
    assert missing == []
    unused = sorted(ENGLISH.keys() - {text for _, _, text in used})
    assert unused == []


def test_english_keeps_the_places_of_its_source() -> None:
    wrong = {vi: en for vi, en in ENGLISH.items() if _fields(vi) != _fields(en)}
    assert wrong == {}
    # The texts that end in a space (prompts, a fragment joined to another) keep it.
    assert [vi for vi, en in ENGLISH.items() if vi.endswith(" ") != en.endswith(" ")] == []
    assert [vi for vi, en in ENGLISH.items() if en.isascii() is False and vi == en] == []


def test_names_kept_elsewhere_have_english_for_every_member() -> None:
    assert set(STATUS_LABELS_EN) == set(Status)
    assert set(ACTION_LABELS_EN) == set(Action)
    assert set(QUEUE_LABELS_EN) == set(Queue)
    assert set(SLIP_LABELS_EN) == set(SlipKind)
    assert set(OUTCOME_LABELS_EN) == set(OUTCOME_LABELS)
    assert set(CUSTOM_EVENT_LABELS_EN) == set(CUSTOM_EVENT_LABELS)
    tables: list[dict[str, str]] = [
        {str(k): v for k, v in STATUS_LABELS_EN.items()},
        {str(k): v for k, v in QUEUE_LABELS_EN.items()},
        {str(k): v for k, v in ACTION_LABELS_EN.items()},
        {str(k): v for k, v in SLIP_LABELS_EN.items()},
        OUTCOME_LABELS_EN,
        CUSTOM_EVENT_LABELS_EN,
    ]
    for table in tables:
        assert all(text.isascii() and text.strip() for text in table.values()), table
        assert len(set(table.values())) == len(table), table  # no two names alike
