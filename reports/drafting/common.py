"""Helpers the sentence, table and document modules share."""

from __future__ import annotations

from .. import phrasing as P
from ..figures import Figures

LAGGING_NAMED = 5  # branches named in a sentence
LAGGING_ROWS = 30  # rows of the lagging table inside the document (the XLSX has them all)


def _short(org) -> str:
    return org.short_name or org.name


def _campaign_name(figures: Figures) -> str:
    return figures.campaign.name if figures.campaign is not None else "创先争优活动"


def _period(figures: Figures) -> dict:
    return {"start": P.arabic_date(figures.start), "end": P.arabic_date(figures.end)}
