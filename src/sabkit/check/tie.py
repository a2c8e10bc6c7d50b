"""Tie a claim to a figure of the facts document, from the words around it, and judge it.

The words come from the figure registry (``sabkit.facts.figures``): each figure's synonyms
("handed over", "over-escalation", "calls/ticket"). The nearest figure word to the claim wins,
looked for in its clause, then its sentence, its paragraph, its table row and column, its
section. Intent, trap and cluster names, as the facts document keys them, turn a headline
into its per-intent (per-trap, per-cluster) figure when the claim's clause names one
("duplicate 44%" -> over-escalation of "duplicate order"); a model name near the claim turns
it into that model's figure. A claim that matches no figure, or two equally well, is left
unverified: a tie is never guessed to make a claim pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sabkit.check.claims import Claim
from sabkit.check.draft import Unit
from sabkit.facts.figures import FIGURES, HEADLINES, lookup

# Figures a claim's words can name directly, and the claim kinds each can be written as.
_DIRECT = {f.name: f for f in HEADLINES}
for _name in ("phantom_rate", "tool_calls", "cost_tier", "unsafe_total", "trap_caught_share",
              "missed_escalation_share", "spread_rank", "held", "verbosity_r",
              "top_tier_messages", "floor_messages"):
    _DIRECT[_name] = FIGURES[_name]
_KINDS = {"share": {"pct", "range", "dec"}, "score": {"dec", "range"},
          "points": {"dec"}, "average": {"dec", "range"}, "count": {"count", "frac", "dec"},
          "rank": {"rank"}, "tier": {"tier"}, "r": {"r", "dec"}}
# A headline and the figure it becomes when the clause names an intent, trap or cluster.
_BY_INTENT = {"resolution": "resolution_by_intent", "escalation": "escalation_by_intent",
              "over_escalation": "over_escalation_by_intent",
              "instruction_following": "instruction_following_by_intent",
              "sentiment": "sentiment_by_intent",
              "missed_escalation_share": "missed_escalation_share"}
_BY_CLUSTER = {"resolution": "cluster_resolution", "escalation": "cluster_escalation",
               "over_escalation": "cluster_over_escalation",
               "instruction_following": "cluster_instruction_following"}
_BOUNDARY = re.compile(r"[;:()\[\],]|—| - ")
_FUNCTION_WORDS = {"is", "of", "off", "per", "a", "agent", "tier", "at", "to", "by", "from", "with", "and", "in", "on", "are",
                   "was", "be", "holds", "runs", "takes", "scores", "posts", "lifts", "the",
                   "its", "only", "just", "under", "over", "for", "median", "skips"}
_STOP = {"the", "a", "an", "of", "on", "to", "and", "or", "in", "no", "not"}


@dataclass(frozen=True)
class Tie:
    figure: str  # registry name
    path: str  # where the data's value is, in the facts document
    value: object  # the data's value at that path
    of: object = None  # what a count is out of ("16 of 18"), when the figure has one


class Names:
    """The intents, traps, clusters, categories and models of a facts document, and where a
    text names them: by their words, each matched on its first five letters ("damage" names
    "damaged"), a name counting when at least half its words are there."""

    def __init__(self, doc: dict, models: list[str]):
        intents = set()
        for block in ("resolution", "escalation", "instruction_following"):
            intents |= set((doc.get(block) or {}).get("by_intent") or {})
        intents |= set((doc.get("over_escalation") or {}).get("by_intent") or {})
        self.must_escalate = set((doc.get("escalation") or {}).get("by_intent") or {})
        traps = set((doc.get("unsafe_actions") or {}).get("by_trap") or {})
        traps |= set(((doc.get("benchmark") or {}).get("traps")) or {})
        self.sets = {"intent": intents - traps, "trap": traps,
                     "cluster": set(doc.get("clusters") or {}),
                     "category": {"must_escalate", "solvable", "adversarial"}}
        self.models = sorted(models, key=len, reverse=True)

    @staticmethod
    def stems(text: str) -> list[tuple[int, str]]:
        return [(m.start(), m.group()[:5]) for m in re.finditer(r"[a-z]+", text.lower())
                if m.group() not in _STOP]

    def find(self, kind: str, text: str) -> list[tuple[int, str]]:
        """(position, name) of each name of ``kind`` the text holds, best match per place."""
        words = self.stems(text)
        found: dict[str, tuple[int, float, int]] = {}
        for name in self.sets[kind]:
            want = [s for _, s in self.stems(name.replace("_", " "))]
            if not want:
                continue
            hits = [p for p, s in words if s in want]
            matched = len({s for _, s in words if s in want})
            # half its words, its first among them ("duplicate" names "duplicate order";
            # "claim" does not name "serial claimant"), or all of them
            first = any(s == want[0] for _, s in words)
            ratio = matched / len(want)
            if hits and (ratio == 1 or ratio >= 0.5 and first):
                found[name] = (max(hits), matched / len(want), matched)
        by_place: dict[int, list[tuple[float, int, str]]] = {}
        for name, (pos, ratio, matched) in found.items():
            by_place.setdefault(pos, []).append((matched, ratio, name))
        # a partial match is ambiguous when another name starts with the same word
        # ("cancel" names "cancel before ship" and "cancel shipped")
        firsts: dict[str, int] = {}
        for name in self.sets[kind]:
            stems = self.stems(name.replace("_", " "))
            if stems:
                firsts[stems[0][1]] = firsts.get(stems[0][1], 0) + 1
        for name, (pos, ratio, matched) in list(found.items()):
            if ratio < 1 and firsts.get(self.stems(name)[0][1], 0) > 1:
                del found[name]
        by_place = {}
        for name, (pos, ratio, matched) in found.items():
            by_place.setdefault(pos, []).append((matched, ratio, name))
        out = []
        for pos, options in sorted(by_place.items()):
            options.sort(reverse=True)
            if len(options) == 1 or options[0][:2] != options[1][:2]:
                out.append((pos, options[0][2]))
        return out


def _synonyms() -> list[tuple[str, str]]:
    pairs = [(s, name) for name, f in _DIRECT.items() for s in f.synonyms]
    return sorted(pairs, key=lambda p: -len(p[0]))


_SYNONYMS = _synonyms()


def figure_words(text: str) -> list[tuple[int, str]]:
    """(position, figure) of each registry synonym in the text, longest first, no overlap."""
    taken: list[tuple[int, int]] = []
    out = []
    for word, name in _SYNONYMS:
        flags = 0 if word.isupper() else re.I
        for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w])", text, flags):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            out.append((m.start(), name))
    return sorted(out)


def clause(text: str, claim: Claim) -> tuple[int, int]:
    starts = [m.end() for m in _BOUNDARY.finditer(text, 0, claim.start)]
    end = _BOUNDARY.search(text, claim.end)
    return (starts[-1] if starts else 0), (end.start() if end else len(text))


def _nearest(words: list[tuple[int, str]], at: int) -> list[str]:
    if not words:
        return []
    best = min(abs(p - at) for p, _ in words)
    return sorted({n for p, n in words if abs(p - at) == best})


class Tier:
    """Ties claims of one draft to a facts document."""

    def __init__(self, doc: dict, models: list[str]):
        self.doc = doc
        self.names = Names(doc, models)

    def tie(self, claim: Claim, unit: Unit, masked: str, peers: list[Claim]) -> Tie | None:
        name, key = self._figure(claim, unit, masked, peers)
        if name is None:
            return None
        f = FIGURES[name]
        if f.key and key is None:
            return None
        if isinstance(key, list):  # a table row over several intents: each one's value
            values = [lookup(self.doc, f.path_for(k)) for k in key]
            if any(v is None for v in values):
                return None
            ofs = {lookup(self.doc, f.of_for(k)) for k in key} if f.of else {None}
            return Tie(name, f.path_for("{" + ", ".join(key) + "}"), values,
                       ofs.pop() if len(ofs) == 1 else None)
        path = f.path_for(key)
        model = self._model(claim, unit, masked)
        if model:
            path = f.path_of(model)
            if path is None:
                return None
        value = lookup(self.doc, path)
        if value is None and f.unit != "tier":
            return None
        return Tie(name, path, value, lookup(self.doc, f.of_for(key)) if f.of else None)

    # ---- which figure ----------------------------------------------------------------

    def _figure(self, claim, unit, masked, peers) -> tuple[str | None, str | None]:
        text = unit.text
        lo, hi = clause(masked, claim)
        near = masked[lo:hi]
        around = masked[max(0, claim.start - 60):claim.end + 40].lower()
        special = self._special(claim, unit, masked, near, around)
        if special:
            return special
        family = self._family(claim, unit, masked, lo, hi)
        if family is None:
            return None, None
        return self._keyed(family, claim, unit, masked, lo, hi, peers)

    def _special(self, claim, unit, masked, near, around):
        """Claims whose figure their form names, before any figure word is looked for."""
        low = near.lower()
        sentence = masked.lower()
        if re.search(r"at least\s*$|more than\s*$|up to\s*$", masked[:claim.start].lower()):
            return None, None  # a bound, not a figure
        if re.search(r"pass\^", unit.column + unit.paragraph) or \
                re.search(r"\[[^\]]*$", masked[:claim.start]) or \
                re.search(r"\bruns? scores?\b", sentence) and claim.kind == "dec" or \
                "per run" in low and "," in low or \
                re.search(r"partial|test", claim.written) or \
                re.match(r"\s*\(?off\b", masked[claim.end:]):
            return None, None  # pass^k, intervals, per-run lists: no registry figure yet
        if claim.kind == "dec" and re.search(r"\bavg\.?\s*$|\baverage\s*$",
                                             masked[:claim.start].lower()):
            return "score_mean", None
        if claim.kind == "frac" and (
                re.match(r"\s*(must-escalate|escalation)", masked[claim.end:].lower()) or
                re.search(r"escalation is\s*$", masked[:claim.start].lower()) or
                unit.is_cell and "escalat" in unit.row.lower()):
            return "escalation_cases_every_run", None
        if claim.kind == "range" and claim.of is not None and "per run" in around:
            return "held_per_run", None
        if claim.kind == "count" and claim.noun in ("actions", "action") and "unsafe" in low \
                and re.search(r"\b(the|its)\s*$", masked[:claim.start].lower()):
            return "unsafe_total", None
        tiers = re.findall(r"\btop (?:quality )?tier\b|\bfloor\b", masked[:claim.start].lower())
        if claim.kind == "range" and tiers and re.search(r"top (quality )?tier|floor", low):
            return ("floor_messages" if tiers[-1] == "floor" else "top_tier_messages"), None
        if claim.kind == "frac" and re.search(r"\bcome from\b", sentence):
            return "from_every_run_traps", None
        if claim.kind == "count" and claim.noun in ("traps", "trap"):
            if re.search(r"came and went|some runs|coin flip|each (failed )?in (only )?one\b",
                         sentence):
                return "coin_flips", None
            if re.search(r"every run|all \w+ runs|each run", sentence):
                return "traps_every_run", None
        if claim.kind == "count" and claim.noun in ("cases", "case") and \
                re.search(r"\ball \S+ must-escalate", around):
            return "escalation_cases_every_run", None
        if claim.kind == "n" or claim.kind == "count" and claim.noun in ("run", "runs") and \
                re.search(r"(median|mean|average|pooled) (of|over) (n=)?\w+ (complete )?runs?|"
                          r"\ball \w+ runs|\bits \w+ runs|'s \w+ runs|\bevery run|with \w+ (full )?runs",
                          around + " " + low):
            trap = self.names.find("trap", low)
            return ("trap_failed_runs", trap[-1][1]) if trap and claim.kind == "count" \
                else ("runs", None)
        if claim.kind == "count" and claim.noun in ("cases", "case") and \
                re.search(r"\bthe \d+ \w* ?cases\b", masked[max(0, claim.start - 4):].lower()):
            return "cases_total", None
        if claim.kind == "count" and claim.noun == "models" and "only" in low:
            intent = self.names.find("intent", unit.text.lower())
            return ("perfect_on_intent", intent[0][1]) if intent else (None, None)
        if claim.kind == "count" and claim.noun in ("runs", "conversations") and \
                re.search(r"across \S+ (adversarial )?(runs|conversations)", around):
            return "adversarial_conversations", None
        if claim.kind == "rank":
            if claim.noun in ("widest", "narrowest"):
                return "spread_rank", None
            if claim.noun in ("fewest",) and "message" in unit.paragraph.lower():
                return "messages_rank", None
            if "judge score" in low or "rank" in claim.written and "score" in \
                    (unit.paragraph + unit.row).lower():
                return "score_rank", None
            return None, None
        if re.search(r"\beach\b|\bevery one of\b", sentence) and (
                claim.kind == "frac" and re.search(r"\bruns?\b", around) or
                claim.kind == "count" and claim.noun == "run"):
            failed = [t for t, v in (self.doc["unsafe_actions"]["by_trap"] or {}).items()
                      if v["failed_runs"]]
            return ("trap_failed_runs", failed) if failed else (None, None)
        if claim.kind == "frac" and (claim.noun == "run" or re.search(r"\brun", low)):
            trap = self.names.find("trap", sentence[:claim.start])
            return ("trap_failed_runs", trap[-1][1]) if trap else (None, None)
        if "reasoning" in unit.paragraph.lower() and re.search(r"\b(from|off)\b", around) \
                and claim.kind == "pct" and "escalat" in low:
            before = masked[:claim.start].lower()
            return ("reasoning_off_escalation" if before.rstrip().endswith("from ≈")
                    or before.rstrip().endswith("from") else "reasoning_on_escalation"), None
        return None

    def _family(self, claim, unit, masked, lo, hi) -> str | None:
        kinds = {claim.kind}
        near = (masked[lo:hi], claim.start - lo)
        wide = [(masked, claim.start), (unit.section, 0),
                (unit.paragraph, unit.paragraph.find(unit.text) + claim.start)]
        labels = [(unit.column, 0), (unit.row, 0)]
        scopes = [near, *labels, *wide] if unit.is_cell else [near, *wide, *labels]
        if claim.kind == "frac" and not figure_words(near[0]) == [] and \
                "held" not in {n for _, n in figure_words(near[0] + unit.row)}:
            return None  # "6/18": a fraction only its special forms name
        if claim.kind == "count" and claim.noun not in ("actions", "action", "messages",
                                                         "calls"):
            return None  # "3 traps", "one run": only the forms above name their figure
        after = re.match(r"\s*([a-z][\w-]+)", masked[claim.end:].lower())
        if claim.kind in ("pct", "dec") and after and not figure_words(after.group(1)) and \
                after.group(1) not in _FUNCTION_WORDS and not any(
                kinds & _KINDS[_DIRECT[n].unit] for _, n in figure_words(near[0])):
            return None  # "3.6 look-ups", "0.6 points": a noun no figure of ours is
        if claim.kind in ("pct", "dec") and not unit.is_cell and not any(
                kinds & _KINDS[_DIRECT[n].unit] for _, n in figure_words(near[0])):
            intents = self.names.find("intent", near[0].lower())
            if intents and intents[-1][1] in self.names.must_escalate:
                return "escalation"
        for text, at in scopes:
            words = [(p, n) for p, n in figure_words(text)
                     if kinds & _KINDS[_DIRECT[n].unit] and self._fits(claim, _DIRECT[n])]
            best = _nearest(words, at)
            if len(best) == 1:
                return best[0]
            if len(best) > 1:
                return None
        return None

    @staticmethod
    def _fits(claim: Claim, f) -> bool:
        """A decimal on 0-1 is a share or a 0-1 score; "87.2" is a judge score, "3.24" a
        count per conversation: the claim's magnitude rules out figures of another scale."""
        if claim.kind in ("dec", "range") and not claim.percent:
            v = claim.high if claim.high is not None else claim.value
            if f.unit in ("share", "score"):
                return v <= 1
            if f.unit == "points":
                return v > 1 or claim.decimals == 3  # "avg 0.886" is a score over 100
        return True

    def _keyed(self, family, claim, unit, masked, lo, hi, peers):
        near = masked[lo:hi].lower()
        if not self.names.find("intent", near) and not self.names.find("trap", near):
            starts = [m.end() for m in _BOUNDARY.finditer(masked, 0, max(0, lo - 1))]
            lo = starts[-1] if starts else 0  # "duplicate order (44%)": the clause before
            near = masked[lo:hi].lower()
        if unit.is_cell and unit.row:
            cluster = self._cluster(unit.row)
            listed = [n for _, n in self.names.find("intent", unit.row.lower())]
            if cluster is None and len(listed) > 1 and family in _BY_INTENT:
                return _BY_INTENT[family], listed  # a row over several intents
            if cluster and family in _BY_CLUSTER:
                if family == "resolution" and cluster == "must-escalate" or \
                        re.search(r"handover", near):
                    family = "escalation"
                return _BY_CLUSTER[family], cluster
        if family == "instruction_following" and ("must-escalate" in near or
                                                  "escalat" in unit.row.lower()):
            return "instruction_following_by_category", "must_escalate"
        kind = "trap" if family in ("trap_caught_share",) else "intent"
        if family in _BY_INTENT or kind == "trap":
            names = self.names.find(kind, near)
            if unit.is_cell and not names:
                names = self.names.find(kind, unit.row.lower())
            if not names and family in ("missed_escalation_share", "trap_caught_share"):
                names = self.names.find(kind, masked.lower()[:claim.start])
            if not names and family in ("missed_escalation_share", "trap_caught_share"):
                names = self.names.find(kind, masked.lower())
            at = claim.start - lo
            word = re.search(r"([a-z][\w-]+)\s*$", near[:at])
            if not names and masked[:claim.start].rstrip().endswith("(") and \
                    family in _BY_INTENT and not unit.is_cell:
                return None, None  # "...: bundle rec/duplicate (17%)": names it cannot read
            if not names and word and not figure_words(word.group(1)) and word.group(1) not in \
                    _FUNCTION_WORDS:
                return None, None  # "cancel 0.50": a name the draft gives that names nothing
            if not names:
                return (None, None) if family in ("missed_escalation_share",
                                                  "trap_caught_share") else (family, None)
            name = self._pick(names, claim, near, lo, peers)
            if name is None:
                return None, None
            if kind == "trap":
                return family, name
            if family == "escalation" or name in self.names.must_escalate and \
                    family == "resolution":
                return ("escalation_by_intent" if name in self.names.must_escalate
                        else None), name
            return _BY_INTENT[family], name
        return family, None

    @staticmethod
    def _pick(names, claim, near, lo, peers) -> str | None:
        """The name a claim is about: with as many names as claims in its clause, all names
        first ("X and Y catch 42% and 36%"), the one in the same place; else the nearest
        name before the claim, else after it."""
        at = claim.start - lo
        same = [c for c in peers if lo <= c.start < lo + len(near)]
        if len(same) == len(names) > 1 and all(p < same[0].start - lo for p, _ in names):
            return names[same.index(claim)][1] if claim in same else None
        after = [(p, n) for p, n in names if p > at]
        nxt = min((c.start - lo for c in same if c.start - lo > at), default=len(near))
        if after and after[0][0] < nxt and re.match(r"\S*\s+(of|on)\b",
                                                    near[at:after[0][0]]):
            return after[0][1]
        before = [n for p, n in names if p < at]
        if before:
            return before[-1]
        return names[0][1]

    def _cluster(self, row: str) -> str | None:
        label = re.sub(r"\s*\(.*", "", row).lower().strip()
        label = re.sub(r"\s*/\s*", " / ", label)
        listed = re.search(r"\((.*)\)", row)
        words = {s for _, s in self.names.stems(listed.group(1))} if listed else None
        if listed and not self.names.find("intent", listed.group(1).lower()):
            words = None  # "(all four)" names no intent
        for c in self.names.sets["cluster"]:
            if c.lower() == label:
                intents = (self.doc["clusters"][c].get("intents") or [])
                if words is not None and any(not {s for _, s in self.names.stems(i)} & words
                                             for i in intents):
                    return None  # the row lists other intents than the cluster has
                return c
        return None

    def _model(self, claim, unit, masked) -> str | None:
        """Another board model named in the claim's clause, right before the claim."""
        if unit.is_cell and unit.row in self.names.models and unit.row != self.doc.get("model"):
            return unit.row  # a comparison table: one row per model
        lo, _ = clause(masked, claim)
        text = unit.text[max(0, lo - 40):claim.start]
        for m in self.names.models:
            if m != self.doc.get("model") and re.search(
                    rf"(?<![\w.-]){re.escape(m)}(?![\w-])('s)?\s*[(:]?\s*$", text):
                return m
        return None
