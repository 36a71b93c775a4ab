"""What the demo builders share while they run: the random source, the demo date, what was made."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from .people import People
from .tree import Node, Unit

# The demo world stands where the source reports do: late 2010, in the middle of 创先争优.
AS_OF = date(2010, 11, 30)
DEFAULT_SEED = 2010
HISTORY_NOTE = "seed_demo"


@dataclass
class SeedContext:
    seed: int = DEFAULT_SEED
    as_of: date = AS_OF
    # Campaigns, pledges and activities are dated around the real today, so the demo is "in progress".
    today: date = field(default_factory=timezone.localdate)
    log: object = print
    rng: random.Random = field(init=False)
    people_maker: People = field(init=False)
    units: dict[str, Unit] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)  # by handle
    people: dict = field(default_factory=dict)  # Member by handle
    posts: list = field(default_factory=list)  # unsaved LeadershipPost rows
    users: dict = field(default_factory=dict)  # User by username

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.people_maker = People(self.rng, self.as_of)

    def node(self, handle: str) -> Node:
        return self.nodes[handle]

    def all_nodes(self):
        for unit in self.units.values():
            yield from unit.root.walk()
