"""manage.py restore PATH: load an archive made by ``manage.py backup`` into this database.

The database must be migrated and empty (no rows in any app's tables); with --force its data is
flushed first. The uploaded files are unpacked into MEDIA_ROOT (and the code sheets into
EVALUATION_SLIPS_ROOT), replacing what is there with --force. The row count of every model is
compared with the archive's manifest at the end; a difference is an error.
"""

import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from members import headcount
from pledges import tally

from .backup import FOLDERS, FORMAT, row_counts


def _safe_members(archive: tarfile.TarFile, prefix: str):
    for member in archive.getmembers():
        if member.name == prefix or member.name.startswith(prefix + "/"):
            yield member


class Command(BaseCommand):
    help = "恢复：从 backup 生成的 .tar.gz 文件恢复全部数据和上传文件。数据库非空时拒绝执行，除非加 --force。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="backup 生成的备份文件")
        parser.add_argument("--force", action="store_true", help="先清空当前数据库中的数据和上传文件目录再恢复。")

    def handle(self, path, force=False, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"找不到备份文件 {source}。")
        try:
            archive = tarfile.open(source, "r:gz")  # noqa: SIM115 (closed by the with below)
        except (tarfile.TarError, OSError) as error:
            raise CommandError(f"{source} 不是有效的备份文件（{error}）。") from None
        with archive, tempfile.TemporaryDirectory() as work:
            try:
                manifest = json.load(archive.extractfile("manifest.json"))
            except (KeyError, ValueError):
                raise CommandError(f"{source} 不是 backup 生成的备份文件（缺少 manifest.json）。") from None
            if manifest.get("format") != FORMAT:
                raise CommandError(f"不认识的备份格式：{manifest.get('format')}。")
            present = {label: n for label, n in row_counts().items() if n}
            if present and not force:
                raise CommandError(
                    "数据库中已有数据（"
                    + "、".join(f"{label} {n} 条" for label, n in list(present.items())[:5])
                    + "），拒绝覆盖。确需恢复请加 --force（会先清空现有数据）。"
                )
            archive.extract("data.json", work, filter="data")
            with transaction.atomic():
                if present:
                    call_command("flush", interactive=False, verbosity=0)
                    ContentType.objects.clear_cache()  # flush rebuilt them under new ids
                call_command("loaddata", str(Path(work) / "data.json"), verbosity=0)
                counts = row_counts()
                wrong = {
                    label: (expected, counts.get(label, 0))
                    for label, expected in manifest["counts"].items()
                    if counts.get(label, 0) != expected
                }
                if wrong:
                    raise CommandError(f"恢复后的记录数与备份不符：{wrong}")
                # loaddata sends raw saves, which the member counts ignore: recount from the restored roster.
                headcount.rebuild_all()
                tally.rebuild_all()
            for arcname, setting in FOLDERS.items():
                folder = getattr(settings, setting, None)
                members = list(_safe_members(archive, arcname))
                if not folder or not members:
                    continue
                folder = Path(folder)
                if force and folder.is_dir():
                    shutil.rmtree(folder)
                unpacked = Path(work) / "files"
                # The "data" filter refuses absolute paths, links out of the folder and device files.
                archive.extractall(unpacked, members=members, filter="data")
                shutil.copytree(unpacked / arcname, folder, dirs_exist_ok=True)
        total = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(f"已从 {source} 恢复 {total} 条记录及上传文件。"))
