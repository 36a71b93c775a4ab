"""Live progress of a running preview or import, readable from another process.

The confirmed import runs inside one transaction, so a progress counter written to the database
would stay invisible to the page until the very end (and on SQLite would wait for the write lock).
A small file beside the uploads is seen at once by the web process, wherever the worker runs.
"""

from pathlib import Path

from django.conf import settings


def _path(batch_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "progress" / f"{batch_id}.txt"


def write(batch_id: int, rows_done: int) -> None:
    path = _path(batch_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(".tmp")
    scratch.write_text(str(rows_done))
    scratch.replace(path)  # atomic: a reader never sees a half-written number


def read(batch_id: int) -> int | None:
    try:
        return int(_path(batch_id).read_text())
    except (OSError, ValueError):
        return None


def clear(batch_id: int) -> None:
    _path(batch_id).unlink(missing_ok=True)
