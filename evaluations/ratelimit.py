"""A fixed-window counter per client in the database, so every gunicorn worker sees the same count.

The client is the request's address (or the proxy's X-Forwarded-For when the deployment says it sits
behind one), stored only as a keyed hash. Limits come from settings (EVALUATION_* at the end of
config/settings.py).
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RateWindow

_SALT = "xianfeng.evaluations.client"


def client_address(request) -> str:
    if getattr(settings, "EVALUATION_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # nginx appends the address it saw; earlier entries are whatever the client sent.
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _window_start(now, minutes: int):
    epoch = int(now.timestamp()) // (minutes * 60) * (minutes * 60)
    return now.fromtimestamp(epoch, tz=now.tzinfo)


def _key(request, bucket: str) -> str:
    return salted_hmac(_SALT, f"{bucket}|{client_address(request)}", algorithm="sha256").hexdigest()


def hit(request, bucket: str, *, limit: int, minutes: int) -> bool:
    """Count one request; False when the client has gone over ``limit`` in the current window."""
    now = timezone.now()
    start = _window_start(now, minutes)
    key = _key(request, bucket)
    with transaction.atomic():
        updated = RateWindow.objects.filter(key=key, window_start=start).update(hits=F("hits") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateWindow.objects.create(key=key, window_start=start, hits=1)
            except IntegrityError:  # another worker created it a moment ago
                RateWindow.objects.filter(key=key, window_start=start).update(hits=F("hits") + 1)
        hits = RateWindow.objects.filter(key=key, window_start=start).values_list("hits", flat=True).first() or 0
    # Old windows are worth nothing; dropping them here keeps the table a few rows per active client.
    RateWindow.objects.filter(window_start__lt=now - timedelta(minutes=minutes * 2)).delete()
    return hits <= limit


def is_over(request, bucket: str, *, limit: int, minutes: int) -> bool:
    """Whether the client is already over the limit, without counting this request."""
    start = _window_start(timezone.now(), minutes)
    hits = RateWindow.objects.filter(key=_key(request, bucket), window_start=start).values_list("hits", flat=True)
    return (hits.first() or 0) >= limit


def answer_limit() -> tuple[int, int]:
    return settings.EVALUATION_OPEN_LINK_LIMIT, settings.EVALUATION_RATE_WINDOW_MINUTES


def code_miss_limit() -> tuple[int, int]:
    return settings.EVALUATION_CODE_MISS_LIMIT, settings.EVALUATION_RATE_WINDOW_MINUTES
