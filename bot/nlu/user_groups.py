"""Work out the user group from what people say about themselves.

The ten groups of lifelong guidance plus ``ouder_of_begeleider``, from a reviewed cue
lexicon (``user_groups.yml``) matched on normalised chat text. The result feeds the
``user_group`` slot through an entity of the same name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.nlu.chat_text import normalise, plain
from knowledge.vocabulary import USER_GROUPS

CUES_PATH = Path(__file__).with_name("user_groups.yml")
NO_GROUP = "none"  # the label of example messages that say nothing about the writer


_NEGATION = re.compile(r"\b(geen|niet|nooit|niemand|nergens)\b(\s+\w+)?\s*$")
_AGE = re.compile(
    r"\b(?:ik ben|ben|ik word|leeftijd)\s+(\d{1,2})\b(?!\s*(?:de|ste|e)\b)"
    r"|(?<!al )(?<!sinds )(?<!voor )(?<!over )(?<!na )\b(\d{1,2})\s*(?:jaar|jr)\b"
)
_YOUNG_AGES = range(15, 26)


@dataclass(frozen=True)
class UserGroupCues:
    """Compiled cue patterns per group, in priority order."""

    groups: list[tuple[str, list[re.Pattern[str]]]]
    young_and_inactive: list[re.Pattern[str]]


@dataclass(frozen=True)
class DetectedGroup:
    """The user group found in a message and the words that gave it away."""

    group: str
    evidence: str


@lru_cache(maxsize=4)
def load_cues(path: Path = CUES_PATH) -> UserGroupCues:
    """Read and compile the cue file, checking that every group is a known one."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    young = [re.compile(p) for p in raw.pop("young_and_inactive")]
    unknown = set(raw) - set(USER_GROUPS)
    if unknown:
        raise ValueError(f"{path}: unknown user groups {sorted(unknown)}")
    groups = [(group, [re.compile(p) for p in patterns]) for group, patterns in raw.items()]
    return UserGroupCues(groups=groups, young_and_inactive=young)


def _affirmed_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """First match of ``pattern`` that is not negated by the words just before it."""
    for match in pattern.finditer(text):
        if not _NEGATION.search(text[: match.start()]):
            return match
    return None


def stated_age(text: str) -> int | None:
    """The age a person states ("ik ben 19", "17 jaar"), or None."""
    match = _AGE.search(normalise(text))
    if not match:
        return None
    age = int(match.group(1) or match.group(2))
    return age if 10 <= age <= 99 else None


# Words by which writers speak of themselves. Without one, a message asks about a thing
# ("wat is een graduaat", "duaal leren, hoe werkt dat"), not about its writer, and a topic
# word in it ("bachelor", "leerkrediet", "inburgering") says nothing about who asks.
# French "je" counts only in French: in Dutch it is "you" and often "one" ("mag je ...").
_SELF_WORDS = re.compile(
    r"\b(ik|k|mij|me|mijn|m n|mn|we|wij|ons|onze|i|im|my|mine|myself|our|us|moi|mon|ma|mes|"
    r"nous|notre|nos|j)\b"
)
_FRENCH_SELF = re.compile(r"\b(je|j|on)\b")  # "on" is "we" in spoken French
# Chat drops the pronoun: "ben 17", "zit in 5de", "zoek werk", "werkloos sinds maart".
_DROPPED_PRONOUN = re.compile(
    r"^(\W*(hoi|hallo|hey|dag|hi|hello|bonjour|salut)\W+)?"
    r"(ben|heb|zit|zoek|wil|werk|studeer|volg|doe|ga|kom|woon|sta|had|was|word|moet|kan|mag|"
    r"am|have|want|need|looking|work|working|been|currently|just|doing|started|finished|got|"
    r"lost|left|moved|came|arrived|studying|graduated|unemployed|self employed|"
    r"suis|ai|veux|cherche|travaille|licencie|licenciee|fin de contrat|au chomage|etudiant|"
    r"etudiante|arrive|arrivee|diplome|diplomee)\b"
    r"(?! (je|u|men|jij|you|one|on|vous)\b)"
    r"|^\W*(werkloos|student|studente|leerling|nieuw|gestopt|afgestudeerd|zwanger|invalide|"
    r"ontslagen|afgedankt|zelfstandig|gepensioneerd)\b"
)


def speaks_of_self(text: str, french: bool = False) -> bool:
    """The message says something about its writer: a first-person word, a dropped
    pronoun ("ben 17, zoek werk") or a stated age."""
    form = plain(text)
    return bool(
        _SELF_WORDS.search(form)
        or (french and _FRENCH_SELF.search(form))
        or _DROPPED_PRONOUN.search(normalise(text))
        or stated_age(text) is not None
    )


def detect_user_group(text: str, cues: UserGroupCues | None = None) -> DetectedGroup | None:
    """Return the user group that ``text`` reveals, or None when it says nothing about it."""
    cues = cues or load_cues()
    normalised = normalise(text)
    age = stated_age(text)
    if age in _YOUNG_AGES:
        for pattern in cues.young_and_inactive:
            match = pattern.search(normalised)
            if match:
                return DetectedGroup("kwetsbare_jongere", match.group(0))
    # Each group's cues on Dutch chat spelling and on plain text (English and French cues
    # that the Dutch chat words would spoil: "ma fille" is not "mama fille").
    forms = (normalised, plain(text))
    for group, patterns in cues.groups:
        for pattern in patterns:
            for form in forms:
                match = _affirmed_match(pattern, form)
                if match:
                    return DetectedGroup(group, match.group(0))
    return None


def read_group_examples(directory: Path) -> tuple[list[str], list[str]]:
    """The example messages in ``directory`` (one YAML file per language, ``groups:``
    mapping each user group, or ``none``, to messages) and their labels."""
    texts: list[str] = []
    labels: list[str] = []
    for path in sorted(directory.glob("*.yml")):
        groups = yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]
        unknown = set(groups) - set(USER_GROUPS) - {NO_GROUP}
        if unknown:
            raise ValueError(f"{path}: unknown user groups {sorted(unknown)}")
        for group, messages in groups.items():
            texts.extend(messages)
            labels.extend([group] * len(messages))
    return texts, labels
