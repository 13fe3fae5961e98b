"""Vietnamese for strings not yet in resources/translations/desk_vi.ts, for the screenshot
scripts: a translator that answers from a table of (context, English) and leaves the rest to the
bundled catalogue."""

from __future__ import annotations


def install(app: object, table: dict[tuple[str, str], str]) -> object:
    """Install the translator on `app`; keep what it returns alive while the widgets are built."""
    from PySide6.QtCore import QTranslator

    class Extra(QTranslator):
        def translate(
            self, context: str, source: str, disambiguation: str | None = None, n: int = -1
        ) -> str | None:
            return table.get((context, source))  # None: the bundled translation's

        def isEmpty(self) -> bool:  # noqa: N802 (Qt's name)
            return False

    extra = Extra()
    app.installTranslator(extra)  # type: ignore[attr-defined]
    return extra
