"""`db copy` moves a solo desk's scanned pages from its folder into the centre's page_blobs,
each checked; a damaged page stops the copy with its file's code and nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from desk_app.services import digitise
from desk_app.services.context import Actor
from desk_app.store.copy import CopyError, copy_register
from desk_app.store.engine import Database
from desk_app.store.models import FileRecord, PageBlob
from desk_app.store.pages import FolderStore, damaged_pages, pages_folder, sha256_of
from tests.e2e.test_db_copy import NOW, centre, solo
from tests.unit.services.test_digitise import picture

__all__ = ["centre", "solo"]  # the fixtures, used by name


def _scan(solo: Database, officer: Actor) -> str:
    with solo.reader.begin() as s:
        code = str(s.scalar(select(FileRecord.code).where(FileRecord.demo.is_(False))))
    with solo.writer.begin() as s:
        digitise.attach(s, code, [(picture("PNG"), "a"), (picture("JPEG"), "b")], officer, NOW)
    return code


def test_the_pages_move_into_the_centre_and_check(
    solo: Database, centre: Database, officer: Actor
) -> None:
    code = _scan(solo, officer)
    copy_register(solo, centre)
    with centre.reader.begin() as s:
        assert s.scalar(select(func.count()).select_from(PageBlob)) == 2
        assert damaged_pages(s) == []
        pages = digitise.file_lines(s, code)[0].pages
        assert digitise.page_bytes(s, pages[1].sha256) == picture("JPEG")
    assert copy_register(solo, centre).already_there  # a second run only checks


def test_a_lost_page_stops_the_copy(solo: Database, centre: Database, officer: Actor) -> None:
    code = _scan(solo, officer)
    assert solo.path is not None
    FolderStore(pages_folder(solo.path)).path_of(sha256_of(picture("PNG"))).unlink()
    with pytest.raises(CopyError, match=f"Hồ sơ {code}, giấy tờ thứ 1, trang 1: mất"):
        copy_register(solo, centre)
    with centre.reader.begin() as s:
        assert s.scalar(select(func.count()).select_from(FileRecord)) == 0
