"""Leadership posts per term (届次): who holds which post, from when to when."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_create, record_update, snapshot

from .. import access
from ..models import LeadershipPost, Organization, Post
from .history import note_on_org

# One person at a time in these posts; an org may have several deputy secretaries.
SINGLE_HOLDER_POSTS = {Post.SECRETARY, Post.ORGANIZATION, Post.PUBLICITY, Post.DISCIPLINE}


def _describe(post: LeadershipPost) -> str:
    term = f"（{post.term}）" if post.term else ""
    return f"{post.get_post_display()}：{post.member.name}{term}"


@transaction.atomic
def post_add(
    *, org: Organization, member, post: str, term: str = "", started_on: date | None = None, by
) -> LeadershipPost:
    if not access.can_manage_org(by, org):
        raise PermissionDenied
    if not member.org.path.startswith(org.path):
        raise ValidationError(_("%(name)s is not on the roll of this organization.") % {"name": member.name})
    if not member.is_party_member:
        raise ValidationError(_("Only party members can hold a leadership post."))
    if post in SINGLE_HOLDER_POSTS:
        holder = LeadershipPost.objects.filter(org=org, post=post, ended_on__isnull=True).select_related("member")
        holder = holder.first()
        if holder is not None:
            raise ValidationError(
                _("%(holder)s currently holds the post of %(post)s; end that term first.")
                % {"holder": holder.member.name, "post": holder.get_post_display()}
            )
    record = LeadershipPost(org=org, member=member, post=post, term=term, started_on=started_on)
    record.full_clean()
    record.save()
    record_create(record, actor=by)
    note_on_org(org, key="posts", label=_("Leadership posts"), new=_describe(record), by=by)
    return record


@transaction.atomic
def post_end(*, post: LeadershipPost, ended_on: date, by) -> LeadershipPost:
    if not access.can_manage_org(by, post.org):
        raise PermissionDenied
    if post.ended_on is not None:
        raise ValidationError(_("This term has already ended."))
    if post.started_on and ended_on < post.started_on:
        raise ValidationError(_("A term cannot end before it started."))
    before = snapshot(post)
    post.ended_on = ended_on
    post.save(update_fields=["ended_on"])
    record_update(post, before, actor=by)
    note_on_org(
        post.org,
        key="posts",
        label=_("Leadership posts"),
        old=_describe(post),
        new=_("%(post)s, ended %(date)s") % {"post": _describe(post), "date": ended_on.isoformat()},
        by=by,
    )
    return post
