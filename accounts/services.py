"""Writes on accounts: lock-out bookkeeping, issuing logins and resetting passwords."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from audit.models import HistoryEntry
from audit.services import record_create, record_update, snapshot
from branches import access

# No 0/O, 1/l/I: the password is read off paper and typed by hand.
PASSWORD_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"


def generate_initial_password(length: int = 10) -> str:
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def lock_remaining(user) -> timedelta | None:
    """How long the account stays locked, or None when it is not locked."""
    if user.locked_until and user.locked_until > timezone.now():
        return user.locked_until - timezone.now()
    return None


def login_failed(username: str) -> None:
    User = get_user_model()
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None:
            return
        if user.last_failed_login is None or now - user.last_failed_login > window:
            user.failed_login_count = 0
        user.failed_login_count += 1
        user.last_failed_login = now
        if user.failed_login_count >= settings.LOGIN_FAILURE_LIMIT:
            user.locked_until = now + window
            user.failed_login_count = 0
        user.save(update_fields=["failed_login_count", "last_failed_login", "locked_until"])


def login_succeeded(user) -> None:
    if user.failed_login_count or user.locked_until:
        user.failed_login_count = 0
        user.locked_until = None
        user.save(update_fields=["failed_login_count", "locked_until"])


@dataclass(frozen=True)
class IssuedLogin:
    member: object
    username: str
    password: str
    created: bool


def _free_username(base: str) -> str:
    User = get_user_model()
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _check_may_manage(by, member) -> None:
    if not access.can_manage_member(by, member):
        raise PermissionDenied


@transaction.atomic
def member_issue_login(*, member, by) -> IssuedLogin:
    """Give a member a login (or a fresh initial password if they have one); shown once."""
    _check_may_manage(by, member)
    User = get_user_model()
    password = generate_initial_password()
    if member.user_id:
        user = member.user
        user.set_password(password)
        user.must_change_password = True
        user.locked_until = None
        user.failed_login_count = 0
        user.is_active = True
        user.save()
        return IssuedLogin(member=member, username=user.username, password=password, created=False)
    user = User(
        username=_free_username(member.phone or f"m{member.pk}"),
        full_name=member.name,
        must_change_password=True,
    )
    user.set_password(password)
    user.save()
    before = snapshot(member)
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    record_update(member, before, actor=by, source=HistoryEntry.Source.FORM, note="issued a login")
    record_create(user, actor=by, source=HistoryEntry.Source.FORM)
    return IssuedLogin(member=member, username=user.username, password=password, created=True)


@transaction.atomic
def members_issue_logins(*, members, by, only_missing: bool = True) -> list[IssuedLogin]:
    """The whole roster at once; members who already have a login keep it unless asked."""
    issued = []
    for member in members:
        if only_missing and member.user_id:
            continue
        issued.append(member_issue_login(member=member, by=by))
    return issued


def user_change_own_password(*, user, new_password: str) -> None:
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
