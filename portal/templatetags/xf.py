from django import template
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """The current query string with some parameters replaced (pagination keeps the filters)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    return urlencode(sorted(query.lists()), doseq=True)


@register.filter
def intcomma_zh(value):
    """Thousands separators, as the reports print large counts."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


@register.filter
def percent(value, digits=1):
    """A ratio 0..1 as a percentage; None (nothing to divide by) as a dash."""
    if value is None:
        return "—"
    return f"{value * 100:.{int(digits)}f}%"
