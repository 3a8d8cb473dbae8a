"""Read the knowledge store: plain data for the assistant, from short sessions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import (
    CrisisLine,
    Fact,
    Occupation,
    OccupationFigure,
    SectorWord,
    Service,
    ShortageListing,
    ShortageOccupation,
    Source,
)
from knowledge.names import normalise_name
from knowledge.translations import SERVICE_FIELDS

SOURCE_DATE_FORMAT = "%m/%Y"


@dataclass(frozen=True)
class Citation:
    """Where a statement comes from and how old it is."""

    publisher: str
    title: str
    cite_as: str  # short name for "bron: ..."
    as_of: str  # month/year


@dataclass(frozen=True)
class ShortageInfo:
    """A VDAB shortage listing."""

    title: str
    sector: str
    year: int
    exempt_from_labour_market_test: bool
    citation: Citation


@dataclass(frozen=True)
class OccupationInfo:
    """What the assistant may say about an occupation."""

    label: str
    description: str | None
    isco_label: str | None
    regulated_note: str | None
    related: list[str]
    shortages: list[ShortageInfo]


@dataclass(frozen=True)
class ServiceCard:
    """A service for signposting, ready to show."""

    key: str
    name: str
    what: str
    how: list[str]
    cost: str | None
    conditions: str | None
    referral: str | None
    for_group: bool
    citation: Citation
    facts: list[tuple[str, Citation]]

    @property
    def details(self) -> str:
        """How to reach the service and what it costs, the conditions, the warm referral."""
        reach = " · ".join(self.how + ([self.cost] if self.cost else []))
        return "\n".join(part for part in (reach, self.conditions, self.referral) if part)


def _citation(source: Source, as_of) -> Citation:
    return Citation(
        source.publisher, source.title, source.cite_as, as_of.strftime(SOURCE_DATE_FORMAT)
    )


def _shortage_info(listing: ShortageListing) -> ShortageInfo:
    return ShortageInfo(
        title=listing.title,
        sector=listing.sector,
        year=listing.year,
        exempt_from_labour_market_test=listing.exempt_from_labour_market_test,
        citation=_citation(listing.source, listing.source.published),
    )


def occupation_info(session: Session, occupation_id: int, related: int = 3) -> OccupationInfo:
    """The occupation, its shortage listings and a few occupations of the same ISCO group."""
    occupation = session.get(Occupation, occupation_id)
    listings = session.scalars(
        select(ShortageListing)
        .join(ShortageOccupation, ShortageOccupation.shortage_id == ShortageListing.id)
        .where(ShortageOccupation.occupation_id == occupation_id)
    ).all()
    neighbours: list[str] = []
    if occupation.isco_code:
        neighbours = list(
            session.scalars(
                select(Occupation.label)
                .where(Occupation.isco_code == occupation.isco_code)
                .where(Occupation.id != occupation_id)
                .order_by(Occupation.label)
                .limit(related)
            )
        )
    return OccupationInfo(
        label=occupation.label,
        description=occupation.description,
        isco_label=occupation.isco_group.label if occupation.isco_group else None,
        regulated_note=occupation.regulated_note,
        related=neighbours,
        shortages=[_shortage_info(listing) for listing in listings],
    )


def shortage_listing(session: Session, shortage_id: int) -> ShortageInfo:
    return _shortage_info(session.get(ShortageListing, shortage_id))


def shortages_in_sector(session: Session, heading: str, year: int = 2026) -> list[ShortageInfo]:
    """Every shortage listing under a VDAB sector heading."""
    listings = session.scalars(
        select(ShortageListing)
        .where(ShortageListing.sector == heading, ShortageListing.year == year)
        .order_by(ShortageListing.title)
    )
    return [_shortage_info(listing) for listing in listings]


def _fact_text(row: Fact, language: str | None) -> str:
    """The fact in ``language`` where it is translated, else in Dutch."""
    return (row.translations or {}).get(language) or row.text


def _service_texts(service: Service, language: str | None) -> dict[str, str | None]:
    """The service's texts in ``language`` where translated, else in Dutch."""
    translated = (service.translations or {}).get(language) or {}
    return {name: translated.get(name) or getattr(service, name) for name in SERVICE_FIELDS}


def _cards(
    session: Session, services: list[Service], user_group: str | None, language: str | None
) -> list[ServiceCard]:
    fact_keys = {key for service in services for key in service.fact_keys or []}
    facts = {
        row.key: (_fact_text(row, language), _citation(row.source, row.as_of))
        for row in session.scalars(select(Fact).where(Fact.key.in_(fact_keys)))
    }
    cards = []
    for service in services:
        text = _service_texts(service, language)
        how = [part for part in (service.website, service.phone, service.chat, text["via"]) if part]
        if text["opening_hours"]:
            how.append(text["opening_hours"])
        cards.append(
            ServiceCard(
                key=service.key,
                name=service.name,
                what=text["what"],
                how=how,
                cost=text["cost"],
                conditions=text["conditions"],
                referral=text["referral"],
                for_group=bool(user_group and user_group in service.user_groups),
                citation=_citation(service.source, service.as_of),
                facts=[facts[key] for key in service.fact_keys or [] if key in facts],
            )
        )
    return cards


def best_services(
    session: Session, user_group: str | None, need: str, limit: int = 3, language: str | None = None
) -> list[ServiceCard]:
    """One to three services for this need, those meant for this user group first, in
    ``language`` (en, fr) where translated, else in Dutch."""
    services = [s for s in session.scalars(select(Service).order_by(Service.id)) if need in s.needs]
    if user_group and any(user_group in s.user_groups for s in services):
        # Only services for this group, the most specific (fewest groups) first.
        services = sorted(
            (s for s in services if user_group in s.user_groups), key=lambda s: len(s.user_groups)
        )
    else:
        services.sort(key=lambda s: -len(s.user_groups))
    return _cards(session, services[:limit], user_group, language)


def all_services(session: Session, user_group: str | None = None) -> list[ServiceCard]:
    """Every service, those meant for this user group first (the console's card picker)."""
    services = list(session.scalars(select(Service).order_by(Service.name)))
    services.sort(key=lambda s: not (user_group and user_group in s.user_groups))
    return _cards(session, services, user_group, None)


def fact(session: Session, key: str, language: str | None = None) -> tuple[str, Citation] | None:
    """A dated fact (in ``language`` where translated) and its citation, or None."""
    row = session.scalars(select(Fact).where(Fact.key == key)).one_or_none()
    return (_fact_text(row, language), _citation(row.source, row.as_of)) if row else None


def crisis_lines(session: Session) -> list[CrisisLine]:
    return list(session.scalars(select(CrisisLine).order_by(CrisisLine.position)))


def sector_heading(session: Session, word: str) -> str | None:
    """VDAB's sector heading for an everyday word such as "horeca", or None."""
    row = session.get(SectorWord, normalise_name(word))
    return row.heading if row else None


def occupation_figures(session: Session, occupation_id: int, kind: str) -> list[OccupationFigure]:
    """Dated, sourced figures of one kind (vacancies, jobseekers, wage); none ship today."""
    return list(
        session.scalars(
            select(OccupationFigure).where(
                OccupationFigure.occupation_id == occupation_id, OccupationFigure.kind == kind
            )
        )
    )
