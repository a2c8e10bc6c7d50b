"""What surrounds a claim: its clause and sentence, the figure words near it (from the
registry's synonyms), and the intents, traps and clusters it names (from the facts document).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sabkit.check.claims import Claim
from sabkit.check.draft import Unit
from sabkit.facts.figures import FIGURES, HEADLINES, SOURCED

# Figures a sentence's words name directly ("over-escalation", "calls/ticket", "catches").
DIRECT = {f.name: f for f in HEADLINES}
DIRECT.update({n: FIGURES[n] for n in (
    "phantom_rate", "tool_calls", "cost_tier", "unsafe_total", "trap_caught_share",
    "missed_escalation_share", "spread_rank", "held", "verbosity_r", "top_tier_messages",
    "floor_messages", "pair_diff")})
DIRECT.update(SOURCED)  # a figure sourced from its entry is one value, named by its words
# Counts "out of" something ("16 of 18", "134 of 170 write calls"): what a fraction can name.
# A headline with an intent named becomes that intent's count ("return used (33%, 6/18)").
FRACTIONS = {n: FIGURES[n] for n in (
    "held", "phantom_count", "confirm_skipped", "confirm_confirmed",
    "confirm_skipped_by_intent", "escalation_cases_every_run", "resolution", "escalation",
    "over_escalation")}
# The claim kinds a figure of each unit can be written as.
KINDS = {"share": {"pct", "range", "dec"}, "score": {"dec", "range"}, "points": {"dec"},
         "average": {"dec", "range"}, "count": {"count", "frac", "dec"}, "rank": {"rank"},
         "tier": {"tier"}, "r": {"r", "dec"}}
BOUNDARY = re.compile(r"[;:()\[\],]|—| - ")
# Words that may stand right before or after a figure without naming another thing.
FUNCTION_WORDS = {"is", "of", "off", "on", "per", "a", "agent", "tier", "at", "to", "by",
                  "from", "with", "and", "in", "are", "was", "be", "holds", "runs", "takes",
                  "scores", "posts", "lifts", "the", "its", "only", "just", "under", "over",
                  "for", "median", "skips", "than", "or", "across", "drops", "moves"}
_STOP = {"the", "a", "an", "of", "on", "to", "and", "or", "in", "no", "not"}


def _synonyms(figures: dict) -> list[tuple[str, str]]:
    pairs = [(s, name) for name, f in figures.items() for s in f.synonyms]
    return sorted(pairs, key=lambda p: -len(p[0]))


_WORDS = {id(DIRECT): _synonyms(DIRECT), id(FRACTIONS): _synonyms(FRACTIONS)}


def figure_words(text: str, figures: dict = DIRECT) -> list[tuple[int, str]]:
    """(position, figure) of each synonym in the text, the longest first, none overlapping
    ("over-escalation" is not also "escalation"); all-capital synonyms ("IF") match case."""
    taken: list[tuple[int, int]] = []
    out = []
    for word, name in _WORDS[id(figures)]:
        flags = 0 if word.isupper() else re.I
        for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w])", text, flags):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            out.append((m.start(), name))
    return sorted(out)


def nearest(words: list[tuple[int, str]], at: int) -> list[str]:
    """The figure(s) whose word is nearest ``at``: two at one distance are a tie, not a pick."""
    if not words:
        return []
    best = min(abs(p - at) for p, _ in words)
    return sorted({n for p, n in words if abs(p - at) == best})


class Names:
    """The intents, traps, clusters and models of a facts document, and where a text names
    them: by their words, each matched on its first five letters ("damage" names "damaged",
    "requests" names "request"). A name counts when all its words are there, or half of them
    with its first ("duplicate" names "duplicate order"), unless another name starts with
    that word too ("cancel": "cancel before ship" or "cancel shipped"?)."""

    def __init__(self, doc: dict, models: list[str]):
        intents: set[str] = set()
        for block in ("resolution", "escalation", "instruction_following", "over_escalation"):
            intents |= set((doc.get(block) or {}).get("by_intent") or {})
        self.must_escalate = set((doc.get("escalation") or {}).get("by_intent") or {})
        traps = set((doc.get("unsafe_actions") or {}).get("by_trap") or {})
        traps |= set((doc.get("benchmark") or {}).get("traps") or {})
        self.sets = {"intent": intents - traps, "trap": traps,
                     "cluster": set(doc.get("clusters") or {})}
        self.models = sorted(models, key=len, reverse=True)
        self._wanted = {kind: {n: [s for _, s in self.stems(n)] for n in names}
                        for kind, names in self.sets.items()}
        self._firsts = {kind: _count(w[0] for w in wanted.values() if w)
                        for kind, wanted in self._wanted.items()}

    @staticmethod
    def stems(text: str) -> list[tuple[int, str]]:
        return [(m.start(), m.group()[:5]) for m in re.finditer(r"[a-z]+", text.lower())
                if m.group() not in _STOP]

    def find(self, kind: str, text: str, whole: bool = False) -> list[tuple[int, str]]:
        """(position, name) of each name of ``kind`` in the text, in order; where two names
        match one place equally well, neither. ``whole``: only names with all their words."""
        words = self.stems(text)
        present = {s for _, s in words}
        by_place: dict[int, list[tuple[int, float, str]]] = {}
        for name, want in self._wanted[kind].items():
            if not want:
                continue
            matched = len(set(want) & present)
            ratio = matched / len(set(want))
            partial_ok = ratio >= 0.5 and want[0] in present and \
                self._firsts[kind][want[0]] == 1
            if ratio == 1 or partial_ok and not whole:
                place = max(p for p, s in words if s in want)
                by_place.setdefault(place, []).append((matched, ratio, name))
        out = []
        for place, options in sorted(by_place.items()):
            options.sort(reverse=True)
            if len(options) == 1 or options[0][:2] != options[1][:2]:
                out.append((place, options[0][2]))
        return out


def _count(items) -> dict[str, int]:
    out: dict[str, int] = {}
    for x in items:
        out[x] = out.get(x, 0) + 1
    return out


@dataclass
class Context:
    """One claim in its unit: ``masked`` is the unit's text with model names blanked."""

    claim: Claim
    unit: Unit
    masked: str
    peers: list[Claim]  # every claim of the unit, this one included
    lo: int = field(init=False)
    hi: int = field(init=False)

    def __post_init__(self):
        starts = [m.end() for m in BOUNDARY.finditer(self.masked, 0, self.claim.start)]
        end = BOUNDARY.search(self.masked, self.claim.end)
        self.lo = starts[-1] if starts else 0
        self.hi = end.start() if end else len(self.masked)

    @property
    def near(self) -> str:
        """The claim's clause (between commas, colons, brackets), lower-cased."""
        return self.masked[self.lo:self.hi].lower()

    @property
    def sentence(self) -> str:
        return self.masked.lower()

    @property
    def before(self) -> str:
        return self.masked[:self.claim.start].lower()

    @property
    def after(self) -> str:
        return self.masked[self.claim.end:].lower()

    @property
    def paragraph_before(self) -> str:
        """The paragraph up to this sentence, lower-cased: where "them" was named."""
        para = self.unit.paragraph.lower()
        return para[:max(0, para.find(self.unit.text.lower()))]

    @property
    def around(self) -> str:
        return self.masked[max(0, self.claim.start - 60):self.claim.end + 40].lower()

    def clauses_back(self, hops: int) -> int:
        """Where the clause ``hops`` boundaries before this one starts."""
        lo = self.lo
        for _ in range(hops):
            starts = [m.end() for m in BOUNDARY.finditer(self.masked, 0, max(0, lo - 1))]
            lo = starts[-1] if starts else 0
        return lo
