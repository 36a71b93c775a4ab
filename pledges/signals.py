"""Pledge and item saves and deletes keep the kept pledge figures (pledges/tally.py) exact.

Bulk writes send no signals; those writers rebuild the tallies themselves (seed_demo, seed_scale,
restore).
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from . import tally
from .models import Pledge, PledgeItem

# The fields the tallies count by; a save of others (updated_at, the phone, the notes) recounts nothing.
PLEDGE_COUNTED = frozenset({"org", "org_id", "campaign", "campaign_id", "category", "status", "outcome"})
PLEDGE_COUNTED |= {"owner_member", "owner_member_id", "owner_org", "owner_org_id"}
ITEM_COUNTED = frozenset({"pledge", "pledge_id", "due_on", "done_on"})


def _counts_change(update_fields, counted) -> bool:
    return update_fields is None or not counted.isdisjoint(update_fields)


@receiver(pre_save, sender=Pledge, dispatch_uid="pledge_tally_pre_save")
def remember_previous_key(sender, instance, raw=False, update_fields=None, **kwargs):
    # A pledge moved to another board or campaign changes the tallies of the one it leaves too.
    instance._tally_previous_key = None
    if raw or instance._state.adding or instance.pk is None or not _counts_change(update_fields, PLEDGE_COUNTED):
        return
    instance._tally_previous_key = Pledge.objects.filter(pk=instance.pk).values_list("org_id", "campaign_id").first()


@receiver(post_save, sender=Pledge, dispatch_uid="pledge_tally_post_save")
def recount_after_pledge_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not _counts_change(update_fields, PLEDGE_COUNTED):
        return  # loaddata (restore rebuilds at the end), or a save that changes no count
    previous = getattr(instance, "_tally_previous_key", None)
    tally.refresh([(instance.org_id, instance.campaign_id), *([previous] if previous else [])])


@receiver(post_delete, sender=Pledge, dispatch_uid="pledge_tally_post_delete")
def recount_after_pledge_delete(sender, instance, **kwargs):
    tally.refresh([(instance.org_id, instance.campaign_id)])


def _key_of(item) -> tuple | None:
    # From the row, not from a pledge object in memory, which may be older than the row.
    return Pledge.objects.filter(pk=item.pledge_id).values_list("org_id", "campaign_id").first()


@receiver(post_save, sender=PledgeItem, dispatch_uid="pledge_tally_item_post_save")
def recount_after_item_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not _counts_change(update_fields, ITEM_COUNTED):
        return
    key = _key_of(instance)
    if key:
        tally.refresh([key])


@receiver(post_delete, sender=PledgeItem, dispatch_uid="pledge_tally_item_post_delete")
def recount_after_item_delete(sender, instance, **kwargs):
    key = _key_of(instance)  # None when the pledge went first: its own delete recounts
    if key:
        tally.refresh([key])
