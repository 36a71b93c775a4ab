"""Live progress of a code sheet being printed, readable from the web process (imports' pattern:
a small file the worker rewrites atomically, so the page sees it at once on SQLite and PostgreSQL)."""

from pathlib import Path

from django.conf import settings


def _path(batch_id: int) -> Path:
    return Path(settings.EVALUATION_SLIPS_ROOT) / "progress" / f"{batch_id}.txt"


def write(batch_id: int, done: int) -> None:
    path = _path(batch_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(".tmp")
    scratch.write_text(str(done))
    scratch.replace(path)  # atomic: a reader never sees a half-written number


def read(batch_id: int) -> int | None:
    try:
        return int(_path(batch_id).read_text())
    except (OSError, ValueError):
        return None


def clear(batch_id: int) -> None:
    _path(batch_id).unlink(missing_ok=True)
