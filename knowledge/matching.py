"""Map VDAB shortage titles to ESCO occupations: override, exact, synonym, then fuzzy."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from knowledge.names import normalise_name

FUZZY_CUTOFF = 0.88


@dataclass(frozen=True)
class EscoName:
    """A name of an ESCO occupation: its preferred label or a synonym."""

    uri: str
    normalised: str
    is_label: bool


@dataclass(frozen=True)
class TitleMatch:
    """The ESCO occupations a VDAB title covers, and how they were found."""

    title: str
    uris: tuple[str, ...]
    method: str  # override, exact, synonym, fuzzy, none
    score: float


def title_variants(title: str) -> list[str]:
    """Ways a VDAB title may be written in ESCO.

    "Apotheker: ziekenhuisapotheker" -> itself, "ziekenhuisapotheker", "apotheker";
    "Kamerjongen-Kamermeisje" -> itself, "kamerjongen", "kamermeisje".
    """
    variants = [title]
    if ":" in title:
        head, tail = (part.strip() for part in title.split(":", 1))
        variants += [tail, head]
    for part in re.split(r"\s*-\s*(?=[A-Z])|\s+-\s+", title):
        if part and part != title:
            variants.append(part)
    return [normalise_name(v) for v in dict.fromkeys(variants)]


class EscoIndex:
    """Exact and fuzzy look-up of ESCO names."""

    def __init__(self, names: list[EscoName]) -> None:
        self.by_name: dict[str, list[EscoName]] = {}
        for name in names:
            self.by_name.setdefault(name.normalised, []).append(name)
        self.all_names = list(self.by_name)

    def match(self, title: str, override: str | None, has_override: bool) -> TitleMatch:
        if has_override:
            return TitleMatch(title, (override,) if override else (), "override", 1.0)
        variants = title_variants(title)
        for want_label, method in ((True, "exact"), (False, "synonym")):
            for variant in variants:
                uris = tuple(
                    dict.fromkeys(
                        n.uri for n in self.by_name.get(variant, []) if n.is_label == want_label
                    )
                )
                if uris:
                    return TitleMatch(title, uris, method, 1.0 if want_label else 0.97)
        best: tuple[float, str] | None = None
        for variant in variants:
            for candidate in difflib.get_close_matches(variant, self.all_names, 1, FUZZY_CUTOFF):
                score = difflib.SequenceMatcher(None, variant, candidate).ratio()
                if best is None or score > best[0]:
                    best = (score, candidate)
        if best:
            uris = tuple(dict.fromkeys(n.uri for n in self.by_name[best[1]]))
            return TitleMatch(title, uris, "fuzzy", round(best[0], 3))
        return TitleMatch(title, (), "none", 0.0)
