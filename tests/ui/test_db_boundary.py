"""Issue 13: the window runs database work one way, through DbOps (desk_app/ui/dbops.py).

A static check over the sources of desk_app/ui: no module but the runner opens a session
(`.reader`/`.writer`, `sessionmaker`, `Session(...)`, an engine or sqlite3), hands the database
object to other code (`ctx.db` is only read for its `.path`), or announces a change on the bus.
"""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "desk_app" / "ui"
RUNNER = {"dbops.py", "bus.py", "context.py"}  # the runner, its bus, the context that holds them

# Lines that hand the database on, and why that is not the GUI thread working with it.
EXEMPT = {
    ("sync_controller.py", "run_agencies("): "the sync pass runs on its own thread and "
    "connection while it waits on the network, so it does not hold the window's one worker",
    ("mail_controller.py", "send_queued("): "the e-mail pass, like the sync pass, runs on its "
    "own thread and connections while it waits on the SMTP server",
    ("rating_tablet.py", "self.ctx.db"): "the tablet's rating page is served by uvicorn on "
    "its own thread, with its own connections, as the sync and e-mail passes are",
}

# What the window may read of the database object: where it is, not a way into it.
_DESCRIBE = {"path", "label", "is_server", "local_dir"}

# Not moved yet (the report of issue 13 says why); the list may only shrink.
NOT_YET: dict[str, str] = {}


def violations(source: str, name: str = "") -> list[str]:
    """What in `source` works with the database outside the runner, as 'line: what'."""
    tree = ast.parse(source)
    lines = source.splitlines()
    orm_session = any(
        isinstance(n, ast.ImportFrom)
        and (n.module or "").startswith("sqlalchemy")
        and any(a.name == "Session" for a in n.names)
        for n in ast.walk(tree)
    )
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    found: list[str] = []

    def say(node: ast.AST, what: str) -> None:
        line = getattr(node, "lineno", 0)
        text = " ".join(lines[max(0, line - 3) : line])  # the call may open a line or two above
        if not any(m == name and part in text for m, part in EXEMPT):
            found.append(f"{line}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            from_csv = isinstance(node.value, ast.Name) and node.value.id == "csv"
            if node.attr in ("reader", "writer", "engine") and not from_csv:
                say(node, f"opens a session (.{node.attr})")
            elif node.attr == "announce":
                say(node, "announces a change by hand")
            elif node.attr in ("db", "_db"):
                parent = parents.get(node)
                if not (isinstance(parent, ast.Attribute) and parent.attr in _DESCRIBE):
                    say(node, f"reaches the database object (.{node.attr})")
        elif isinstance(node, ast.Name) and node.id in ("sessionmaker", "create_engine"):
            say(node, f"uses {node.id}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "Session" and orm_session:
                say(node, "builds a Session")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names]
            module = node.module if isinstance(node, ast.ImportFrom) else None
            if module == "sqlite3" or "sqlite3" in names:
                say(node, "imports sqlite3")
            if (
                module is not None
                and module.startswith("sqlalchemy")
                and module != "sqlalchemy.exc"
            ):
                for imported in names:
                    if imported != "Session":  # the type of a job's argument
                        say(node, f"imports {module}.{imported}")
    return found


def test_no_widget_module_works_with_the_database_outside_the_runner() -> None:
    report: dict[str, list[str]] = {}
    for path in sorted(UI.rglob("*.py")):
        name = str(path.relative_to(UI))
        if name in RUNNER or name in NOT_YET:
            continue
        found = violations(path.read_text(encoding="utf-8"), name)
        if found:
            report[name] = found
    assert report == {}


def test_the_modules_not_yet_moved_still_need_it() -> None:
    for name in NOT_YET:
        source = (UI / name).read_text(encoding="utf-8")
        assert violations(source, name), f"{name}: drop it from NOT_YET"


def test_the_check_sees_each_way_round_the_runner() -> None:
    caught = violations(
        "from sqlalchemy.orm import Session, sessionmaker\n"
        "import sqlite3\n"
        "def f(ctx, db):\n"
        "    with ctx.db.reader.begin() as s: pass\n"
        "    with db.writer.begin() as s: pass\n"
        "    Session(bind=ctx.db.engine)\n"
        "    ctx.bus.announce(None)\n"
        "    run_pass(self._db)\n"
        "    ok = ctx.db.path\n"
    )
    assert sorted(caught, key=lambda c: (int(c.split(":")[0]), c)) == [
        "1: imports sqlalchemy.orm.sessionmaker",
        "2: imports sqlite3",
        "4: opens a session (.reader)",
        "4: reaches the database object (.db)",
        "5: opens a session (.writer)",
        "6: builds a Session",
        "6: opens a session (.engine)",
        "6: reaches the database object (.db)",
        "7: announces a change by hand",
        "8: reaches the database object (._db)",
    ]
