"""Writing history rows. Every service that changes an audited record calls one of these."""

from collections.abc import Iterable
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import HistoryEntry

# Fields that change on every save or carry no meaning for a reader of the history.
IGNORED_FIELDS = {"id", "path", "depth", "numchild", "created_at", "updated_at", "photo_thumbnail"}


def _display(instance: models.Model, field: models.Field):
    value = getattr(instance, field.attname)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        related = getattr(instance, field.name, None)
        return str(related) if related is not None else ""
    if isinstance(field, models.BooleanField):
        return "是" if value else "否"
    if isinstance(field, models.FileField):
        return value.name if hasattr(value, "name") else str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def snapshot(instance: models.Model) -> dict[str, dict[str, str]]:
    """The audited fields of a record as display strings, to diff before and after a change."""
    result = {}
    for field in instance._meta.concrete_fields:
        if field.name in IGNORED_FIELDS:
            continue
        result[field.name] = {"label": str(field.verbose_name), "value": _display(instance, field)}
    return result


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
