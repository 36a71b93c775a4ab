"""Code sheets: request one (a row and a task), and make it (codes, PDF, then the codes' hashes).

The plaintext codes live only in the worker's memory and in the PDF; the database gets their keyed
hashes, and only once the PDF exists, so a failed print leaves no code nobody can read.
"""

import logging
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import services as audit
from branches.access import can_manage_org

from .. import codes, progress, slips
from ..models import Code, RoundState, SlipBatch

MAX_SLIPS = 3000
logger = logging.getLogger(__name__)


def slips_dir() -> Path:
    return Path(settings.EVALUATION_SLIPS_ROOT)


@transaction.atomic
def slip_batch_request(*, round, target_org, count: int, site_url: str, by) -> SlipBatch:
    """Queue a sheet of ``count`` slips; ``target_org`` None lets each respondent pick the org."""
    if not can_manage_org(by, round.owner):
        raise ValidationError(_("You may not run evaluations for this organization."))
    if round.state() == RoundState.CLOSED:
        raise ValidationError(_("This round has closed; codes for it would never work."))
    if not 1 <= count <= MAX_SLIPS:
        raise ValidationError(_("Print between 1 and %(max)d slips at a time.") % {"max": MAX_SLIPS})
    if target_org is not None and not round.targets.filter(pk=target_org.pk).exists():
        raise ValidationError(_("%(org)s is not evaluated in this round.") % {"org": target_org.name})
    batch = SlipBatch.objects.create(
        round=round, target_org=target_org, count=count, site_url=site_url.rstrip("/"), created_by=by
    )
    audit.record_create(batch, actor=by, note=str(round))
    from ..tasks import make_slips

    # With the database task backend the worker sees the task once this transaction commits.
    make_slips.enqueue(batch.pk)
    return batch


def _fresh_codes(count: int) -> list[str]:
    """``count`` new codes whose hashes no code in the database has (a clash is rare, but possible)."""
    chosen: dict[str, str] = {}
    while len(chosen) < count:
        candidates = {}
        while len(candidates) < count - len(chosen):
            code = codes.new_code()
            if code not in chosen:
                candidates[codes.code_hash(code)] = code
        taken = set(Code.objects.filter(code_hash__in=list(candidates)).values_list("code_hash", flat=True))
        chosen.update({h: c for h, c in candidates.items() if h not in taken})
    return list(chosen.values())


def slip_batch_make(*, batch: SlipBatch) -> None:
    """The task's work: render the PDF, then store it and the codes' hashes together."""
    claimed = SlipBatch.objects.filter(pk=batch.pk, status=SlipBatch.Status.PENDING).update(
        status=SlipBatch.Status.RUNNING
    )
    if not claimed:
        return
    started = time.perf_counter()
    round_ = batch.round
    org_name = batch.target_org.name if batch.target_org_id else ""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            plain = _fresh_codes(batch.count)
            progress.write(batch.pk, 0)
            pdf = slips.render_pdf(
                round_,
                [(code, org_name) for code in plain],
                site_url=batch.site_url,
                on_progress=lambda done: progress.write(batch.pk, done),
            )
        name = f"{round_.pk}/{uuid.uuid4().hex}.pdf"
        path = slips_dir() / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
        with transaction.atomic():
            Code.objects.bulk_create(
                [
                    Code(round=round_, target_org_id=batch.target_org_id, batch=batch, code_hash=codes.code_hash(c))
                    for c in plain
                ],
                batch_size=1000,
            )
            SlipBatch.objects.filter(pk=batch.pk).update(
                status=SlipBatch.Status.DONE,
                pdf_name=name,
                finished_at=timezone.now(),
                seconds=round(time.perf_counter() - started, 1),
            )
    except Exception as error:  # noqa: BLE001 - the page must say printing failed, not spin forever
        SlipBatch.objects.filter(pk=batch.pk).update(
            status=SlipBatch.Status.FAILED, error_message=str(error)[:300], finished_at=timezone.now()
        )
        logger.exception("code sheet %s failed", batch.pk)
    finally:
        progress.clear(batch.pk)


def slip_pdf_path(batch: SlipBatch) -> Path | None:
    if not batch.pdf_name:
        return None
    path = (slips_dir() / batch.pdf_name).resolve()
    return path if path.is_file() and slips_dir().resolve() in path.parents else None
