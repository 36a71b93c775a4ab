"""Leadership posts (书记、副书记、委员) for every org, chosen from its own people or its subtree."""

from __future__ import annotations

from datetime import date, timedelta

from branches.models import LeadershipPost, OrgKind, Post
from members.models import Stage

from .context import SeedContext
from .tree import Node, Unit

NUMERALS = "一二三四五六七八九十"
KIND_WORD = {
    OrgKind.BRANCH: "党支部",
    OrgKind.GENERAL_BRANCH: "党总支",
    OrgKind.COMMITTEE: "党委",
    OrgKind.WORKING_COMMITTEE: "党工委",
}
POST_WORD = {
    Post.SECRETARY: "书记",
    Post.DEPUTY_SECRETARY: "副书记",
    Post.ORGANIZATION: "组织委员",
    Post.PUBLICITY: "宣传委员",
    Post.DISCIPLINE: "纪检委员",
}
TERM_YEARS = {OrgKind.BRANCH: 3, OrgKind.GENERAL_BRANCH: 3, OrgKind.COMMITTEE: 5, OrgKind.WORKING_COMMITTEE: 5}


def term_name(n: int) -> str:
    if n <= 10:
        return f"第{NUMERALS[n - 1]}届"
    return f"第十{NUMERALS[n - 11]}届"


def posts_for(node: Node) -> list[str]:
    if node.kind != OrgKind.BRANCH:
        return [Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.ORGANIZATION, Post.PUBLICITY, Post.DISCIPLINE]
    n = node.members
    if n < 7:  # fewer than seven members elect no branch committee, only a secretary
        return [Post.SECRETARY]
    posts = [Post.SECRETARY, Post.ORGANIZATION, Post.PUBLICITY]
    if n >= 15:
        posts.append(Post.DISCIPLINE)
    if n >= 30:
        posts.insert(1, Post.DEPUTY_SECRETARY)
    return posts


def _pool(node: Node) -> list:
    """Who may hold the posts: the org's own members, else its subtree's, nearest first."""
    own = [m for m in node.people if m.stage == Stage.FULL]
    if own:
        return own
    pool = []
    for child in node.descendants():
        pool.extend(m for m in child.people if m.stage == Stage.FULL and not m.is_retired)
        if len(pool) >= 40:
            break
    return pool


def _rank(member, as_of: date) -> tuple:
    age = (as_of - member.birth_date).days // 365
    prime = 35 <= age <= 58
    return (member.is_retired, not prime, member.is_frail, member.joined_on)


def plan_posts(ctx: SeedContext, unit: Unit) -> None:
    rng = ctx.rng
    for node in unit.root.walk():
        if not node.with_posts or node.kind == OrgKind.GROUP:
            continue
        pool = _pool(node)
        if not pool:
            continue
        holders: dict[str, object] = {post: ctx.people[h] for post, h in node.post_holders.items()}
        taken = {id(m) for m in holders.values()}
        busy = [m for m in pool if m.party_post]
        free = sorted((m for m in pool if not m.party_post), key=lambda m: _rank(m, ctx.as_of))
        # The secretary is the longest-standing member in their prime; committee seats are shuffled.
        candidates = free[:1] + rng.sample(free[1:], len(free) - 1) + busy
        for post in posts_for(node):
            if post in holders:
                continue
            for member in candidates:
                if id(member) not in taken:
                    holders[post] = member
                    taken.add(id(member))
                    break
        _record(ctx, node, holders)


def _record(ctx: SeedContext, node: Node, holders: dict) -> None:
    rng = ctx.rng
    years = TERM_YEARS[node.kind]
    if node.founded_on and node.founded_on.year >= ctx.as_of.year - years:
        term, started = 1, node.founded_on
    else:
        term = rng.randint(2, 9)
        started = ctx.as_of - timedelta(days=rng.randrange(60, 365 * years - 30))
    word = KIND_WORD[node.kind]
    node.posts = {}
    for post, member in holders.items():
        ctx.posts.append(
            LeadershipPost(org=node.org, member=member, post=post, term=term_name(term), started_on=started)
        )
        node.posts[post] = member
        if node.handle:
            ctx.people[f"{node.handle}.{post}"] = member
        own = any(member is m for m in node.people)
        text = f"{word}{POST_WORD[post]}" if own else f"{node.org.short_name or node.name}{POST_WORD[post]}"
        member.party_post = "、".join(filter(None, [member.party_post, text]))[:60]
