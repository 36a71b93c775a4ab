from django.contrib.auth.backends import ModelBackend

from .services import lock_remaining


class LockoutModelBackend(ModelBackend):
    """ModelBackend that refuses a locked account even with the right password."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and lock_remaining(user) is None
