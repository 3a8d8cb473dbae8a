"""Tables of the knowledge store. Every table says in its docstring what a row is."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Source(Base):
    """A document or publication that facts in the store come from."""

    __tablename__ = "sources"
    id = Column(Integer, primary_key=True)
    key = Column(String(80), unique=True, nullable=False)
    title = Column(Text, nullable=False)
    publisher = Column(Text, nullable=False)
    cite_as = Column(Text, nullable=False)  # short name shown after "bron:" in answers
    url = Column(Text)
    published = Column(Date, nullable=False)


class Service(Base):
    """A service the assistant signposts to: what it does, for whom, how to reach it."""

    __tablename__ = "services"
    id = Column(Integer, primary_key=True)
    key = Column(String(80), unique=True, nullable=False)
    name = Column(Text, nullable=False)
    what = Column(Text, nullable=False)
    user_groups = Column(JSON, nullable=False)
    needs = Column(JSON, nullable=False)
    website = Column(Text)
    phone = Column(Text)
    chat = Column(Text)
    via = Column(Text)
    opening_hours = Column(Text)
    cost = Column(Text)
    region = Column(Text)
    conditions = Column(Text)
    referral = Column(Text)
    fact_keys = Column(JSON, nullable=False, default=list)  # dated facts shown with the card
    # English and French texts: {language: {field: text}} (content/translations.yml)
    translations = Column(JSON, nullable=False, default=dict)
    source_id = Column(Integer, ForeignKey("sources.id"), nullable=False)
    as_of = Column(Date, nullable=False)
    source = relationship(Source)


class Fact(Base):
    """A dated statement with its source, such as the price of a loopbaancheque."""

    __tablename__ = "facts"
    id = Column(Integer, primary_key=True)
    key = Column(String(80), unique=True, nullable=False)
    text = Column(Text, nullable=False)
    translations = Column(JSON, nullable=False, default=dict)  # {language: text}
    note = Column(Text)
    source_id = Column(Integer, ForeignKey("sources.id"), nullable=False)
    as_of = Column(Date, nullable=False)
    source = relationship(Source)


class CrisisLine(Base):
    """A crisis or safety line, shown in ``position`` order."""

    __tablename__ = "crisis_lines"
    id = Column(Integer, primary_key=True)
    key = Column(String(80), unique=True, nullable=False)
    position = Column(Integer, nullable=False)
    name = Column(Text, nullable=False)
    phone = Column(Text)
    chat = Column(Text)
    hours = Column(Text)
    for_whom = Column(Text)
    source_id = Column(Integer, ForeignKey("sources.id"), nullable=False)
    as_of = Column(Date, nullable=False)
    source = relationship(Source)


class IscoGroup(Base):
    """An ISCO-08 group (1 to 4 digits) with its Dutch label."""

    __tablename__ = "isco_groups"
    code = Column(String(4), primary_key=True)
    label = Column(Text, nullable=False)


class Occupation(Base):
    """An ESCO v1.2 occupation with its Dutch labels and ISCO-08 unit group."""

    __tablename__ = "occupations"
    id = Column(Integer, primary_key=True)
    uri = Column(String(120), unique=True, nullable=False)
    label = Column(Text, nullable=False)
    synonyms = Column(JSON, nullable=False)
    description = Column(Text)
    isco_code = Column(String(4), ForeignKey("isco_groups.code"))
    regulated_note = Column(Text)
    isco_group = relationship(IscoGroup)


class OccupationName(Base):
    """One name under which an occupation or a shortage title can be found by search.

    ``kind`` is ``label``, ``synonym``, ``vdab`` (a shortage title) or ``alias``
    (a reviewed everyday word). ``normalised`` is lowercase without accents.
    """

    __tablename__ = "occupation_names"
    id = Column(Integer, primary_key=True)
    name = Column(Text, nullable=False)
    normalised = Column(Text, nullable=False, index=True)
    stem = Column(Text, nullable=False, index=True)
    kind = Column(String(10), nullable=False)
    occupation_id = Column(Integer, ForeignKey("occupations.id"))
    shortage_id = Column(Integer, ForeignKey("shortage_listings.id"))


class ShortageListing(Base):
    """A title on VDAB's list of shortage occupations (knelpuntberoepen) for a year."""

    __tablename__ = "shortage_listings"
    id = Column(Integer, primary_key=True)
    title = Column(Text, nullable=False)
    sector = Column(Text, nullable=False)
    year = Column(Integer, nullable=False)
    exempt_from_labour_market_test = Column(Boolean, nullable=False)
    source_id = Column(Integer, ForeignKey("sources.id"), nullable=False)
    source = relationship(Source)
    __table_args__ = (UniqueConstraint("title", "year"),)


class ShortageOccupation(Base):
    """That a shortage title covers an ESCO occupation, and how the match was made."""

    __tablename__ = "shortage_occupations"
    shortage_id = Column(Integer, ForeignKey("shortage_listings.id"), primary_key=True)
    occupation_id = Column(Integer, ForeignKey("occupations.id"), primary_key=True, index=True)
    method = Column(String(10), nullable=False)  # exact, synonym, fuzzy, override
    score = Column(Float, nullable=False)


class OccupationFigure(Base):
    """A dated, sourced figure for an occupation (vacancies, jobseekers, wage).

    None ship today: no open source was available. A content editor can add them.
    """

    __tablename__ = "occupation_figures"
    id = Column(Integer, primary_key=True)
    occupation_id = Column(Integer, ForeignKey("occupations.id"), nullable=False)
    kind = Column(String(20), nullable=False)
    value = Column(Float, nullable=False)
    unit = Column(Text, nullable=False)
    period = Column(Text, nullable=False)
    region = Column(Text, nullable=False)
    source_id = Column(Integer, ForeignKey("sources.id"), nullable=False)
    as_of = Column(Date, nullable=False)


class SectorWord(Base):
    """An everyday word for one of VDAB's sector headings ("horeca" -> "Horecaberoepen")."""

    __tablename__ = "sector_words"
    word = Column(String(60), primary_key=True)
    heading = Column(Text, nullable=False)


class BuildInfo(Base):
    """The fingerprint of the content the store was last built from."""

    __tablename__ = "build_info"
    key = Column(String(40), primary_key=True)
    value = Column(Text, nullable=False)
