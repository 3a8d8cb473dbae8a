"""Where a person lives: street addresses and postcodes with their place.

A street is recognised by its ending ("Kerkstraat 12", "Kortrijksesteenweg 5 bus 3") or,
for the many streets without one ("Markt 5", "Meir 12", "Oude Baan 7"), by what comes
before it ("ik woon op", "mijn adres is", "I live at", "j'habite") or by "nr"/"bus" after.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from privacy.numbers import is_helpline

Span = tuple[int, int, str]

# Endings that make a street in any case ("kerkstraat 12"), and endings that are everyday
# words too ("loopbaan 2 jaar", "een baan 3 dagen", "op plaats 2"): only capitalised.
_STREET_WORDS = (
    r"straat|straatje|laan|lei|steenweg|weg|plein|pleintje|dreef|kaai|dijk|pad|hof|markt|"
    r"vest|singel|boulevard|dries|kouter|gracht|rue|avenue|chaussée|street|road|lane|square"
)
_CAPITALISED_STREET_WORDS = r"baan|berg|veld|wal|ring|plaats|park|hoek|place|meir|kouter"
_NUMBER = (
    r"(?:nr\.?\s*|nummer\s+|n°\s*|no\.?\s+)?\d{1,4}(?:\s?[a-zA-Z](?!\p{L}))?"
    r"(?:\s*(?:bus|b|/|bte|boîte)\.?\s*\d{1,4}[a-zA-Z]?(?!\p{L}))?(?!\d)"
)
_CAP_WORD = r"(?-i:\p{Lu})[\p{L}'’-]+"
# "Kerkstraat 12", "Grote Markt nr 4", "Oude Baan 7 bus 3", "rue de la Loi 16".
_BY_ENDING = regex.compile(
    rf"(?:{_CAP_WORD}\s+(?:(?:de|la|du|des|van|der|den|l')\s*)*){{0,3}}"
    rf"(?:[\p{{L}}'’-]{{2,}}(?:{_STREET_WORDS})|(?-i:\p{{Lu}})[\p{{L}}'’-]*(?:{_CAPITALISED_STREET_WORDS}))"
    rf"\s+{_NUMBER}",
    regex.I,
)
# French streets name their kind first: "rue de la Loi 16", "avenue Louise 54".
_FRENCH = regex.compile(
    rf"\b(?:rue|avenue|av\.|chaussée|boulevard|bd|place|quai|chemin|impasse|allée|drève)\s+"
    rf"(?:(?:de|du|des|la|le|l'|d')\s*)*{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}},?\s+{_NUMBER}",
    regex.I,
)
_BY_CONTEXT = regex.compile(
    rf"(?:\bwoon(?:t|en)?|\bverhuisd|\badres(?:\s+is)?:?|\blive|\baddress(?:\s+is)?:?|"
    rf"\bhabite|\badresse(?:\s+est)?:?|\bzit|\bkot)"
    rf"\s+(?:(?:in|op|aan|at|on|à|au|dans)\s+)?(?:(?:de|het|'t|the|la|le|l')\s+)?"
    rf"((?:{_CAP_WORD}\s+){{0,3}}{_CAP_WORD}\s+{_NUMBER})",
    regex.I,
)
_BY_HOUSE_NUMBER = regex.compile(
    rf"((?:{_CAP_WORD}\s+){{0,3}}{_CAP_WORD}\s+(?:nr\.?|nummer|n°)\s*\d{{1,4}}[a-zA-Z]?"
    rf"(?:\s*(?:bus|bte)\s*\d{{1,4}})?|(?:{_CAP_WORD}\s+){{0,3}}{_CAP_WORD}\s+\d{{1,4}}[a-zA-Z]?"
    rf"\s*(?:bus|bte)\s*\d{{1,4}})",
)

# Words after four digits that make them a count or an amount, not a postcode.
_NOT_PLACES = (
    r"euro|eur|jaar|jaren|km|meter|mensen|uur|uren|minuten|keer|studenten|leerlingen|"
    r"vacatures|jobs|banen|werknemers|punten|stuks|dagen|weken|maanden|bruto|netto|per|tot|"
    r"en|of|in|op|was|is|werd|heb|had|ben|gebeld|bellen|bel|belde|the|and|or|et|ou|le|la"
)
# Places typed in lower case after a postcode ("9000 gent"): the larger towns.
_CITIES = (
    r"gent|antwerpen|brussel|leuven|brugge|mechelen|hasselt|genk|kortrijk|oostende|aalst|"
    r"sint-niklaas|roeselare|turnhout|dendermonde|lokeren|beveren|vilvoorde|ninove|lier|"
    r"geel|mol|herentals|tienen|aarschot|diest|halle|asse|zaventem|waregem|ieper|izegem|"
    r"tielt|eeklo|deinze|ronse|geraardsbergen|wetteren|zottegem|boom|mortsel|schoten|"
    r"brasschaat|kapellen|bilzen|tongeren|lommel|maasmechelen|beringen|heusden-zolder|"
    r"sint-truiden|liège|luik|namen|charleroi|bergen|mons|heverlee|kessel-lo|wilrijk|"
    r"deurne|merksem|borgerhout|hoboken|ekeren|berchem|ledeberg|gentbrugge|mariakerke|"
    r"drongen|wondelgem|sint-amandsberg|anderlecht|schaerbeek|schaarbeek|molenbeek|elsene|"
    r"ixelles|etterbeek|jette|laken|ukkel|uccle|vorst|forest|evere"
)
_POSTCODE = regex.compile(
    rf"(?<![\d.,/-])[1-9]\d{{3}}\s+(?:(?!(?:{_NOT_PLACES})\b)(?-i:\p{{Lu}})[\p{{L}}'’]+"
    rf"(?:[- ](?-i:\p{{Lu}})[\p{{L}}'’]+|-(?:sur|aan|op|in|bij|de|den|ter)(?=-)){{0,3}}"
    rf"|(?i:{_CITIES})\b)"
)


def find_addresses(text: str) -> Iterator[Span]:
    """Street addresses with a house number."""
    for pattern in (_BY_ENDING, _FRENCH):
        for match in pattern.finditer(text):
            yield match.start(), match.end(), "<adres>"
    for pattern in (_BY_CONTEXT, _BY_HOUSE_NUMBER):
        for match in pattern.finditer(text):
            yield match.start(1), match.end(1), "<adres>"


def find_postcodes(text: str) -> Iterator[Span]:
    """A Belgian postcode with the place after it."""
    for match in _POSTCODE.finditer(text):
        if not is_helpline(match.group()[:4]):
            yield match.start(), match.end(), "<postcode>"
