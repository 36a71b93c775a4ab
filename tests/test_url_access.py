"""Every URL in the URL conf, walked with a secretary of branch A against sibling branch B.

A URL that takes an object gets B's object and must answer 404 to GET and POST alike, exactly as
for an object that does not exist. A URL that lists or exports must answer without a trace of B.
A URL added to the project without a line in CASES fails ``test_every_url_is_in_the_table``.
"""

import io
from dataclasses import dataclass, field, replace
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from activities.models import Activity, ActivityKind, ActivityPhoto, ComplianceRule, Period
from branches.models import Area, ContactPoint, LeadershipPost, Post, RoleAssignment
from campaigns.models import Campaign, Carrier, Phase
from evaluations.models import SlipBatch
from evaluations.services import response_submit_open, round_create
from imports.models import ImportBatch
from notifications.models import Notification
from pledges.models import BoardLink, Category, Pledge, PledgeItem, Status
from reviews.models import Attachment, Evidence, RectificationItem, Review, Shortcoming

# Names and numbers that only branch B (or the tree above A) holds; none may reach secretary A.
B_MARKERS = ("第二中学党支部", "孙丽", "周强", "人民医院党支部", "吴医生", "镇江路街道党工委", "郑阿姨")


@dataclass(frozen=True)
class Case:
    # "object": B's object must 404; "list": 200 and no B; "superuser": refused to everyone else;
    # "public": not scoped (login, the blank template); "open": served to anyone, no login (public boards)
    kind: str
    kwargs: object = None  # callable(env) -> kwargs for B's object
    query: dict = field(default_factory=dict)  # for lists: also try these (pointing at B) -> 404 or no B
    base_query: dict = field(default_factory=dict)  # what the page itself sends ("A" = branch A)
    # For tests/test_authorization_matrix.py: callable(env) -> kwargs naming the same kind of object
    # one level up (州教育局党委, the committee above B), which B's own secretary must not reach.
    ancestor: object = None


def b_org(env):
    return {"pk": env.w.branch_b.pk}


def b_member(env):
    return {"pk": env.w.members_b[0].pk}


def b_candidate(env):
    return {"pk": env.selection_b.pk, "candidate_pk": env.candidate_b.pk}


