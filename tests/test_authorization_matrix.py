"""The authorization matrix: every URL of the URL conf × every role × (own object, a sibling
branch's object, the ancestor's object, anonymous) answers the expected status.

Built on tests/test_url_access.py: its CASES list every URL (a URL missing there fails
``test_every_url_is_in_the_table``) and its ``env`` fixture holds an object of branch B behind
each URL. The roles are taken relative to that object:

    superuser                              admin          manages everything
    staff of the root committee (州直机关工委) staff_zz       manages B (an ancestor's staff)
    staff of the committee above (州教育局党委) staff_jy       manages B
    the object's own branch secretary      secretary_b    manages B: B's object is their own
    a sibling branch's secretary           secretary_a    B's object is a sibling's: 404
    a member of the sibling branch         member_a       404
    the contact-point leader of B          leader_c       404 but for what the contact point opens
    a user without roles                   outsider       404
    staff of another tree (镇江路街道党工委)   staff_zjl      404

The ancestor's object (州教育局党委 itself, for the org-keyed URLs: Case.ancestor) is managed by the
staff above and the superuser, and not found for B's own secretary. Anonymous visitors are sent to
the login page; public and open pages answer everyone.

Managers only GET (a POST would change the object); those refused also POST, which must refuse
the same (404) without changing anything. One test per URL, its failures naming role and object.
"""

import pytest
from django.urls import reverse

from tests.test_url_access import CASES, _assert_no_trace_of_b
from tests.test_url_access import env as env  # the fixture of B's objects

MANAGERS = ("admin", "staff_zz", "staff_jy", "secretary_b")
REFUSED = ("secretary_a", "member_a", "leader_c", "outsider", "staff_zjl")
ROLES = {
    "admin": "superuser",
    "staff_zz": "staff of the root committee",
    "staff_jy": "staff of the committee above",
    "secretary_b": "the object's own branch secretary",
    "secretary_a": "a sibling branch's secretary",
    "member_a": "a member of the sibling branch",
    "leader_c": "the contact-point leader",
    "outsider": "a user without roles",
    "staff_zjl": "staff of another tree",
}
MANAGED = (200, 204, 302, 405)  # 204: a progress poll with nothing new; 405: a POST-only action asked with GET
# Where the object's state or its owner, not the managing role, decides what a manager meets.
NOT_THE_MANAGERS = {
    # B's pledge is published: edited only by its author before that, progress only by its owner.
    "pledges:pledge_edit": (403,),
    "pledges:progress_add": (403,),
    # A review is edited and recorded by its reviewer (陈局长, the contact-point leader) alone.
    "reviews:review_edit": (404,),
    "reviews:review_record": (404,),
    # Votes are cast by the members of the branch while voting is open, not by its managers.
    "appraisals:vote": (404,),
}
# Per role: a user's own account is not reset through the managers' page.
NOT_FOR = {("accounts:reset_password", "secretary_b"): (404,)}
# The object of these is the committee's (州教育局党委's area), so B's secretary is refused.
COMMITTEE_OBJECT = {"branches:area_create", "branches:area_edit"}
# Compliance rules are set by committees: a branch's secretary does not edit one, even on their own branch.
NOT_FOR[("activities:rule_edit", "secretary_b")] = (404,)
# What the contact-point leader (陈局长, reviewer of B) opens of the branch in their charge: the
# branch's pages read-only, and the review they hold with its rectification ledger.
LEADER_OPENS = {
    "branches:org_detail": (200,),
    "branches:org_children": (200,),
    "members:member_detail": (200,),
    "activities:activity_detail": (200,),
    "activities:calendar": (200,),
    "campaigns:campaign_detail": (200,),
    "pledges:pledge_detail": (200,),
    "pledges:pledge_edit": (403,),  # seen, so refused rather than not found
    "pledges:progress_add": (403,),
    "pledges:pledge_move": (403, 405),
    "pledges:board": (200,),
    "pledges:board_poster": (200,),
    "appraisals:round_detail": (200,),
    "appraisals:entry_detail": (200,),
    "appraisals:selection_detail": (200,),
    "appraisals:candidate_detail": (200,),
    "evaluations:round_detail": (200,),
    "evaluations:results": (200,),
    "evaluations:results_export": (200,),
    "reports:report_detail": (200,),
    "reports:report_compare": (302,),
    "reports:dashboard_refresh": (405,),  # they read B's dashboard, so may count it again (POST)
    "reports:file_request": (302, 405),
    "reports:file_detail": (200,),
    "reports:file_progress": (200, 204),
    "reports:file_download": (200,),
    "reviews:review_detail": (200,),
    "reviews:review_edit": (404,),  # editable only while planned; B's review has been held
    "reviews:review_record": (200, 302),
    "reviews:review_announce": (302, 405),
    "reviews:rectify": (302, 405),
    "reviews:item_detail": (200,),
    "reviews:item_move": (302, 405),
    "reviews:attachment": (200,),
}


