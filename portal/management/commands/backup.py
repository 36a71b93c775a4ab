"""manage.py backup PATH: every app's data and the uploaded files in one .tar.gz archive.

The data is Django's own JSON dump (dumpdata) with natural keys for content types and permissions,
so the archive loads into an empty database of either engine (SQLite or PostgreSQL) with the same
migrations applied. The archive holds:

    manifest.json            format, time, engine, row count per model
    data.json                the dump
    media/...                MEDIA_ROOT (photos, evidence, import files, rendered reports)
    private/...              EVALUATION_SLIPS_ROOT (code sheets kept outside MEDIA_ROOT)

Restore it with ``manage.py restore PATH``.
"""

import datetime
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone

FORMAT = "xianfeng-backup/1"
FOLDERS = {"media": "MEDIA_ROOT", "private": "EVALUATION_SLIPS_ROOT"}


def backed_up_models():
    """The models whose rows the archive carries: all but what migrate rebuilds (content types,
    permissions) and throw-away state (sessions)."""
    skip_apps = {"contenttypes", "sessions"}
    skip_models = {"auth.permission", "admin.logentry"}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in skip_apps or label in skip_models:
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        yield model


def row_counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in backed_up_models()}


class ExactJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder cuts them to milliseconds, which a restore
    would notice (history order, ``updated_at`` comparisons)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _all_rows():
    """What dumpdata --all writes: every row (also those a default manager hides), models ordered
    so that natural keys resolve on loading."""
    models = serializers.sort_dependencies([(config, None) for config in apps.get_app_configs()], allow_cycles=True)
    wanted = set(backed_up_models())
    for model in models:
        if model in wanted:
            yield from model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)


class Command(BaseCommand):
    help = "备份：把所有数据（dumpdata JSON）和上传文件目录打包为一个 .tar.gz 文件。用 restore 恢复。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件路径，如 backups/xianfeng-20260101.tar.gz")
        parser.add_argument("--force", action="store_true", help="覆盖已有的同名文件。")

    def handle(self, path, force=False, **options):
        target = Path(path)
        if target.exists() and not force:
            raise CommandError(f"{target} 已存在；如需覆盖请加 --force。")
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / "data.json"
            with dump.open("w", encoding="utf-8") as stream:
                serializers.serialize(
                    "json",
                    _all_rows(),
                    stream=stream,
                    use_natural_foreign_keys=True,
                    cls=ExactJSONEncoder,
                    ensure_ascii=False,
                )
            counts = row_counts()
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "engine": connection.vendor,
                "counts": counts,
            }
            partial = target.with_name(target.name + ".part")
            with tarfile.open(partial, "w:gz") as archive:
                info = tarfile.TarInfo("manifest.json")
                body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info.size, info.mtime = len(body), int(timezone.now().timestamp())
                archive.addfile(info, fileobj=io.BytesIO(body))
                archive.add(dump, arcname="data.json")
                for arcname, setting in FOLDERS.items():
                    folder = Path(getattr(settings, setting, "") or "")
                    if folder and folder.is_dir():
                        archive.add(folder, arcname=arcname)
            os.replace(partial, target)
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"已备份 {total} 条记录（{len(counts)} 个模型）及上传文件到 {target}"))