CASES = {
    "home": Case("list"),
    "accounts:login": Case("public"),
    "accounts:logout": Case("public"),
    "accounts:password_change": Case("public"),
    "accounts:role_logins": Case("list"),
    "accounts:reset_password": Case("object", lambda env: {"pk": env.w.users.secretary_b.pk}),
    "branches:org_tree": Case("list", query={"q": "第二"}),
    "branches:org_create_root": Case("superuser"),
    "branches:org_detail": Case("object", b_org),
    "branches:org_children": Case("object", b_org),
    "branches:org_create": Case("object", b_org),
    "branches:org_edit": Case("object", b_org),
    "branches:org_move": Case("object", b_org),
    "branches:org_dissolve": Case("object", b_org),
    "branches:member_options": Case("object", b_org),
    "branches:post_add": Case("object", b_org),
    "branches:post_end": Case("object", lambda env: {"pk": env.w.branch_b.pk, "post_pk": env.post_b.pk}),
    "branches:contact_point_add": Case("object", b_org),
    "branches:contact_point_remove": Case(
        "object", lambda env: {"pk": env.w.branch_b.pk, "point_pk": env.contact_b.pk}
    ),
    "branches:role_grant": Case("object", b_org),
    "branches:role_revoke": Case("object", lambda env: {"pk": env.w.branch_b.pk, "role_pk": env.role_b.pk}),
    "branches:area_create": Case("object", lambda env: {"pk": env.w.jy.pk}),
    "branches:area_edit": Case("object", lambda env: {"pk": env.w.jy.pk, "area_pk": env.area_jy.pk}),
    "members:member_list": Case("list", query={"q": "孙丽"}),
    "members:me": Case("public"),
    "members:member_create": Case("list"),
    "members:org_search": Case("list", query={"q": "第二"}),
    "members:issue_logins": Case("object", lambda env: {"org_pk": env.w.branch_b.pk}),
    "members:member_detail": Case("object", b_member),
    "members:member_edit": Case("object", b_member),
    "members:member_advance": Case("object", b_member),
    "members:member_correct_stage": Case("object", b_member),
    "members:member_photo": Case("object", b_member),
    "members:issue_login": Case("object", b_member),
    "imports:start": Case("list"),
    "imports:org_choices": Case("list", query={"q": "第二"}),
    "imports:template": Case("public", lambda env: {"kind": "roster"}),
    "imports:export_members": Case("list", query={"org": "B"}),
    "imports:export_orgs": Case("list", query={"org": "B"}, base_query={"org": "A"}),
    "imports:batch": Case("object", lambda env: {"pk": env.batch_b.pk}),
    "imports:progress": Case("object", lambda env: {"pk": env.batch_b.pk}),
    "imports:confirm": Case("object", lambda env: {"pk": env.batch_b.pk}),
    "imports:cancel": Case("object", lambda env: {"pk": env.batch_b.pk}),
    "notifications:notification_list": Case("list"),
    "notifications:notification_open": Case("object", lambda env: {"pk": env.notification_b.pk}),
    "notifications:notification_mark_all_read": Case("public"),
    "campaigns:campaign_list": Case("list", query={"status": "running"}),
    "campaigns:campaign_create": Case("list", query={"org": "B"}),
    "campaigns:campaign_detail": Case("object", lambda env: {"pk": env.campaign_b.pk}),
    "campaigns:campaign_edit": Case("object", lambda env: {"pk": env.campaign_b.pk}),
    "campaigns:phase_add": Case("object", lambda env: {"pk": env.campaign_b.pk}),
    "campaigns:phase_edit": Case("object", lambda env: {"pk": env.campaign_b.pk, "phase_pk": env.phase_b.pk}),
    "campaigns:phase_remove": Case("object", lambda env: {"pk": env.campaign_b.pk, "phase_pk": env.phase_b.pk}),
    "campaigns:carrier_add": Case("object", lambda env: {"pk": env.campaign_b.pk}),
    "campaigns:carrier_edit": Case("object", lambda env: {"pk": env.campaign_b.pk, "carrier_pk": env.carrier_b.pk}),
    "campaigns:carrier_remove": Case("object", lambda env: {"pk": env.campaign_b.pk, "carrier_pk": env.carrier_b.pk}),
    "activities:activity_list": Case("list", query={"org": "B"}),
    "activities:activity_export": Case("list", query={"org": "B"}),
    "activities:activity_create": Case("list", query={"org": "B"}),
    "activities:mine": Case("public"),
    "activities:activity_detail": Case("object", lambda env: {"pk": env.activity_b.pk}),
    "activities:activity_edit": Case("object", lambda env: {"pk": env.activity_b.pk}),
    "activities:activity_delete": Case("object", lambda env: {"pk": env.activity_b.pk}),
    "activities:photo_add": Case("object", lambda env: {"pk": env.activity_b.pk}),
    "activities:photo_delete": Case("object", lambda env: {"pk": env.activity_b.pk, "photo_pk": env.photo_b.pk}),
    "activities:compliance": Case("list", query={"org": "B"}),
    "activities:calendar_home": Case("list"),
    "activities:calendar": Case("object", lambda env: {"org_pk": env.w.branch_b.pk}),
    "activities:rule_list": Case("list"),
    "activities:rule_create": Case("list", query={"owner": "B"}),
    "activities:rule_edit": Case("object", lambda env: {"pk": env.rule_b.pk}),
    "pledges:pledge_list": Case("list", query={"org": "B"}),
    "pledges:mine": Case("list"),
    "pledges:queue": Case("list"),
    "pledges:pledge_create": Case("public"),  # the user's own pledge: nothing of anyone else to name
    "pledges:pledge_create_oral": Case("object", lambda env: {"member_pk": env.w.members_b[0].pk}),
    "pledges:pledge_create_org": Case("object", lambda env: {"org_pk": env.w.branch_b.pk}),
    "pledges:pledge_detail": Case("object", lambda env: {"pk": env.pledge_b.pk}),
    "pledges:pledge_edit": Case("object", lambda env: {"pk": env.pledge_b.pk}),
    "pledges:pledge_move": Case("object", lambda env: {"pk": env.pledge_b.pk, "action": "approve"}),
    "pledges:progress_add": Case("object", lambda env: {"pk": env.pledge_b.pk}),
    "pledges:board": Case("object", lambda env: {"org_pk": env.w.branch_b.pk}),
    "pledges:board_poster": Case("object", lambda env: {"org_pk": env.w.branch_b.pk}),
    "pledges:board_link_create": Case("object", lambda env: {"org_pk": env.w.branch_b.pk}),
    "pledges:board_link_revoke": Case("object", lambda env: {"pk": env.board_link_b.pk}),
    "pledges:board_public": Case("open", lambda env: {"token": env.board_link_b.token}),
    "pledges:stats": Case("list", query={"org": "B"}),
    "pledges:stats_export": Case("list", query={"org": "B"}),
    "reviews:review_list": Case("list", query={"org": "B"}),
    "reviews:review_export": Case("list", query={"org": "B"}),
    "reviews:coverage": Case("list", query={"org": "B"}),
    "reviews:review_create": Case("public"),  # the targets come from the user's own posts, nothing to name
    "reviews:review_detail": Case("object", lambda env: {"pk": env.review_b.pk}),
    "reviews:review_edit": Case("object", lambda env: {"pk": env.review_b.pk}),
    "reviews:review_record": Case("object", lambda env: {"pk": env.review_b.pk}),
    "reviews:review_announce": Case("object", lambda env: {"pk": env.review_b.pk}),
    "reviews:rectify": Case("object", lambda env: {"pk": env.review_b.pk, "shortcoming_pk": env.shortcoming_b.pk}),
    "reviews:item_list": Case("list", query={"org": "B"}),
    "reviews:item_export": Case("list", query={"org": "B"}),
    "reviews:rate": Case("list", query={"org": "B"}),
    "reviews:item_create": Case("list", query={"org": "B"}),
    "reviews:item_detail": Case("object", lambda env: {"pk": env.item_b.pk}),
    "reviews:item_report": Case("object", lambda env: {"pk": env.item_b.pk}),
    "reviews:item_move": Case("object", lambda env: {"pk": env.item_b.pk, "action": "confirm"}),
    "reviews:attachment": Case("object", lambda env: {"pk": env.attachment_b.pk}),
    "evaluations:round_list": Case("list", query={"state": "open"}),
    "evaluations:round_create": Case("list"),
    "evaluations:round_detail": Case("object", lambda env: {"pk": env.eval_round_b.pk}),
    "evaluations:round_edit": Case("object", lambda env: {"pk": env.eval_round_b.pk}),
    "evaluations:round_close": Case("object", lambda env: {"pk": env.eval_round_b.pk}),
    "evaluations:question_add": Case("object", lambda env: {"pk": env.eval_round_b.pk}),
    "evaluations:question_edit": Case("object", lambda env: eval_question_b(env)),
    "evaluations:question_remove": Case("object", lambda env: eval_question_b(env)),
    "evaluations:question_move": Case("object", lambda env: eval_question_b(env)),
    "evaluations:slip_request": Case("object", lambda env: {"pk": env.eval_round_b.pk}),
    "evaluations:slip_progress": Case("object", lambda env: eval_batch_b(env)),
    "evaluations:slip_download": Case("object", lambda env: eval_batch_b(env)),
    "evaluations:results": Case("object", lambda env: {"pk": env.eval_round_b.pk}),
    "evaluations:results_export": Case("object", lambda env: {"pk": env.eval_round_b.pk}),
    "evaluations:result_rectify": Case("object", lambda env: {"pk": env.eval_round_b.pk, "org_pk": env.w.branch_b.pk}),
    "evaluations:comment_hide": Case(
        "object", lambda env: {"pk": env.eval_round_b.pk, "response_pk": env.eval_response_b.pk}
    ),
    # The public side of mass evaluation: a slip's code, the typed-code form, a round's open link.
    "evaluations:answer_start": Case("open", lambda env: {}),
    "evaluations:answer_thanks": Case("open", lambda env: {}),
    "evaluations:answer_code": Case("open", lambda env: {"code": env.eval_code_b}),
    "evaluations:answer_open": Case("open", lambda env: {"token": env.eval_round_b.open_token}),
    "appraisals:round_list": Case("list", query={"year": "2026"}),
    "appraisals:round_create": Case("list", query={"org": "B"}),
    "appraisals:mine": Case("public"),
    "appraisals:distribution": Case("list", query={"org": "B"}),
    "appraisals:distribution_export": Case("list", query={"org": "B"}),
    "appraisals:round_detail": Case("object", lambda env: {"pk": env.appraisal_b.pk}),
    "appraisals:round_move": Case("object", lambda env: {"pk": env.appraisal_b.pk, "action": "open_peer"}),
    "appraisals:vote": Case("object", lambda env: {"pk": env.appraisal_b.pk}),
    "appraisals:entry_detail": Case("object", lambda env: {"pk": env.appraisal_entry_b.pk}),
    "appraisals:entry_mass": Case("object", lambda env: {"pk": env.appraisal_entry_b.pk}),
    "appraisals:entry_decide": Case("object", lambda env: {"pk": env.appraisal_entry_b.pk}),
    "appraisals:self_appraisal": Case("object", lambda env: {"pk": env.appraisal_entry_b.pk}),
    "appraisals:selection_list": Case("list"),
    "appraisals:selection_create": Case("list"),
    "appraisals:honour_roll": Case("list", query={"org": "B"}),
    "appraisals:selection_detail": Case("object", lambda env: {"pk": env.selection_b.pk}),
    "appraisals:selection_chain": Case("object", lambda env: {"pk": env.selection_b.pk}),
    "appraisals:selection_start": Case("object", lambda env: {"pk": env.selection_b.pk}),
    "appraisals:selection_close": Case("object", lambda env: {"pk": env.selection_b.pk}),
    "appraisals:candidate_add": Case("object", lambda env: {"pk": env.selection_b.pk}),
    "appraisals:candidate_detail": Case("object", b_candidate),
    "appraisals:candidate_decide": Case("object", b_candidate),
    "appraisals:candidate_scores": Case("object", b_candidate),
    "appraisals:candidate_remove": Case("object", b_candidate),
    "reports:report_list": Case("list"),
    "reports:dashboard": Case("list", query={"org": "B"}),
    "reports:dashboard_refresh": Case("object", lambda env: {"org": env.w.branch_b.pk}),
    "reports:report_create": Case("list", query={"org": "B"}),
    "reports:report_detail": Case("object", lambda env: {"pk": env.report_b.pk}),
    "reports:report_edit": Case("object", lambda env: {"pk": env.report_b.pk}),
    "reports:report_compare": Case("object", lambda env: {"pk": env.report_b.pk}),
    "reports:report_redraft": Case("object", lambda env: {"pk": env.report_b.pk}),
    "reports:report_finalize": Case("object", lambda env: {"pk": env.report_b.pk}),
    "reports:file_request": Case("object", lambda env: {"pk": env.report_b.pk}),
    "reports:file_detail": Case("object", lambda env: {"pk": env.report_file_b.pk}),
    "reports:file_progress": Case("object", lambda env: {"pk": env.report_file_b.pk}),
    "reports:file_download": Case("object", lambda env: {"pk": env.report_file_b.pk}),
    # A signed URL is the permission itself (pages that passed the rule hand it out): anyone holding
    # one gets the file; tampered, expired and plain paths are tested in tests/test_media_access.py.
    "media_file": Case("open", lambda env: {"signed": signed_photo_b(env)}),
}


