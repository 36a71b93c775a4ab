"""Writes on accounts: lock-out bookkeeping, issuing logins and resetting passwords."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import HistoryEntry
from audit.services import build_entries, record_update, snapshot
from branches import access

# No 0/O, 1/l/I: the password is read off paper and typed by hand.
PASSWORD_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
INITIAL_PASSWORD_LENGTH = 10  # 55**10, about 58 bits of randomness

# Key stretching protects passwords people choose; an initial password is random (58 bits),
# lives until the first login and is then replaced. Hashing it with the full 1.5 million PBKDF2
# rounds would take 0.26 s each, minutes for a roster. Django re-hashes at the default
# strength when the user logs in, and the forced change replaces it anyway.
INITIAL_PASSWORD_ITERATIONS = 20_000


def generate_initial_password(length: int = INITIAL_PASSWORD_LENGTH) -> str:
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def _set_initial_password(user, password: str) -> None:
    hasher = get_hasher()
    if isinstance(hasher, PBKDF2PasswordHasher):
        iterations = min(hasher.iterations, INITIAL_PASSWORD_ITERATIONS)
        user.password = hasher.encode(password, hasher.salt(), iterations=iterations)
    else:
        user.set_password(password)
    user.must_change_password = True


def lock_remaining(user) -> timedelta | None:
    """How long the account stays locked, or None when it is not locked."""
    if user.locked_until and user.locked_until > timezone.now():
        return user.locked_until - timezone.now()
    return None


def login_failed(username: str) -> None:
    """Count a failed login; the limit within the window locks the account for the window."""
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
    """A login given or reset; the password exists only in this object and the page showing it."""

    user: object
    username: str
    password: str
    created: bool
    member: object = None

    @property
    def name(self) -> str:
        return self.member.name if self.member is not None else self.user.display_name

    @property
    def org_name(self) -> str:
        return self.member.org.name if self.member is not None else ""


def username_base(member) -> str:
    """The phone number people already know by heart; members without one get their record number."""
    from members.idcard import normalize

    digits = "".join(c for c in normalize(member.phone) if c.isdigit())
    return digits or f"m{member.pk}"


def _free_username(base: str) -> str:
    User = get_user_model()
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _check_may_manage(by, member) -> None:
    if not access.can_manage_member(by, member):
        raise PermissionDenied


def _note(member, *, by, text: str) -> None:
    """A history line on the member with no field change (the password itself is never recorded)."""
    for entry in build_entries([(member, HistoryEntry.Action.UPDATE, {})], actor=by, source=HistoryEntry.Source.FORM):
        entry.note = text[:200]
        entry.save()


def _reset(user, *, password: str) -> None:
    _set_initial_password(user, password)
    user.locked_until = None
    user.failed_login_count = 0
    user.is_active = True
    user.save(update_fields=["password", "must_change_password", "locked_until", "failed_login_count", "is_active"])


@transaction.atomic
def member_issue_login(*, member, by) -> IssuedLogin:
    """Give a member a login (or a fresh initial password if they have one); shown once."""
    _check_may_manage(by, member)
    User = get_user_model()
    password = generate_initial_password()
    if member.user_id:
        user = member.user
        _reset(user, password=password)
        _note(member, by=by, text=_("Password reset for login %(username)s") % {"username": user.username})
        return IssuedLogin(member=member, user=user, username=user.username, password=password, created=False)
    user = User(username=_free_username(username_base(member)), full_name=member.name)
    _set_initial_password(user, password)
    user.save()
    before = snapshot(member)
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    record_update(
        member,
        before,
        actor=by,
        source=HistoryEntry.Source.FORM,
        note=_("Login issued: %(username)s") % {"username": user.username},
    )
    return IssuedLogin(member=member, user=user, username=user.username, password=password, created=True)


@transaction.atomic
def members_issue_logins(*, members, by, only_missing: bool = True) -> list[IssuedLogin]:
    """The whole roster at once; members who already have a login keep it unless asked."""
    issued = []
    for member in members:
        if only_missing and member.user_id:
            continue
        issued.append(member_issue_login(member=member, by=by))
    return issued


def can_reset_user(by, user) -> bool:
    """Only someone who manages every org the user holds a role in (and their roster entry).

    Otherwise a secretary could take over the account of someone with a wider scope.
    """
    if user.pk == by.pk or user.is_superuser:
        return False
    scope = access.scope_for(by)
    if scope.is_superuser:
        return True
    paths = list(user.role_assignments.values_list("org__path", flat=True))
    member = getattr(user, "member", None) if hasattr(user, "member") else None
    if member is not None:
        paths.append(member.org.path)
    return bool(paths) and all(scope.may_manage_path(path) for path in paths)


@transaction.atomic
def user_reset_password(*, user, by) -> IssuedLogin:
    """A fresh initial password for a role holder below the caller (e.g. a branch secretary)."""
    if not can_reset_user(by, user):
        raise PermissionDenied
    password = generate_initial_password()
    _reset(user, password=password)
    member = getattr(user, "member", None) if hasattr(user, "member") else None
    if member is not None:
        _note(member, by=by, text=_("Password reset for login %(username)s") % {"username": user.username})
    return IssuedLogin(user=user, username=user.username, password=password, created=False, member=member)


def user_change_own_password(*, user, new_password: str) -> None:
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
