"""Customer experience: the judge's sentiment, its lowest intents, how much the customer
wrote, the languages."""

from __future__ import annotations

from sabkit.report.grammar import dec, join
from sabkit.report.markup import esc, h2, not_measured, p
from sabkit.report.sections import EXPERIENCE
from sabkit.report.sections.instructions import ranked_headline
from sabkit.report.rules import tickets_only, worst


def render(r) -> str:
    f = r.facts
    parts = [h2(EXPERIENCE)]
    if f["measured"]["sentiment"]:
        s = f["sentiment"]
        text = ranked_headline(f, "sentiment", "Sentiment")
        low = worst(tickets_only(f, s["by_intent"]), n=2, below=0.8)
        if low:
            text += f" Lowest on {join([f'{esc(i)} ({dec(v)})' for i, v in low])}."
        parts.append(p(text))
    else:
        parts.append(not_measured("customer sentiment"))
    # from the registry's sourced figure (facts.figures); absent from hand-written facts
    turns = (f.get("customer_messages_per_conversation") or {}).get("value")
    if turns is not None:
        parts.append(p(f"A conversation holds {turns:.2f} customer messages on average "
                       "(pooled over the complete runs)."))
    langs = f["measured"].get("languages") or []
    if len(langs) > 1:
        parts.append(p(f"Customers write in {len(langs)} languages "
                       f"({', '.join(esc(x) for x in langs)}); this benchmark does not "
                       "break the figures down by language."))
    return "".join(parts)
