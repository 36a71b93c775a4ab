"""Member saves and deletes keep the per-org counts (members/headcount.py) exact.

Bulk writes send no signals; those writers call ``headcount.refresh`` themselves.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from . import headcount
from .models import Member

COUNTED = frozenset({"org", "org_id", "stage"})


def _counts_change(update_fields) -> bool:
    return update_fields is None or not COUNTED.isdisjoint(update_fields)


@receiver(pre_save, sender=Member, dispatch_uid="headcount_pre_save")
def remember_previous_org(sender, instance, raw=False, update_fields=None, **kwargs):
    # A transfer changes two orgs' counts; the row in the database still names the one it leaves.
    instance._headcount_previous_org = None
    if raw or instance._state.adding or instance.pk is None or not _counts_change(update_fields):
        return
    instance._headcount_previous_org = Member.objects.filter(pk=instance.pk).values_list("org_id", flat=True).first()


@receiver(post_save, sender=Member, dispatch_uid="headcount_post_save")
def refresh_after_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or not _counts_change(update_fields):
        return  # loaddata (restore rebuilds at the end), or a save that moves nobody
    headcount.refresh({instance.org_id, getattr(instance, "_headcount_previous_org", None)})


@receiver(post_delete, sender=Member, dispatch_uid="headcount_post_delete")
def refresh_after_delete(sender, instance, **kwargs):
    headcount.refresh({instance.org_id})