def signed_photo_b(env) -> str:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from portal.media import sign

    name = env.photo_b.image.name
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"\xff\xd8 B's photo"))
    return sign(name)


def jy_org(env):
    return {"pk": env.w.jy.pk}


# The org-keyed cases, pointed one level up: the committee's own page, not B's.
for _name, _case in list(CASES.items()):
    if _case.kind == "object" and _case.kwargs in (b_org,):
        CASES[_name] = replace(_case, ancestor=jy_org)
for _name, _key in (
    ("members:issue_logins", "org_pk"),
    ("pledges:pledge_create_org", "org_pk"),
    ("pledges:board_link_create", "org_pk"),
    ("reports:dashboard_refresh", "org"),
):
    if _key:
        CASES[_name] = replace(CASES[_name], ancestor=lambda env, key=_key: {key: env.w.jy.pk})


def eval_question_b(env):
    return {"pk": env.eval_round_b.pk, "question_pk": env.eval_round_b.questions.first().pk}


def eval_batch_b(env):
    return {"pk": env.eval_round_b.pk, "batch_pk": env.eval_batch_b.pk}


# Nothing is skipped but Django's admin (superusers only, tested on its own), left out in walk().
NOT_WALKED: set[str] = set()


def url_names():
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                if ns != "admin":
                    yield from walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern):
                if pattern.name is None or pattern.name in NOT_WALKED:
                    continue
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return sorted(set(walk(get_resolver().url_patterns)))


