"""Helpers for the organization tests: history rows of a record, and a quick child-org maker."""

import pytest
from django.contrib.contenttypes.models import ContentType

from audit.models import HistoryEntry


@pytest.fixture
def history_of():
    """history_of(obj) -> its history rows, newest first; pass pk= for a deleted record."""

    def _history(obj, pk=None):
        content_type = ContentType.objects.get_for_model(type(obj))
        return list(HistoryEntry.objects.filter(content_type=content_type, object_id=str(pk or obj.pk)))

    return _history
