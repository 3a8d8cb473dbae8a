"""What names or reaches a person: names, e-mail addresses, links, handles, birth dates, school.

Rules, in Dutch, English and French, for the forms people use in chat: introductions
("ik heet", "'k heet", "noem mij", "ik ben de Femke", "my name is", "je m'appelle"),
greetings and sign-offs ("groetjes, Emma", "mvg Tom Peeters"), full names with particles
(van den, De, El) and letters outside ASCII; e-mail addresses written out ("jan punt peeters
at gmail punt com"); birth dates in digits or words; a school together with a class.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import regex

Span = tuple[int, int, str]

# One part of a name: letters of any script, with inner hyphens or apostrophes ("Zoë",
# "Jean-Luc", "O'Neil", "Łukasz").
_PART = r"\p{L}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*"
_CAP_PART = r"(?-i:\p{Lu})[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*"
_PARTICLE = (
    r"(?:van\s+den|van\s+der|van\s+de|vanden|vander|van|de|den|der|ter|ten|el|al|ben|le|la|"
    r"du|d'|da|dos|von)"
)
# A name after an introduction: a first name in any case, then surnames with particles.
# Further parts in lower case only after a capitalised first part is not required, but a
# lower-case further part must not be a common word (checked in code).
_NAME = rf"{_PART}(?:\s+(?:{_PARTICLE}\s+)?{_PART}){{0,2}}"
_CAP_NAME = rf"{_CAP_PART}(?:\s+(?:(?i:{_PARTICLE})\s+)?{_CAP_PART}){{0,2}}"

# Words that follow "ik heet"/"ik ben"/"I'm" and are no name, and words that end a name.
_NOT_NAMES = frozenset(
    """niet geen anoniem ik het de een eigenlijk geheim zo nog en of maar want dus omdat
    die dat wat hoe waar wie wanneer ook al alleen echt heel erg nu net pas sinds al zeer
    is was ben bent zijn heb hebt heeft had wil wilt kan kun mag moet zou zal ga gaat zit
    zoek zoeken werk werkloos student leerling ouder mama papa moeder vader hier daar
    met van voor na op in uit aan bij over naar tot om te je jij u we wij ze zij hij mijn
    and or but the a an not from in at on with to of for my i am is was here there just
    et ou mais le la les un une de du des en au aux pas je tu il elle mon ma mes ici
    hallo hoi hey dag goeiedag hello hi bonjour salut merci bedankt dank thanks
    belg belgisch nederlands frans engels marokkaans turks syrisch afghaans
    moe kapot klaar bang boos blij triest verdrietig depressief eenzaam ziek zwanger ok oké
    okay sorry nieuw nieuwe zeker benieuwd bezorgd gestopt gebuisd geslaagd gezakt blut
    done tired lost sad scared finished fine new back happy sick alone stuck broke unemployed child
    fini finie perdu perdue fatigué fatiguée triste seul seule malade désolé désolée nouveau
    nouvelle bloqué bloquée""".split()  # noqa: SIM905 (a word list reads better as text)
)

_INTRODUCTION = regex.compile(
    rf"(?:\b(?:ik|'k|k)\s*heet|\bkheet|\bmijn\s+naam\s+is|\bnoem\s+(?:me|mij)|"
    rf"\bmy\s+name\s+is|\bcall\s+me|\bi\s+am\s+called|\bje\s+m'appelle|\bje\s+m’appelle|"
    rf"\bmon\s+(?:nom|prénom)\s+(?:est|c'est)|\bmoi\s+c'est|\bmijn\s+voornaam\s+is)"
    rf"\s*:?\s+({_NAME})",
    regex.I,
)
# "ik ben de Femke", "ik ben Lotte", "I'm Sara", "je suis Yasmina", "hier is Jens",
# "met Lotte hier": only a capitalised word that is not a common word.
_CAPITALISED_INTRODUCTION = regex.compile(
    rf"(?:\b(?:ik|'k|k)\s+ben(?:\s+(?:de|het|ne|nen))?|\bi'?m|\bi\s+am|\bje\s+suis|"
    rf"\b(?:dit|hier)\s+is|\bthis\s+is|\bc'est|\bmet)\s+({_CAP_NAME})",
    regex.I,
)
# Someone else named by a title or by who they are to the writer: "mevrouw Janssens",
# "mijn consulent Peter", "my brother Ahmed", "ma sœur Inès"; and "Lotte hier".
_TITLED = regex.compile(
    rf"(?:\b(?:meneer|mevrouw|mevr\.?|dhr\.?|mr\.?|mrs\.?|ms\.?|juf|juffrouw|meester|"
    rf"madame|mme\.?|monsieur|mademoiselle|dokter|dr\.?|prof\.?)"
    rf"|\b(?:mijn|onze|my|our|mon|ma|notre)\s+(?:\p{{L}}+\s+)?(?:broer|zus|zoon|dochter|"
    rf"vriend|vriendin|lief|ex|mama|papa|moeder|vader|oma|opa|nonkel|tante|neef|nicht|"
    rf"collega|baas|consulent|begeleider|trajectbegeleider|bemiddelaar|coach|leerkracht|"
    rf"leraar|lerares|docent|titularis|mentor|buurman|buurvrouw|man|vrouw|partner|brother|"
    rf"sister|son|daughter|friend|boyfriend|girlfriend|teacher|counsellor|counselor|boss|"
    rf"husband|wife|mother|father|mum|mom|dad|frère|sœur|soeur|fils|fille|ami|amie|copain|"
    rf"copine|conseiller|conseillère|patron|mari|femme|mère|père|collègue))"
    rf"\s+({_CAP_NAME})"
    rf"|^\W*(?:(?:hoi|hallo|hey|hi|dag|salut|bonjour)\W+)?({_CAP_NAME})\s+(?:hier|here|ici)\b",
    regex.I | regex.M,
)
# A full name (two capitalised parts or more) after a verb of reaching someone, as a
# counsellor's note has it: "bel Jan Peeters", "mail Sara El Amrani", "contact Tom De Smet".
_FIRST_NAME = r"(?-i:\p{Lu}\p{Ll})[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*"  # not "VDAB"
_FULL_NAME = rf"{_FIRST_NAME}(?:\s+(?:(?i:{_PARTICLE})\s+)?{_CAP_PART}){{1,2}}"
_CONTACTED = regex.compile(
    rf"\b(?:bel|belde|bellen|terugbellen|contacteer|contacteren|contacteerde|mail|mailen|"
    rf"mailde|sms|sms'en|call|phone|ring|e-?mail|contact|appelle|appeler|contacter|"
    rf"rappeler)\s+({_FULL_NAME})",
    regex.I,
)
# A name with an age: "Emma, 16 jaar", "Jens (17)", "ik ben lotte, 16", "I'm sara and I'm 19".
_WITH_AGE = regex.compile(
    rf"(?:^\W*|\b(?:ik|'k|k)\s+ben\s+|\bi'?m\s+|\bje\s+suis\s+|\bmoi\s+c'est\s+)"
    rf"({_PART})\s*(?:,|\(|\s+en\s+(?:ik\s+ben\s+)?|\s+and\s+(?:i'?m\s+)?|\s+et\s+(?:j'ai\s+)?)"
    rf"\d{{1,2}}\s*(?:jaar|jaar\s+oud|j\b|ans|years|yo\b|\))",
    regex.I | regex.M,
)
_SIGN_OFF = regex.compile(
    rf"(?:\b(?:groetjes|groeten|groetn|grtz|gr|mvg|vriendelijke\s+groet(?:en)?|"
    rf"met\s+vriendelijke\s+groet(?:en)?|dikke\s+kus|kusjes|bedankt|dank\s+je(?:wel)?|"
    rf"alvast\s+bedankt|regards|kind\s+regards|best\s+regards|best|cheers|thanks|"
    rf"thank\s+you|cordialement|bisous|bises|merci(?:\s+beaucoup)?|bien\s+à\s+vous)"
    rf"|(?<![\w])x{{1,3}})[\s,.!:-]+({_NAME})\s*[.!]*\s*$",
    regex.I | regex.M,
)

_EMAIL = regex.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DOT = r"(?:\s*\.\s*|\s+(?:punt|dot|point)\s+|\s*[\[(](?:punt|dot|point|\.)[\])]\s*)"
_AT = r"(?:\s*[\[(](?:at|@|apenstaartje|arobase)[\])]\s*|\s+(?:at|apenstaartje|arobase|arrobas)\s+)"
_TLD = r"(?:be|com|nl|fr|net|org|eu|info|edu|io|de|uk|ma|tr)"
_WRITTEN_EMAIL = regex.compile(
    rf"\b[\w+-]+(?:{_DOT}[\w+-]+)*{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}{_TLD}\b", regex.I
)
_URL = regex.compile(
    r"\b(?:https?://|www\.)[^\s<>\"']+"
    r"|\b(?:[a-z0-9-]+\.)+(?:com|be|nl|fr|net|org|eu|io|me|ly|gl)/[^\s<>\"']+",
    regex.I,
)
_NETWORKS = (
    r"insta|instagram|ig|snap|snapchat|tiktok|twitter|discord|telegram|threads|facebook|fb|"
    r"linkedin"
)
_HANDLE = regex.compile(
    r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?"
    # "insta: lotte.vdb", "mijn snap is lotte_x", "tiktok = jens2008"
    rf"|(?<=\b(?:{_NETWORKS})(?:\s+(?:is|=|:)|\s*[:=])\s*)(?!(?:is|en|of|and|or|niet)\b)"
    r"[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])"
    # "op insta als lotte.vdb": a token that can only be a handle (dot, underscore or digit)
    rf"|(?<=\b(?:{_NETWORKS})\s+(?:\p{{L}}+\s+){{0,2}})"
    r"(?=[A-Za-z0-9_.]*[_.\d])[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_])(?![\w@])",
    regex.I,
)
# Links to the services the knowledge store names are not personal; nor is a bare domain.
_CONTENT_DIR = Path(__file__).resolve().parents[1] / "knowledge" / "content"


@cache
def _service_hosts() -> frozenset[str]:
    hosts = set()
    for path in _CONTENT_DIR.glob("*.yml"):
        text = path.read_text("utf-8")
        found = regex.findall(r"\b(?:[a-z0-9-]+\.)+(?:be|eu|com|org|net|nl)\b", text)
        hosts.update(host.removeprefix("www.") for host in found)
    return frozenset(hosts)


def _personal_link(url: str) -> bool:
    rest = regex.sub(r"^(?:https?://)?(?:www\.)?", "", url, flags=regex.I).rstrip(".,;:!?)")
    host, _, path = rest.partition("/")
    host = host.lower()
    service = any(host == h or host.endswith("." + h) for h in _service_hosts())
    return bool(path.strip("/")) and not service


_MONTHS = (
    r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
    r"december|january|february|march|may|june|july|august|october|janvier|février|mars|"
    r"avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|jan|feb|mrt|apr|jun|"
    r"jul|aug|sep|sept|okt|oct|nov|dec"
)
_DAY_WORDS = (
    r"(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|"
    r"vijftien|zestien|zeventien|achttien|negentien|twintig|dertig)(?:\s*en\s*\w+)?"
    r"|eerste|tweede|derde|first|second|third|premier|\w+(?:de|ste|th|st|nd|rd|ème)"
)
_DATE = (
    rf"(?:\d{{1,2}}|{_DAY_WORDS})(?:[\s/.-]+|\s+(?:of|van)\s+)"
    rf"(?:\d{{1,2}}|(?:{_MONTHS})\.?)(?:[\s/.,-]+(?:\d{{4}}|'?\d{{2}}))?"
    rf"|(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}"
)
_BIRTH_DATE = regex.compile(
    rf"(?:\bgeboren|\bgeb\.|°|\bgeboortedatum|\bverjaardag(?:\s+(?:is|valt))?|\bverjaar|\bjarig"
    rf"|\bik\s+word\s+\d{{1,2}}|\bik\s+ben\s+van(?=\s+\S+\s+\S+\s+\d{{4}})|\bborn|\bd\.?o\.?b\.?"
    rf"|\bdate\s+of\s+birth|\bbirth\s*date|\bbirthday(?:\s+is)?|\bn[ée]e?|\bdate\s+de\s+naissance"
    rf"|\banniversaire(?:\s+est)?)"
    rf"\s*(?:is\s+)?:?\s*(?:(?:op|in|de|on|in|the|le|en)\s+)?({_DATE})",
    regex.I,
)

# A school named with a class: "5B in het Sint-Jozefscollege", "KA Mariakerke, 4 latijn".
_CLASS = r"(?:\b[1-7]\s?[A-Za-z]{1,4}\b|\b[1-7](?:de|ste|e|ème)\s+(?:jaar|middelbaar|\p{L}+)\b)"
_SCHOOL = (
    r"(?:(?-i:(?:Sint|Heilig|Onze|OLV|O\.L\.V|Don|KA|GO!?|VTI|KTA|TI|SJC|KOBA|VIA|SGR|BuSO|"
    r"Atheneum|Lyceum|Instituut|Institut|Collège|College|Campus|Koninklijk|Provinciaal|"
    r"Stedelijk|Technisch|Vrij|Gemeentelijke?|Basisschool|Middenschool|Maria)\b)"
    r"|(?-i:\p{Lu})[\p{L}-]*(?:college|instituut|atheneum|lyceum|school|campus))"
    r"(?:[\s-]+(?-i:\p{Lu})[\p{L}'-]*){0,3}"
)
_SCHOOL_WITH_CLASS = regex.compile(
    rf"{_CLASS}(?:\s+(?:in|op|aan|at|à|au)\s+(?:het|de|'t|the|l')?\s*)({_SCHOOL})"
    rf"|{_CLASS}\s+(?:(?:op|aan|at|à|au)\s+(?:het\s+|de\s+|'t\s+|the\s+|l')?|in\s+(?:het|de|'t)\s+)"
    rf"(?-i:\p{{Lu}})[\p{{L}}'!.-]*(?:[\s-]+(?-i:\p{{Lu}})[\p{{L}}'!.-]*){{0,3}}"
    rf"|({_SCHOOL})(?:\s*,\s*|\s+(?:in|en)\s+(?:de\s+)?|\s+){_CLASS}",
    regex.I,
)


def _name_end(name: str) -> int:
    """The length of a matched name without trailing common words ("jan en ik" → "jan")."""
    parts = name.split()
    kept = len(parts)
    while kept > 1 and parts[kept - 1].lower() in _NOT_NAMES:
        kept -= 1
    end = 0
    for part in parts[:kept]:
        end = name.index(part, end) + len(part)
    return end


def find_names(text: str) -> Iterator[Span]:
    """Names after an introduction, a greeting, a verb of reaching someone or a sign-off."""
    for pattern in (
        _INTRODUCTION,
        _CAPITALISED_INTRODUCTION,
        _TITLED,
        _CONTACTED,
        _WITH_AGE,
        _SIGN_OFF,
    ):
        for match in pattern.finditer(text):
            group = next(g for g in range(1, pattern.groups + 1) if match.group(g))
            name = match.group(group)
            if name.split()[0].lower() in _NOT_NAMES:
                continue
            start = match.start(group)
            yield start, start + _name_end(name), "<naam>"


def find_contacts(text: str) -> Iterator[Span]:
    """E-mail addresses (also written out), personal links and social media handles."""
    for pattern, placeholder in (
        (_EMAIL, "<email>"),
        (_WRITTEN_EMAIL, "<email>"),
        (_URL, "<url>"),
        (_HANDLE, "<handle>"),
    ):
        for match in pattern.finditer(text):
            if placeholder != "<url>" or _personal_link(match.group()):
                yield match.start(), match.end(), placeholder


def find_birth_dates(text: str) -> Iterator[Span]:
    """A date after "geboren", "verjaardag", "born", "né le" and the like."""
    for match in _BIRTH_DATE.finditer(text):
        yield match.start(1), match.end(1), "<geboortedatum>"


def find_schools(text: str) -> Iterator[Span]:
    """A school named together with a class: the class and the school as one span."""
    for match in _SCHOOL_WITH_CLASS.finditer(text):
        yield match.start(), match.end(), "<school>"
