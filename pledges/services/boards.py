"""Public board links: made and revoked by a manager of the org."""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from audit.services import record_create, record_update, snapshot
from branches import access

from ..models import BoardLink


@transaction.atomic
def board_link_create(*, org, campaign, by) -> BoardLink:
    """The org's public link for the campaign; an existing active one is kept, not replaced."""
    if not access.can_manage_org(by, org):
        raise PermissionDenied
    link = BoardLink.objects.select_for_update().active().filter(org=org, campaign=campaign).first()
    if link is not None:
        return link
    link = BoardLink.objects.create(org=org, campaign=campaign, created_by=by)
    record_create(link, actor=by)
    return link


@transaction.atomic
def board_link_revoke(*, link: BoardLink, by) -> BoardLink:
    """From now on the address answers "not found"; a new link gets a new address."""
    if not access.can_manage_org(by, link.org):
        raise PermissionDenied
    link = BoardLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is None:
        before = snapshot(link)
        link.revoked_at = timezone.now()
        link.revoked_by = by
        link.save(update_fields=["revoked_at", "revoked_by"])
        record_update(link, before, actor=by)
    # The public page is cached (views/boards.py): forget it now, and again once the revocation is
    # committed, in case a request cached it meanwhile. Other workers' copies expire within seconds.
    key = public_cache_key(link.token)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
    return link


def public_cache_key(token: str) -> str:
    return f"pledges:board_public:{token}"
