import pytest
from django.urls import reverse

PASSWORD = "pass-1234-word"  # tests.factories.UserFactory's password


@pytest.fixture
def try_login(client):
    """try_login(username, password) -> the response of the real login form."""

    def _try(username, password=PASSWORD):
        return client.post(reverse("accounts:login"), {"username": username, "password": password})

    return _try
