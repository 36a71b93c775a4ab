"""Writing history rows. Every service that changes an audited record calls one of these."""

import functools
from collections.abc import Iterable
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language

from .models import HistoryEntry

# Fields that change on every save or carry no meaning for a reader of the history.
IGNORED_FIELDS = {"id", "path", "depth", "numchild", "created_at", "updated_at", "photo_thumbnail"}


class Snapshotter:
    """The audited fields of one model as display strings; labels and choice names resolved once,
    because a per-call gettext of every label was the largest cost of a large import."""

    def __init__(self, model):
        self.fields = []
        for model_field in model._meta.concrete_fields:
            if model_field.name in IGNORED_FIELDS or getattr(model_field, "audit_ignore", False):
                continue
            choices = {k: str(v) for k, v in model_field.flatchoices} if model_field.choices else None
            self.fields.append((model_field, str(model_field.verbose_name), choices))

    def __call__(self, instance) -> dict[str, dict[str, str]]:
        result = {}
        for model_field, label, choices in self.fields:
            value = getattr(instance, model_field.attname)
            if value is None or value == "":
                shown = ""
            elif hasattr(model_field, "masked"):
                # Personal information (ID numbers, phones) is kept in the history masked only.
                shown = model_field.masked(value)
            elif choices is not None:
                shown = choices.get(value, str(value))
            elif isinstance(model_field, models.ForeignKey):
                related = getattr(instance, model_field.name, None)
                shown = str(related) if related is not None else ""
            elif isinstance(model_field, models.BooleanField):
                shown = "是" if value else "否"
            elif isinstance(model_field, models.FileField):
                shown = value.name if hasattr(value, "name") else str(value)
            elif isinstance(value, datetime):
                # Readers think in local time; an ISO string in UTC reads as a wrong hour.
                shown = timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
            elif isinstance(value, date):
                shown = value.isoformat()
            else:
                shown = str(value)
            result[model_field.name] = {"label": label, "value": shown}
        return result


@functools.cache
def snapshotter(model, language: str) -> Snapshotter:
    return Snapshotter(model)


def snapshot(instance: models.Model) -> dict[str, dict[str, str]]:
    """The audited fields of a record as display strings, to diff before and after a change."""
    return snapshotter(type(instance), get_language())(instance)


def diff(before: dict, after: dict) -> dict[str, dict[str, str]]:
    changes = {}
    for name, new in after.items():
        old = before.get(name, {"value": ""})
        if old["value"] != new["value"]:
            changes[name] = {"label": new["label"], "old": old["value"], "new": new["value"]}
    return changes


def _save(entry: HistoryEntry) -> HistoryEntry:
    entry.save()
    return entry


def _entry(instance, *, action, actor, changes, source, note="") -> HistoryEntry:
    return HistoryEntry(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        action=action,
        source=source,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        changes=changes,
        note=note[:200],
    )


def record_create(instance, *, actor, source=HistoryEntry.Source.FORM, note="") -> HistoryEntry:
    changes = diff({}, snapshot(instance))
    return _save(
        _entry(instance, action=HistoryEntry.Action.CREATE, actor=actor, changes=changes, source=source, note=note)
    )


def record_update(instance, before: dict, *, actor, source=HistoryEntry.Source.FORM, note=""):
    """Write an update row if anything changed; returns it, or None when nothing did."""
    changes = diff(before, snapshot(instance))
    if not changes:
        return None
    return _save(
        _entry(instance, action=HistoryEntry.Action.UPDATE, actor=actor, changes=changes, source=source, note=note)
    )


def record_delete(instance, *, actor, source=HistoryEntry.Source.FORM, note="") -> HistoryEntry:
    return _save(_entry(instance, action=HistoryEntry.Action.DELETE, actor=actor, changes={}, source=source, note=note))


def build_entries(items: Iterable[tuple[models.Model, str, dict]], *, actor, source, note="") -> list[HistoryEntry]:
    """Unsaved entries for (instance, action, changes) triples, for bulk writers to bulk_create."""
    return [
        _entry(instance, action=action, actor=actor, changes=changes, source=source, note=note)
        for instance, action, changes in items
    ]


def history_for(instance: models.Model):
    return HistoryEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
    ).select_related("actor")
