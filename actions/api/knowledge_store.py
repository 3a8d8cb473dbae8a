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


class KnowledgeUnavailable(RuntimeError):
    """The knowledge store cannot be reached or read right now."""


@dataclass(frozen=True)
class OccupationFacts:
    """What the store says about one occupation, as far as the question needs it."""

    match: OccupationMatch
    info: OccupationInfo | None = None
    listing: ShortageInfo | None = None  # None also when it is no shortage occupation
    figures: list[OccupationFigure] = field(default_factory=list)


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


async def services(
    user_group: str | None, need: str, limit: int = 3, language: str | None = None
) -> list[ServiceCard]:
    """One to three services for ``need``, those meant for ``user_group`` first, with
    their texts in ``language`` where the store has them."""
    return await _read(best_services, user_group, need, limit=limit, language=language)


async def dated_fact(key: str, language: str | None = None) -> tuple[str, Citation] | None:
    """A dated fact (in ``language`` where the store has it) and its citation, or None."""
    return await _read(fact, key, language)


def _sector_shortages(session: Session, word: str) -> tuple[str | None, list[ShortageInfo]]:
    heading = sector_heading(session, word)
    return heading, shortages_in_sector(session, heading) if heading else []


async def sector_shortages(word: str) -> tuple[str | None, list[ShortageInfo]]:
    """VDAB's heading for a sector word ("horeca") and its shortage listings."""
    return await _read(_sector_shortages, word)


def _look_up_occupation(
    session: Session,
    text: str,
    in_text: bool,
    info: bool,
    listing: bool,
    figure_kinds: tuple[str, ...],
) -> OccupationLookup:
    matches = find_occupation_in_text(session, text) if in_text else find_occupations(session, text)
    if not matches or is_ambiguous(matches):
        return OccupationLookup(matches, None)
    match = matches[0]
    occupation_id, shortage_id = match.occupation_id, match.shortage_id
    figures: list[OccupationFigure] = []
    for kind in figure_kinds if occupation_id else ():
        figures += occupation_figures(session, occupation_id, kind)
    about = occupation_info(session, occupation_id) if info and occupation_id else None
    listed = shortage_listing(session, shortage_id) if listing and shortage_id is not None else None
    return OccupationLookup(matches, OccupationFacts(match, about, listed, figures))


async def occupation(
    text: str,
    in_text: bool = False,
    *,
    info: bool = False,
    listing: bool = False,
    figure_kinds: tuple[str, ...] = (),
) -> OccupationLookup:
    """The occupation named by ``text`` (or somewhere in a message, with ``in_text``);
    when it is clear which, what the question needs: its description and related
    occupations (``info``), its shortage listing (``listing``), its dated figures."""
    return await _read(_look_up_occupation, text, in_text, info, listing, figure_kinds)
