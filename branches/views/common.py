"""Bits every organization page shares."""

from django.core.exceptions import ValidationError


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def add_service_error(form, error: ValidationError) -> None:
    """Put a service's error on the form: on its field when the form has that field, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