@dataclass
class Env:
    w: object
    post_b: LeadershipPost
    contact_b: ContactPoint
    role_b: RoleAssignment
    area_jy: Area
    batch_b: ImportBatch
    notification_b: Notification
    campaign_b: Campaign  # run by branch B itself: a campaign of the committee above reaches A too
    phase_b: Phase
    carrier_b: Carrier
    activity_b: Activity
    photo_b: ActivityPhoto
    rule_b: ComplianceRule  # set by branch B for itself: must not show in A's list of rules
    pledge_b: Pledge = None  # 孙丽's published pledge on branch B's board
    board_link_b: BoardLink = None
    review_b: object = None  # 陈局长's review of branch B (his contact point), with a shortcoming on the ledger
    shortcoming_b: object = None
    item_b: object = None
    attachment_b: object = None
    eval_round_b: object = None  # a mass evaluation run by branch B over itself, with one answer
    eval_response_b: object = None
    eval_batch_b: object = None
    eval_code_b: str = ""
    appraisal_b: object = None  # branch B's member appraisal, graded and decided
    appraisal_entry_b: object = None
    selection_b: object = None  # branch B's own 党员示范岗 selection, 孙丽 honoured
    candidate_b: object = None
    report_b: object = None  # secretary B's report on branch B, with a rendered file
    report_file_b: object = None


