from django.db import models
from django.db.models import Count, Q

from branches import access

STEPLEN = 4  # treebeard's path step (Organization.steplen)


def ancestor_paths(path: str) -> list[str]:
    """The path of every org above (and including) the one at ``path``."""
    return [path[:end] for end in range(STEPLEN, len(path) + 1, STEPLEN)]


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Activities of the orgs the user may read, and those a member was expected at."""
        scope = access.scope_for(user)
        if scope.is_superuser:
            return self
        q = access.paths_q(scope.read_paths, "org__path")
        if scope.member_id:
            # A subquery, not a join: an OR across a join would repeat each row per attendee.
            from .models import Attendance

            q |= Q(pk__in=Attendance.objects.filter(member_id=scope.member_id).values("activity_id"))
        return self.filter(q)

    def manageable_by(self, user):
        q = access.org_filter(user, field="org__path", manage=True)
        return self if q is None else self.filter(q)

    def in_subtree(self, org):
        return self.filter(org__path__startswith=org.path)

    def with_counts(self):
        """Expected, present and on-leave counts, from the attendance rows (never typed in)."""
        from .models import AttendanceStatus

        return self.annotate(
            expected_count=Count("attendances"),
            present_count=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
            leave_count=Count("attendances", filter=Q(attendances__status=AttendanceStatus.LEAVE)),
        )

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(title__icontains=text)
            | Q(place__icontains=text)
            | Q(host_name__icontains=text)
            | Q(minutes__icontains=text)
        )


class AttendanceQuerySet(models.QuerySet):
    def rate_summary(self) -> dict[str, int]:
        """Counts by status in one query: {"expected": n, "present": n, "leave": n, "absent": n}."""
        from .models import AttendanceStatus

        result = self.aggregate(
            expected=Count("id"),
            present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
            leave=Count("id", filter=Q(status=AttendanceStatus.LEAVE)),
            absent=Count("id", filter=Q(status=AttendanceStatus.ABSENT)),
        )
        return {key: value or 0 for key, value in result.items()}


class ComplianceRuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def applying_to(self, paths):
        """Rules that can reach orgs at ``paths`` or below: the defaults, those set above them,
        and those set inside their subtrees."""
        paths = list(paths)
        above = {a for p in paths for a in ancestor_paths(p)}
        return self.filter(
            Q(owner__isnull=True) | Q(owner__path__in=above) | access.paths_q(paths, "owner__path")
        ).select_related("owner")

    def visible_to(self, user):
        scope = access.scope_for(user)
        if scope.is_superuser:
            return self.select_related("owner")
        return self.applying_to(scope.read_paths) if scope.read_paths else self.none()

    def manageable_by(self, user):
        """Committee staff change the rules of their subtree; only a superuser the defaults."""
        scope = access.scope_for(user)
        if scope.is_superuser:
            return self
        return self.filter(access.paths_q(staff_paths(user), "owner__path"))


def staff_paths(user) -> tuple[str, ...]:
    """Roots of the subtrees where the user is committee staff (secretaries set no rules)."""
    from branches.models import Role, RoleAssignment

    if user is None or not user.is_authenticated:
        return ()
    cached = getattr(user, "_xianfeng_staff_paths", None)
    if cached is None:
        cached = tuple(
            sorted(
                RoleAssignment.objects.filter(user=user, role=Role.STAFF, org__is_active=True).values_list(
                    "org__path", flat=True
                )
            )
        )
        user._xianfeng_staff_paths = cached
    return cached
