"""Factories and small builders; tests read like the domain."""

import itertools
from datetime import date

import factory

from accounts.models import User
from branches.models import Organization, OrgKind, RoleAssignment
from members.idcard import check_char
from members.models import Member, Stage

_serial = itertools.count(1)


def make_id_number(birth: date = date(1980, 5, 17), *, region: str = "110101", female: bool = False) -> str:
    """A valid 公民身份号码, unique per call."""
    seq = next(_serial) % 500
    order = seq * 2 + (0 if female else 1)  # the 17th digit: odd for men
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    if len(body) != 17:
        raise ValueError(body)
    return body + check_char(body)


def make_org(name: str, kind: str = OrgKind.BRANCH, *, parent: Organization | None = None, code: str = "", **extra):
    data = {"name": name, "kind": kind, "code": code or f"T{next(_serial):05d}", **extra}
    if parent is None:
        return Organization.objects.add_root(data)
    parent.refresh_from_db()
    return Organization.objects.add_child(parent, data)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="zh_CN")
    password = factory.django.Password("pass-1234-word")


_birth_days = itertools.count(0)


def _unique_id(_obj) -> str:
    n = next(_birth_days)
    birth = date(1950 + n % 50, 1 + (n // 50) % 12, 1 + (n // 600) % 28)
    return make_id_number(birth)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Faker("name", locale="zh_CN")
    id_number = factory.LazyAttribute(_unique_id)
    stage = Stage.FULL
    phone = factory.Sequence(lambda n: f"139{n:08d}")


def grant(user: User, org: Organization, role: str) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, org=org, role=role)