@pytest.fixture
def env(world):
    w = world
    env = Env(
        w=w,
        post_b=LeadershipPost.objects.create(org=w.branch_b, member=w.members_b[0], post=Post.SECRETARY),
        contact_b=ContactPoint.objects.get(branch=w.branch_b),
        role_b=RoleAssignment.objects.get(user=w.users.secretary_b, org=w.branch_b),
        area_jy=Area.objects.create(owner=w.jy, name="第一片区"),
        batch_b=ImportBatch.objects.create(
            kind=ImportBatch.Kind.ROSTER,
            original_name="b.xlsx",
            uploaded_by=w.users.secretary_b,
            target_org=w.branch_b,
            status=ImportBatch.Status.PREVIEWED,
        ),
        notification_b=Notification.objects.create(
            recipient=w.users.secretary_b, kind=Notification.Kind.OTHER, message="第二中学党支部有待审核的承诺"
        ),
        campaign_b=(
            campaign_b := Campaign.objects.create(
                org=w.branch_b, name="第二中学党支部主题党日", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
            )
        ),
        phase_b=Phase.objects.create(
            campaign=campaign_b, name="集中学习", starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 31)
        ),
        carrier_b=Carrier.objects.create(campaign=campaign_b, name="第二中学党支部先锋岗"),
        activity_b=(
            activity_b := Activity.objects.create(
                org=w.branch_b, branch=w.branch_b, kind=ActivityKind.ASSEMBLY, held_on=date(2026, 1, 5), title="B大会"
            )
        ),
        photo_b=ActivityPhoto.objects.create(
            activity=activity_b, image="activities/photos/b.jpg", thumbnail="activities/thumbs/b.jpg"
        ),
        rule_b=ComplianceRule.objects.create(owner=w.branch_b, kind=ActivityKind.LECTURE, period=Period.MONTH),
    )
    env.pledge_b = Pledge.objects.create(
        campaign=env.campaign_b,
        owner_member=w.members_b[0],
        org=w.branch_b,
        category=Category.DUTY,
        status=Status.PUBLISHED,
        needs_notes="第二中学党支部走访",
    )
    PledgeItem.objects.create(
        pledge=env.pledge_b, content="孙丽承诺辅导学生", target="每周一次", due_on=date(2026, 6, 30)
    )
    env.board_link_b = BoardLink.objects.create(org=w.branch_b, campaign=env.campaign_b)
    env.review_b = Review.objects.create(
        reviewer=w.leader_member,
        basis="contact_point",
        target_org=w.branch_b,
        target_head=w.members_b[0],
        org=w.branch_b,
        method="on_site",
        held_on=date(2026, 5, 1),
        stage="held",
        achievements="孙丽带头",
    )
    env.shortcoming_b = Shortcoming.objects.create(review=env.review_b, text="第二中学党支部台账不全")
    env.item_b = RectificationItem.objects.create(
        org=w.branch_b,
        owner_member=w.members_b[0],
        problem="第二中学党支部台账不全",
        deadline=date(2026, 6, 1),
        source="review",
        review=env.review_b,
        status="requested",
    )
    evidence_b = Evidence.objects.create(item=env.item_b, text="孙丽补齐了台账")
    env.attachment_b = Attachment.objects.create(evidence=evidence_b, kind="file", file="x/b.pdf", name="b.pdf")
    add_evaluation_b(env)
    add_appraisals_b(env)
    add_reports_b(env)
    return env