@pytest.fixture
def stored_files(settings, tmp_path):
    """The files B's objects name (evidence, a rendered report, a code sheet), so downloads answer."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVALUATION_SLIPS_ROOT = tmp_path / "private"
    for root in (settings.MEDIA_ROOT, settings.EVALUATION_SLIPS_ROOT):
        (root / "x").mkdir(parents=True)
        (root / "x" / "b.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")


def _url(name, kwargs):
    return reverse(name, kwargs=kwargs)


def _check_refused(client, url, who, what, failures):
    for method in ("get", "post"):
        status = getattr(client, method)(url).status_code
        allowed = (404, 405) if method == "get" else (404,)
        if status not in allowed:
            failures.append(f"{method.upper()} {url} as {who} on {what}: {status}, expected 404")


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.kind == "object"))
def test_object_urls(name, env, client, stored_files):
    case = CASES[name]
    users = env.w.users
    failures = []
    url = _url(name, case.kwargs(env))
    client.raise_request_exception = False  # a download of a file the env does not store
    for username in MANAGERS:
        if username == "secretary_b" and name in COMMITTEE_OBJECT:
            client.force_login(users.secretary_b)
            _check_refused(client, url, ROLES[username], "the committee's object", failures)
            continue
        client.force_login(getattr(users, username))
        status = client.get(url).status_code
        expected = NOT_FOR.get((name, username)) or NOT_THE_MANAGERS.get(name) or MANAGED
        if status not in expected:
            failures.append(f"GET {url} as {ROLES[username]} on branch B's object: {status}, expected {expected}")
    for username in REFUSED:
        client.force_login(getattr(users, username))
        if username == "leader_c" and name in LEADER_OPENS:
            for method in ("get", "post") if name.endswith(("_detail", "board", "results")) else ("get",):
                status = getattr(client, method)(url).status_code
                if status not in LEADER_OPENS[name] + (405,):
                    failures.append(
                        f"{method.upper()} {url} as {ROLES[username]}: {status}, expected {LEADER_OPENS[name]}"
                    )
            continue
        _check_refused(client, url, ROLES[username], "branch B's object", failures)
    if case.ancestor:
        up = _url(name, case.ancestor(env))
        for username in ("admin", "staff_zz", "staff_jy"):
            client.force_login(getattr(users, username))
            status = client.get(up).status_code
            if status not in MANAGED:
                failures.append(f"GET {up} as {ROLES[username]} on the ancestor's object: {status}")
        for username in ("secretary_b", *REFUSED):
            client.force_login(getattr(users, username))
            _check_refused(client, up, ROLES[username], "the ancestor's object", failures)
    client.logout()
    response = client.get(url)
    if response.status_code != 302 or not response["Location"].startswith(reverse("accounts:login")):
        failures.append(f"GET {url} anonymous: {response.status_code}, expected a redirect to login")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.kind != "object"))
def test_other_urls(name, env, client):
    """Lists and exports: every logged-in role gets an answer and, unless it manages B or is B's
    contact-point leader, no trace of B. Superuser pages: the superuser only. Public: everyone."""
    case = CASES[name]
    users = env.w.users
    url = _url(name, case.kwargs(env) if case.kwargs else None)
    failures = []
    pick = {"A": env.w.branch_a.pk, "B": env.w.branch_b.pk}
    query = {k: pick.get(v, v) for k, v in case.base_query.items()}
    for username, role in ROLES.items():
        client.force_login(getattr(users, username))
        response = client.get(url, query)
        status = response.status_code
        if case.kind == "superuser":
            expected = (200,) if username == "admin" else (403, 404)
        elif case.kind in ("public", "open"):
            # 404: the page is the user's own member record's (my activities, my pledge), and
            # these users have none; the blank import template is for managers.
            expected = (200, 302, 405) if name in ("accounts:login", "accounts:logout") else (200, 302, 404, 405)
        else:
            expected = (200, 302, 403, 404)
        if status not in expected:
            failures.append(f"GET {url} as {role}: {status}, expected {expected}")
        elif case.kind == "list" and status == 200 and username in REFUSED and username != "leader_c":
            try:
                # Staff of the other tree see their own tree (镇江路街道党工委, 郑阿姨), never B.
                own = ("镇江路街道党工委", "郑阿姨") if username == "staff_zjl" else ()
                _assert_no_trace_of_b(response, f"{url} as {role}", echoed=own)
            except AssertionError as error:
                failures.append(str(error))
    client.logout()
    response = client.get(url)
    if name in ("accounts:login", "accounts:logout") or case.kind == "open":
        if response.status_code not in (200, 302, 405):
            failures.append(f"GET {url} anonymous: {response.status_code}")
    elif response.status_code != 302 or not response["Location"].startswith(reverse("accounts:login")):
        failures.append(f"GET {url} anonymous: {response.status_code}, expected a redirect to login")
    assert not failures, "\n".join(failures)
