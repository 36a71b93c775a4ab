"""Builders for roster files as real hands make them: title rows, aliases, GBK, Excel cells."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests.factories import make_id_number

ROSTER_HEADER = ["序号", "姓名", "性别", "身份证号", "人员类别", "入党时间", "手机"]


def xlsx_bytes(rows, *, title_rows=(), sheet_title="花名册") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in title_rows:
        sheet.append(list(row))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, *, encoding="utf-8") -> bytes:
    lines = [",".join("" if c is None else str(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(data: bytes, name="花名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture(autouse=True)
def english(settings, tmp_path):
    """Messages are asserted in the source language; one test checks the Chinese on its own."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = str(tmp_path / "media")  # each test sees only its own uploads
    with translation.override("en"):
        yield


@pytest.fixture
def ids():
    """ids(n) -> n fresh valid ID numbers (born 1985-03-01, men)."""

    def _ids(n, birth=date(1985, 3, 1), female=False):
        return [make_id_number(birth, female=female) for _ in range(n)]

    return _ids


@pytest.fixture
def check(world):
    """check(rows, ...) -> the batch after upload and preview (nothing written yet)."""
    from imports.services import batch_start_preview, batch_upload

    def _check(rows, *, by=None, target=None, kind="roster", name="花名册.xlsx", title_rows=(), data=None):
        by = by or world.users.staff_jy
        target = target or world.jy
        if data is None:
            data = xlsx_bytes(rows, title_rows=title_rows)
        batch = batch_upload(kind=kind, upload=upload(data, name), target_org=target, by=by)
        batch_start_preview(batch=batch)
        batch.refresh_from_db()
        return batch

    return _check


@pytest.fixture
def confirm():
    from imports.services import batch_confirm

    def _confirm(batch, *, skip_errors=False):
        batch_confirm(batch=batch, skip_errors=skip_errors, by=batch.uploaded_by)
        batch.refresh_from_db()
        return batch

    return _confirm


def by_row(batch) -> dict[int, dict]:
    return {r["row"]: r for r in batch.report}