def add_reports_b(env):
    from reports.models import RenderedFile
    from reports.services import report_create

    w = env.w
    env.report_b = report_create(
        org=w.branch_b,
        campaign=env.campaign_b,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        template="progress",
        by=w.users.secretary_b,
    )
    env.report_file_b = RenderedFile.objects.create(
        report=env.report_b, version=env.report_b.versions.get(), format="pdf", status="done", file="x/b.pdf"
    )


def add_appraisals_b(env):
    from appraisals import services as appraisal_services
    from appraisals.models import Outcome, Title

    w = env.w
    env.appraisal_b = appraisal_services.appraisal_open(org=w.branch_b, year=2026, by=w.users.secretary_b)
    env.appraisal_entry_b = env.appraisal_b.entries.get(member=w.members_b[0])
    env.selection_b = appraisal_services.selection_create(
        owner=w.branch_b, title=Title.MODEL_POST, name="第二中学党支部示范岗", year=2026, by=w.users.secretary_b
    )
    env.candidate_b = appraisal_services.candidate_add(
        selection=env.selection_b, member=w.members_b[0], deeds="孙丽教书育人", by=w.users.secretary_b
    )
    env.candidate_b.outcome, env.candidate_b.honoured_on = Outcome.HONOURED, date(2026, 6, 1)
    env.candidate_b.save()


