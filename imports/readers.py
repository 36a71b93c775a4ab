"""Reading an uploaded roster into rows of cells, wherever the table sits in the file.

XLSX/XLS go through python-calamine (an order of magnitude faster than openpyxl); CSV is decoded
as UTF-8 (with or without BOM) or else GB18030, which covers GBK files saved by Excel on Chinese
Windows. The header row is found below any title rows by matching known column names, blank rows
are dropped, and every row keeps its number in the file so messages point at what the user sees.
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

ALLOWED_EXTENSIONS = (".xlsx", ".xls", ".csv")
HEADER_SEARCH_ROWS = 30
MAX_ROWS = getattr(settings, "IMPORT_MAX_ROWS", 100_000)
# An .xlsx is a zip: a few kilobytes of sheet XML can unpack into gigabytes (a zip bomb). Real
# rosters unpack to well under this and compress XML about 5-30 times.
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024
MAX_ZIP_RATIO = 200


class UnreadableFile(ValueError):
    """The upload cannot be read as a roster; the message says why, in the user's language."""


@dataclass(frozen=True)
class Column:
    key: str  # the resource field's column name
    label: str | Promise  # the header we write, in the user's language
    aliases: tuple[str, ...] = ()  # the headers real rosters use
    required: bool = False
    help: str | Promise = ""

    def header_names(self) -> set[str]:
        return {normalize_header(self.label), *(normalize_header(a) for a in self.aliases)}


@dataclass
class Table:
    keys: list[str]  # column keys, in file order
    rows: list[tuple[int, list]]  # (row number in the file, cells aligned with keys)
    header_row: int
    sheet: str = ""
    ignored_headers: list[str] = field(default_factory=list)

    def __len__(self):
        return len(self.rows)


_HINT = re.compile(r"\(.*?\)|\[.*?\]")


def normalize_header(value) -> str:
    """公民身份号码（必填）, ' 手机 ', '*姓名' all reduce to the bare name."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = _HINT.sub("", text)
    return "".join(ch for ch in text if not ch.isspace() and ch not in "*:：").lower()


def _decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        _("The CSV file is neither UTF-8 nor GBK text. Save it from Excel as “CSV UTF-8” and try again.")
    )


def _csv_sheets(data: bytes) -> list[tuple[str, list[list]]]:
    text = _decode_csv(data)
    if "\x00" in text:
        raise UnreadableFile(_("The CSV file contains binary data; it is not a text table."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [("", list(csv.reader(io.StringIO(text), dialect)))]


def _refuse_zip_bomb(data: bytes) -> None:
    """Judge the archive by its directory (declared sizes) before anything is decompressed."""
    limit = getattr(settings, "IMPORT_MAX_UNZIPPED_BYTES", MAX_UNZIPPED_BYTES)
    ratio = getattr(settings, "IMPORT_MAX_ZIP_RATIO", MAX_ZIP_RATIO)
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile(
            _("The file is not a real Excel workbook (.xlsx). Open it in Excel and save it again.")
        ) from None
    total = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries)
    if total > limit or total > ratio * max(compressed, 1024):
        raise UnreadableFile(
            _("The workbook unpacks to %(size)d MB, far more than a roster holds; it is refused as unsafe.")
            % {"size": total // (1024 * 1024)}
        )


def _workbook_sheets(data: bytes, extension: str) -> list[tuple[str, list[list]]]:
    if extension == ".xlsx" and not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableFile(_("The file is not a real Excel workbook (.xlsx). Open it in Excel and save it again."))
    if extension == ".xlsx":
        _refuse_zip_bomb(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for index, name in enumerate(workbook.sheet_names):
            sheet = workbook.get_sheet_by_index(index)
            # Keep leading empty rows and columns so row numbers match what Excel shows.
            sheets.append((name, sheet.to_python(skip_empty_area=False)))
        return sheets
    except (CalamineError, ValueError, OSError) as error:
        raise UnreadableFile(
            _("The Excel file cannot be read (%(error)s). Open it in Excel and save it again.") % {"error": error}
        ) from None


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _locate_header(rows: list[list], columns: list[Column]) -> tuple[int, dict[int, str], list[str]] | None:
    """The first row naming at least two known columns: (index, {cell index: key}, ignored headers)."""
    names = {}
    for column in columns:
        for name in column.header_names():
            names.setdefault(name, column.key)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[int, str] = {}
        ignored = []
        for position, cell in enumerate(row):
            name = normalize_header(cell)
            if not name:
                continue
            key = names.get(name)
            if key and key not in found.values():
                found[position] = key
            else:
                ignored.append(str(cell).strip())
        if len(found) >= 2:
            return index, found, ignored
    return None


def read_table(data: bytes, filename: str, columns: list[Column]) -> Table:
    """The roster table in an uploaded file; UnreadableFile with a clear reason if there is none."""
    extension = Path(filename).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise UnreadableFile(
            _("Files of type “%(ext)s” cannot be imported; upload an Excel workbook (.xlsx, .xls) or a CSV file.")
            % {"ext": extension or filename}
        )
    if not data:
        raise UnreadableFile(_("The file is empty."))
    sheets = _csv_sheets(data) if extension == ".csv" else _workbook_sheets(data, extension)
    for sheet_name, rows in sheets:
        located = _locate_header(rows, columns)
        if located is None:
            continue
        header_index, positions, ignored = located
        missing = [c for c in columns if c.required and c.key not in positions.values()]
        if missing:
            raise UnreadableFile(
                _("The table has no column for %(columns)s; add it with that header.")
                % {"columns": "、".join(f"“{c.label}”" for c in missing)}
            )
        table = Table(
            keys=list(positions.values()),
            rows=[],
            header_row=header_index + 1,
            sheet=sheet_name,
            ignored_headers=ignored,
        )
        for index in range(header_index + 1, len(rows)):
            row = rows[index]
            cells = [row[p] if p < len(row) else None for p in positions]
            if all(_blank(c) for c in cells):
                continue
            table.rows.append((index + 1, cells))
            if len(table.rows) > MAX_ROWS:
                raise UnreadableFile(
                    _("The file has more than %(max)d rows; split it into smaller files.") % {"max": MAX_ROWS}
                )
        if not table.rows:
            raise UnreadableFile(_("The table has a header row but no data rows."))
        return table
    expected = "、".join(f"“{c.label}”" for c in columns if c.required)
    raise UnreadableFile(
        _("No header row was found in the first %(n)d rows. The table needs column headers such as %(columns)s.")
        % {"n": HEADER_SEARCH_ROWS, "columns": expected}
    )
