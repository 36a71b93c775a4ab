"""The planned org tree of a unit, before it is written: nodes, named people, exact apportioning."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from branches.models import Organization, OrgKind


@dataclass
class Named:
    """A person the source text names (or the demo needs to find again), created first in a node."""

    name: str
    gender: str  # "male" / "female"
    handle: str = ""  # ctx.people[handle] finds the Member later
    age: int | None = None
    work_unit: str = ""


@dataclass
class Node:
    name: str
    kind: str = OrgKind.BRANCH
    category: str = ""
    profile: str = "organ"  # how its people look (see people.PROFILES)
    members: int = 0  # party members directly in this org
    pipeline: int = 0  # applicants / activists / candidates directly in this org
    short_name: str = ""
    work_unit: str = ""  # the employer its members' "work unit" names; defaults from the name
    is_joint: bool = False
    is_temporary: bool = False
    founded_on: date | None = None
    dissolved_on: date | None = None
    is_active: bool = True
    with_posts: bool = True
    handle: str = ""
    named: list[Named] = field(default_factory=list)
    # Named post holders: post -> Member handle; the rest are chosen from the subtree.
    post_holders: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    # Filled when written.
    code: str = ""
    org: Organization | None = None
    people: list = field(default_factory=list)
    posts: dict = field(default_factory=dict)  # Post -> Member, once chosen

    def add(self, *nodes: Node) -> Node:
        self.children.extend(nodes)
        return nodes[-1] if nodes else self

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def descendants(self):
        for child in self.children:
            yield from child.walk()

    @property
    def employer(self) -> str:
        if self.work_unit:
            return self.work_unit
        for suffix in ("联合党支部", "临时党支部", "党支部", "党总支", "机关党委", "党委", "党工委"):
            if self.name.endswith(suffix):
                return self.name[: -len(suffix)]
        return self.name


@dataclass
class Unit:
    """One of the five source units: a separate tree with its own place and people."""

    key: str  # "zhouzhi"
    code: str  # root org code, "ZZ"
    title: str  # the report's name for it
    root: Node
    pipeline: int = 0  # people in the development pipeline spread over its branches
    extras: dict = field(default_factory=dict)


def apportion(total: int, weights: list[float], *, minimum: int = 0) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder), each >= minimum."""
    n = len(weights)
    if n == 0:
        if total:
            raise ValueError("nothing to apportion into")
        return []
    rest = total - minimum * n
    if rest < 0:
        raise ValueError(f"{total} is less than {n} x {minimum}")
    weight_sum = sum(weights)
    shares = [rest * w / weight_sum for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(n), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: rest - sum(counts)]:
        counts[i] += 1
    return [c + minimum for c in counts]


def jitter(rng: random.Random, weights: list[float], spread: float = 0.35) -> list[float]:
    return [w * rng.uniform(1 - spread, 1 + spread) for w in weights]


def founded(rng: random.Random, first_year: int, last_year: int) -> date:
    return date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))
