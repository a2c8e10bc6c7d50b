"""How it compares: the nearest board models with the paired test, ties and significant
gaps (from the same table), and value from the cost tiers, with the peers linked."""

from __future__ import annotations

from sabkit.report import rules
from sabkit.report.grammar import join, plural, word
from sabkit.report.markup import esc, h2, model_link, not_measured, p
from sabkit.report.sections import COMPARES
from sabkit.report.tables import nearest, tier


def render(r) -> str:
    f = r.facts
    cmp_ = f["compare"]
    linked = r.linked
    parts = [h2(COMPARES)]
    if cmp_["nearest"]:
        parts.append(p(f"The {word(len(cmp_['nearest']))} board models nearest on judge score, "
                       "compared case by case over the same cases. The paired difference is "
                       "the mean, over those cases, of this model's score minus the other's; "
                       "it is what the test tests, and it need not equal the gap between the "
                       "two medians:"))
        parts.append(nearest(f, linked))
    else:
        parts.append(p("There is no other board model to compare it with."))
    text = []
    # every sentence here reads the table's own rows, so prose and table cannot disagree
    ties = [c["model"] for c in cmp_["nearest"] if c["verdict"] == "tie"]
    above = [c["model"] for c in cmp_["nearest"] if c["verdict"] == "worse"]
    below = [c["model"] for c in cmp_["nearest"] if c["verdict"] == "better"]
    more_ties = [m for m in cmp_.get("ties") or [] if m not in ties]
    if ties:
        text.append(f"On quality it is a statistical tie with {_links(ties, linked)}"
                    + (f" (and, further off, {_links(more_ties, linked)})." if more_ties
                       else "."))
    if above:
        text.append(f"{_links(above, linked)} {plural(len(above), 'scores', 'score')} "
                    "significantly higher.")
    if below:
        text.append(f"It scores significantly higher than {_links(below, linked)}.")
    parts.append(p(*text))
    if f["measured"]["cost_tier"] and f["cost_tier"]:
        parts.append(p(value_sentence(f, linked)))
    else:
        parts.append(not_measured("cost, so value is not assessed"))
    return "".join(parts)


def _links(models: list[str], linked) -> str:
    return join([model_link(m, linked) for m in models])


def value_sentence(f: dict, linked: set[str] | None = None) -> str:
    """Value from the cost tiers: dominated, a value pick (``rules.value_pick``), or where
    it stands in its tier. Who should pick it follows from the same rules."""
    v = f["value"]
    text = []
    cheaper, dearer = rules.cheaper_matches(f), rules.matched_dearer(f)
    if cheaper:
        d = cheaper[0]
        how = "a statistical tie" if d["verdict"] == "tie" else "significantly better"
        others = (f" ({_links([c['model'] for c in cheaper[1:3]], linked)} too)"
                  if cheaper[1:] else "")
        text.append(f"On value it is dominated: {model_link(d['model'], linked)} "
                    f"({esc(d['cost_tier'])}) is {how} on quality from a cheaper "
                    f"tier{others}.")
    matched = join([f"{model_link(d['model'], linked)} ({esc(d['cost_tier'])})"
                    for d in dearer[:3]])
    if dearer and cheaper:
        text.append(f"It does match {matched} from a cheaper tier, but a cheaper model "
                    "matches it too.")
    elif dearer and rules.value_pick(f):
        text.append(f"For quality per dollar it leads: it matches {matched} from a cheaper "
                    "tier, which makes it a value pick.")
    elif dearer:
        why = ("a variant, not a board model" if rules.is_variant(f)
               else "outside the board's top half on judge score")
        text.append(f"It matches {matched} from a cheaper tier, but it is {why}, so the report "
                    "does not call it a value pick.")
    best = [k.replace("_", " ") for k, ok in (v.get("best_in_tier") or {}).items() if ok]
    if best and not rules.is_variant(f):
        text.append(f"Within the {esc(tier(f['cost_tier']))} tier no board model beats it on "
                    f"{join(best)}.")
    if not text:
        text.append(f"In the {esc(tier(f['cost_tier']))} tier, nothing cheaper matches it and "
                    "it matches nothing dearer.")
    text.append(who_should_pick(f))
    return " ".join(t for t in text if t)


def who_should_pick(f: dict) -> str:
    """One line from the value position and the top risk: who it suits."""
    from sabkit.report import risks
    top = risks.top(f)
    if rules.is_variant(f):
        return ""
    if rules.value_pick(f):
        guard = f" with a guardrail against {top.name}" if top else ""
        return f"Who should pick it: a team buying quality per dollar{guard}."
    if rules.highest_scoring(f):
        return "Who should pick it: a team that wants the board's best quality at any price."
    if rules.value_dominated(f):
        return ("Who should pick it: few teams on quality per dollar; the cheaper model named "
                "above does as well.")
    return ""
