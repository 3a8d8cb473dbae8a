"""Lookups in the knowledge store for the action server.

Each lookup is one short session in a worker thread (``database.in_transaction``) and
returns plain data. Any database failure becomes KnowledgeUnavailable, so that an action
can answer that the information cannot be looked up right now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

import database
from knowledge.models import OccupationFigure
from knowledge.repository import (
    Citation,
    OccupationInfo,
    ServiceCard,
    ShortageInfo,
    best_services,
    fact,
    occupation_figures,
    occupation_info,
    sector_heading,
    shortage_listing,
    shortages_in_sector,
)
from knowledge.search import (
    OccupationMatch,
    find_occupation_in_text,
    find_occupations,
    is_ambiguous,
)

T = TypeVar("T")

FIGURE_KINDS = ("vacancies", "jobseekers", "wage")


class KnowledgeUnavailable(RuntimeError):
    """The knowledge store cannot be reached or read right now."""


@dataclass(frozen=True)
class OccupationFacts:
    """What the store says about one occupation, as far as the question needs it."""

    match: OccupationMatch
    info: OccupationInfo | None = None  # occupation_info
    listing: ShortageInfo | None = None  # occupation_info, occupation_prospects
    figures: list[OccupationFigure] = field(default_factory=list)  # occupation_wage


@dataclass(frozen=True)
class OccupationLookup:
    """The occupations a text may name; the facts of the first when it is clear which."""

    matches: list[OccupationMatch]
    facts: OccupationFacts | None  # None: nothing found, or too close to choose


async def _read(work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return await database.in_transaction(database.knowledge_sessions(), work, *args, **kwargs)
    except SQLAlchemyError as error:
        raise KnowledgeUnavailable(type(error).__name__) from error


async def services(user_group: str | None, need: str, limit: int = 3) -> list[ServiceCard]:
    """One to three services for ``need``, those meant for ``user_group`` first."""
    return await _read(best_services, user_group, need, limit=limit)


async def dated_fact(key: str) -> tuple[str, Citation] | None:
    """A dated fact and its citation, or None."""
    return await _read(fact, key)


def _sector_shortages(session: Session, word: str) -> tuple[str | None, list[ShortageInfo]]:
    heading = sector_heading(session, word)
    return heading, shortages_in_sector(session, heading) if heading else []


async def sector_shortages(word: str) -> tuple[str | None, list[ShortageInfo]]:
    """VDAB's heading for a sector word ("horeca") and its shortage listings."""
    return await _read(_sector_shortages, word)


def _occupation_facts(session: Session, topic: str, match: OccupationMatch) -> OccupationFacts:
    info = listing = None
    figures: list[OccupationFigure] = []
    if topic == "occupation_info" and match.occupation_id:
        info = occupation_info(session, match.occupation_id)
    if topic in ("occupation_info", "occupation_prospects") and match.shortage_id is not None:
        listing = shortage_listing(session, match.shortage_id)
    if topic == "occupation_wage" and match.occupation_id:
        for kind in FIGURE_KINDS:
            figures += occupation_figures(session, match.occupation_id, kind)
    return OccupationFacts(match, info, listing, figures)


def _look_up_occupation(session: Session, text: str, topic: str, in_text: bool) -> OccupationLookup:
    matches = find_occupation_in_text(session, text) if in_text else find_occupations(session, text)
    if not matches or is_ambiguous(matches):
        return OccupationLookup(matches, None)
    return OccupationLookup(matches, _occupation_facts(session, topic, matches[0]))


async def occupation(text: str, topic: str, in_text: bool = False) -> OccupationLookup:
    """The occupation named by ``text`` (or somewhere in a message, with ``in_text``) and
    what ``topic`` needs to know about it."""
    return await _read(_look_up_occupation, text, topic, in_text)
