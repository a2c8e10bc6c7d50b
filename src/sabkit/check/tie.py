"""Tie a claim to a figure of the facts document, from its form or the words around it.

First the claim's form (``forms``: "N=3", "16 of 18 per run", "rank 6 of 24"). Else the
nearest figure word (the registry's synonyms: "handed over", "over-escalation",
"calls/ticket") of a kind the claim can be written as, looked for in its clause, then its
sentence, its section, its paragraph, its table row and column (a table cell looks at its
column and row first). Then intent, trap and cluster names, as the facts document keys
them, turn a headline into its per-intent (per-trap, per-cluster) figure ("duplicate 44%" ->
over-escalation of "duplicate order"), and another model's name turns it into that model's
figure. A claim that matches no figure, or two equally well, stays unverified: a tie is
never guessed to make a claim pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sabkit.check import forms
from sabkit.check.context import (DIRECT, FRACTIONS, FUNCTION_WORDS, KINDS, Context, Names,
                                  figure_words, nearest)
from sabkit.facts.figures import FIGURES, lookup

# A headline and the figure it becomes for one intent, for one intent as a count ("6/18"),
# and for one use-case cluster.
_BY_INTENT = {"resolution": "resolution_by_intent", "escalation": "escalation_by_intent",
              "over_escalation": "over_escalation_by_intent",
              "instruction_following": "instruction_following_by_intent",
              "sentiment": "sentiment_by_intent"}
_COUNT_BY_INTENT = {"resolution": "resolved_by_intent", "escalation": "escalated_by_intent",
                    "over_escalation": "over_escalated_by_intent"}
_BY_CLUSTER = {"resolution": "cluster_resolution", "escalation": "cluster_escalation",
               "over_escalation": "cluster_over_escalation",
               "instruction_following": "cluster_instruction_following"}
# Figures that exist only per intent or per trap: without a name they tie to nothing.
_NEEDS_NAME = {"missed_escalation_share": "intent", "trap_caught_share": "trap",
               "confirm_skipped_by_intent": "intent"}


@dataclass(frozen=True)
class Tie:
    figure: str  # registry name
    path: str  # where the data's value is, in the facts document
    value: object  # the data's value at that path (a list for a row over several intents)
    unit: str  # how to compare: the figure's unit (a reasoning figure takes its headline's)
    of: object = None  # what a count is out of ("16 of 18"), when the figure has one


def _over_100(claim) -> bool:
    """"avg 0.886": a judge score written on 0-1 (three places), compared over 100."""
    return claim.kind == "dec" and 0 <= claim.value <= 1 and claim.decimals >= 3


class Tier:
    """Ties the claims of one draft to one model's facts document."""

    def __init__(self, doc: dict, models: list[str]):
        self.doc = doc
        self.names = Names(doc, models)

    def tie(self, c: Context) -> Tie | None:
        name, key = self._figure(c)
        if not name:
            return None
        f = FIGURES[name]
        if f.key and key is None:
            return None
        unit = FIGURES[key.removesuffix("_pooled")].unit if name.startswith("reasoning_") \
            else f.unit
        if isinstance(key, list):  # a table row over several intents: each one's value
            values = [lookup(self.doc, f.path_for(k)) for k in key]
            ofs = {lookup(self.doc, f.of_for(k)) for k in key} if f.of else {None}
            if any(v is None for v in values) or len(ofs) > 1:
                return None
            return Tie(name, f.path_for("{" + ", ".join(key) + "}"), values, unit, ofs.pop())
        path = f.path_for(key)
        model = self._model(c)
        if model and f.key != "model":
            path = f.path_of(model)
            if path is None:
                return None
        value = lookup(self.doc, path)
        if value is None:
            return None
        return Tie(name, path, value, unit, lookup(self.doc, f.of_for(key)) if f.of else None)

    def _figure(self, c: Context) -> tuple[str | None, object]:
        found = forms.read(c, self.names, self.doc)
        if found is not None:
            return found
        family = self._family(c)
        return self._keyed(family, c) if family else (None, None)

    # ---- which figure the words name -----------------------------------------------

    def _family(self, c: Context) -> str | None:
        k, unit = c.claim, c.unit
        figures = FRACTIONS if k.kind == "frac" else DIRECT

        def can(n: str) -> bool:  # a fraction may name any of FRACTIONS
            return k.kind == "frac" or k.kind in KINDS[figures[n].unit]

        if k.kind == "count" and not k.noun.startswith(("action", "message", "call")):
            return None  # "3 traps", "one run": only a form names their figure
        near = (c.masked[c.lo:c.hi], k.start - c.lo)
        compatible = [n for _, n in figure_words(near[0], figures) if can(n)]
        noun = re.match(r"\s*([a-z][\w-]+)", c.after)
        if k.kind in ("pct", "dec") and noun and not figure_words(noun.group(1)) and \
                noun.group(1) not in FUNCTION_WORDS and not compatible:
            return None  # "3.6 look-ups", "0.6 points": a noun no figure of ours is
        if k.kind == "pct" and not unit.is_cell and not compatible:
            intents = self.names.find("intent", near[0].lower())
            if intents and intents[-1][1] in self.names.must_escalate:
                return "escalation"  # "scores 100% on unsupported request"
        wide = [(c.masked, k.start), (unit.section, 0),
                (unit.paragraph, max(0, unit.paragraph.find(unit.text)) + k.start)]
        labels = [(unit.column, 0), (unit.row, 0)]
        for text, at in [near, *labels, *wide] if unit.is_cell else [near, *wide, *labels]:
            words = [(p, n) for p, n in figure_words(text, figures)
                     if can(n) and self._fits(k, figures[n])]
            placed = text is not unit.section and (text, at) not in labels
            best = nearest(words, at) if placed else sorted({n for _, n in words})
            if len(best) == 1:
                return best[0]
            if len(best) > 1 and placed:
                return None  # two figures at one distance from the claim: a tie
            # a label or heading naming two figures says nothing: look further
        return None

    @staticmethod
    def _fits(claim, f) -> bool:
        """A decimal on 0-1 is a share or a 0-1 score; "87.2" is a judge score, "3.24" a
        count per conversation: the claim's magnitude rules out figures of another scale."""
        if claim.kind in ("dec", "range") and not claim.percent:
            v = claim.high if claim.high is not None else claim.value
            if f.unit in ("share", "score"):
                return -1 <= v <= 1
            if f.unit == "points":
                return abs(v) > 1 or _over_100(claim)
        return True

    # ---- for which intent, trap, cluster or model ----------------------------------

    def _keyed(self, family: str, c: Context) -> tuple[str | None, object]:
        unit, k = c.unit, c.claim
        if family == "pair_diff":
            return (family, unit.row) if unit.row in self.names.models else (None, None)
        if unit.is_cell and unit.row:
            cluster = self._cluster(unit.row)
            listed = [n for _, n in self.names.find("intent", unit.row.lower())]
            if cluster is None and len(listed) > 1 and family in _BY_INTENT:
                return _BY_INTENT[family], listed  # a row over several intents
            if cluster and family in _BY_CLUSTER:
                if family == "resolution" and cluster == "must-escalate" or \
                        "handover" in c.near:
                    family = "escalation"
                return _BY_CLUSTER[family], cluster
        if family == "instruction_following" and (  # "handed over with IF 1.00"
                "must-escalate" in c.masked[c.clauses_back(1):c.hi].lower() or
                "escalat" in unit.row.lower()):
            return "instruction_following_by_category", "must_escalate"
        kind = _NEEDS_NAME.get(family, "intent" if family in _BY_INTENT or
                               family in _COUNT_BY_INTENT else None)
        if kind is None:
            return family, None
        anaphor = re.search(r"\bof (them|these)\b", c.around)  # "hands over 94% of them"
        names, lo = self._names_near(kind, c, family in _NEEDS_NAME or bool(anaphor))
        if not names:
            if family in _NEEDS_NAME:
                return None, None
            word = re.search(r"([a-z][\w-]+)\s*$", c.near[:k.start - c.lo])
            if word and not figure_words(word.group(1)) and word.group(1) not in FUNCTION_WORDS:
                return None, None  # "cancel 0.50": a name the draft gives that names nothing
            named = re.search(r"([a-z][\w-]*)\s*\(\s*$", c.before)
            if k.kind != "frac" and named and not figure_words(named.group(1)) and \
                    named.group(1) not in FUNCTION_WORDS:
                return None, None  # "bundle rec/duplicate (17%)", "four other intents (11%)"
            if k.kind == "frac":  # "That 24/24 record", under an escalation heading:
                # with no run named, the cases handed over in every run
                return ("escalation_cases_every_run", None) if family == "escalation" \
                    else (None, None)
            return family, None
        name = self._pick(names, c, lo)
        if name is None:
            return None, None
        if family in _NEEDS_NAME:
            return family, name
        if family in ("escalation", "resolution") and name in self.names.must_escalate:
            family = "escalation"
        elif family == "escalation":
            return None, None  # a must-escalate figure of a solvable intent
        table = _COUNT_BY_INTENT if k.kind == "frac" else _BY_INTENT
        return (table[family], name) if family in table else (None, None)

    def _names_near(self, kind: str, c: Context,
                    anywhere: bool) -> tuple[list[tuple[int, str]], int]:
        """Names in the claim's clause, else up to two clauses back ("return used (33%,
        6/18)"), else (a table cell) its row; for benchmark-wide figures, the sentence."""
        for hops in (0, 1, 2):
            lo = c.clauses_back(hops)
            found = self.names.find(kind, c.masked[lo:c.hi].lower())
            if found:
                return found, lo
        if c.unit.is_cell:
            found = self.names.find(kind, c.unit.row.lower())
            if found:
                return [(-1, n) for _, n in found], c.lo
        if anywhere:  # the sentence so far, else the sentence, else the paragraph before it
            for text in (c.before, c.sentence, c.paragraph_before):
                found = self.names.find(kind, text, whole=True)
                if found:
                    return [(-1, found[-1][1])], c.lo
        return [], c.lo

    @staticmethod
    def _pick(names: list[tuple[int, str]], c: Context, lo: int) -> str | None:
        """The name a claim is about: with as many names as claims in its clause, all the
        names first ("X and Y catch 42% and 36%"), the one in the same place; a name right
        after it ("95% of the benchmark breaks on the wrong-item false closure"); else the
        nearest name before it."""
        text = c.masked[lo:c.hi].lower()
        at = c.claim.start - lo
        same = [p for p in c.peers if lo <= p.start < c.hi and p.kind == c.claim.kind]
        if len(same) == len(names) > 1 and all(p < same[0].start - lo for p, _ in names):
            return names[same.index(c.claim)][1]
        after = [(p, n) for p, n in names if p > at]
        upto = min((p.start - lo for p in same if p.start - lo > at), default=len(text))
        if after and after[0][0] < upto and re.match(r"\S*\s+(of|on)\b", text[at:after[0][0]]):
            return after[0][1]
        before = [n for p, n in names if p < at]
        return before[-1] if before else names[0][1]

    def _cluster(self, row: str) -> str | None:
        """The use-case cluster a table row is about: its label before any brackets, when
        the intents in its brackets (if it lists any) are the cluster's."""
        label = re.sub(r"\s*/\s*", " / ", re.sub(r"\s*\(.*", "", row).lower().strip())
        listed = re.search(r"\((.*)\)", row)
        words = None
        if listed and self.names.find("intent", listed.group(1).lower()):
            words = {s for _, s in self.names.stems(listed.group(1))}
        for cluster in self.names.sets["cluster"]:
            if cluster.lower() != label:
                continue
            intents = self.doc["clusters"][cluster].get("intents") or []
            if words is not None and any(not {s for _, s in self.names.stems(i)} & words
                                         for i in intents):
                return None  # the row lists other intents than the cluster holds
            return cluster
        return None

    def _model(self, c: Context) -> str | None:
        """Another model, when the claim is its figure: a comparison table's row, or the
        model named right before the claim ("gpt-5.4-mini ($$)", "gemma-4-31b's 87.2")."""
        me = self.doc.get("model")
        if c.unit.is_cell and c.unit.row in self.names.models:
            return c.unit.row if c.unit.row != me else None
        text = c.unit.text[max(0, c.lo - 40):c.claim.start]
        for m in self.names.models:
            if m != me and re.search(rf"(?<![\w.-]){re.escape(m)}(?![\w-])('s)?\s*[(:]?\s*$",
                                     text):
                return m
        return None