def add_evaluation_b(env):
    from datetime import timedelta

    from django.utils import timezone

    from evaluations import codes
    from evaluations.models import Code

    w = env.w
    now = timezone.now()
    env.eval_round_b = round_create(
        owner=w.branch_b,
        title="第二中学党支部群众评议",
        campaign=None,
        targets=[w.branch_b],
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=9),
        allow_open_link=True,
        by=w.users.secretary_b,
    )
    ratings = {q.pk: "satisfied" for q in env.eval_round_b.questions.filter(kind="rating")}
    env.eval_response_b = response_submit_open(
        round=env.eval_round_b, target_org=w.branch_b, ratings=ratings, comment="第二中学党支部服务好"
    )
    env.eval_batch_b = SlipBatch.objects.create(
        round=env.eval_round_b, count=1, site_url="http://testserver", status="done", pdf_name="x/b.pdf"
    )
    env.eval_code_b = codes.new_code()
    Code.objects.create(round=env.eval_round_b, target_org=w.branch_b, code_hash=codes.code_hash(env.eval_code_b))


def test_every_url_is_in_the_table():
    missing = [name for name in url_names() if name not in CASES]
    stale = [name for name in CASES if name not in url_names()]
    assert not missing, f"URLs without an access case: {missing}"
    assert not stale, f"cases for URLs that no longer exist: {stale}"


def _text(response) -> str:
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
        )
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _assert_no_trace_of_b(response, where, *, echoed=()):
    text = _text(response)
    # A search box shows back what was typed; that is not a leak.
    leaked = [marker for marker in B_MARKERS if marker in text and marker not in echoed]
    assert not leaked, f"{where} shows {leaked} to the secretary of branch A"


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.kind == "object"])
def test_objects_of_a_sibling_branch_are_not_found(name, env, client):
    client.force_login(env.w.users.secretary_a)
    url = reverse(name, kwargs=CASES[name].kwargs(env))
    response = client.post(url)
    assert response.status_code == 404, f"POST {url} gave {response.status_code}"
    # A POST-only action may refuse GET before looking anything up (405), but then it must answer
    # the same for an object that does not exist: the status code must not tell them apart.
    response = client.get(url)
    assert response.status_code in (404, 405), f"GET {url} gave {response.status_code}"
    if response.status_code == 405:
        missing = dict.fromkeys(CASES[name].kwargs(env), 99999)
        assert client.get(reverse(name, kwargs=missing)).status_code == 405


def test_superuser_only_pages_are_refused_to_everyone_else(env, client):
    for name in [n for n, c in CASES.items() if c.kind == "superuser"]:
        for user in (env.w.users.staff_zz, env.w.users.secretary_a, env.w.users.member_a):
            client.force_login(user)
            for method in (client.get, client.post):
                assert method(reverse(name)).status_code in (403, 404), (name, user)
        client.force_login(env.w.users.admin)
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.kind == "list"])
def test_lists_and_exports_show_nothing_of_a_sibling_branch(name, env, client):
    client.force_login(env.w.users.secretary_a)
    url = reverse(name)
    case = CASES[name]
    pick = {"A": env.w.branch_a.pk, "B": env.w.branch_b.pk}
    response = client.get(url, {k: pick.get(v, v) for k, v in case.base_query.items()})
    assert response.status_code in (200, 302), f"{url} gave {response.status_code}"
    _assert_no_trace_of_b(response, url)
    query = {k: pick.get(v, v) for k, v in case.query.items()}
    if query:
        response = client.get(url, query)
        assert response.status_code in (200, 302, 404), f"{url}?{query} gave {response.status_code}"
        _assert_no_trace_of_b(response, f"{url}?{query}", echoed=tuple(str(v) for v in query.values()))
        if "org" in query:
            assert response.status_code == 404, f"{url}?{query} must be 404, not {response.status_code}"


@pytest.mark.parametrize(
    "name", [n for n, c in CASES.items() if n not in ("accounts:login", "accounts:logout") and c.kind != "open"]
)
def test_anonymous_visitors_are_sent_to_login(name, env, client):
    case = CASES[name]
    url = reverse(name, kwargs=case.kwargs(env) if case.kwargs else None)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.kind == "open"])
def test_open_pages_answer_anyone_without_a_login(name, env, client):
    """Pages meant for the public (a board behind an unguessable link) answer without a login."""
    response = client.get(reverse(name, kwargs=CASES[name].kwargs(env)))
    assert response.status_code == 200
