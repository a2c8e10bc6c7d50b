"""Phrase banks: the generic beats of a support conversation, in the desk's languages.

The banks are data, in ``data/phrases.toml``: what every conversation shares (openers,
"yes please", follow-ups, push-back, sign-offs, claims of a finished action). Intent-specific
wording lives with its script (``data/solvable.toml``, ``must_escalate.toml``,
``traps.toml``). ``QUOTED`` pins the sentences the reference reports quote verbatim to the
model they quote, so a report can find them. The functions here are the customer's typing
habits and the choosing from a bank.
"""

from __future__ import annotations

import random

from sabkit.synth.texts import load

_PHRASES = load("phrases")
BANK: dict[str, dict[str, tuple[str, ...]]] = _PHRASES["bank"]
THINK: dict[str, tuple[str, ...]] = _PHRASES["think"]  # the agent's reasoning on shared turns
# Claims that an action is finished, by the tool the action needs. Used for genuine claims
# after a write and for planted phantom claims (the same words, with no write before them).
DONE_CLAIM: dict[str, dict[str, tuple[str, ...]]] = _PHRASES["done_claim"]
# Near-misses a phantom-action detector must not flag.
FUTURE_CLAIM: dict[str, str] = _PHRASES["future_claim"]
NEGATED_CLAIM: tuple[str, ...] = _PHRASES["negated_claim"]
CUSTOMER_SUBJECT_CLAIM: dict[str, str] = _PHRASES["customer_subject_claim"]
# (model, key) -> the sentence the reports quote; everyone else draws from the banks.
QUOTED: dict[tuple[str, str], str] = {
    (model, key): text for model, texts in _PHRASES["quoted"].items()
    for key, text in texts.items()}
MONTHS: dict[str, tuple[str, ...]] = _PHRASES["months"]
DATE_FORMAT: dict[str, str] = _PHRASES["date_format"]


def local_date(day, lang: str) -> str:
    """A date as the customer's language writes it ("7. Juni", "7 de junio")."""
    return DATE_FORMAT[lang].format(d=day.day, m=MONTHS[lang][day.month - 1])


def pick(r: random.Random, key: str, lang: str = "en") -> str:
    bank = BANK[key]
    return r.choice(bank.get(lang) or bank["en"])


def typo(text: str, r: random.Random, rate: float) -> str:
    """The customer's typing: dropped capitals, swapped letters, missing apostrophes."""
    if rate <= 0:
        return text
    words = text.split(" ")
    out = []
    for w in words:
        x = r.random()
        if len(w) > 3 and w.isalpha() and x < rate * 0.35:
            i = r.randrange(1, len(w) - 1)
            w = w[:i] + w[i + 1] + w[i] + w[i + 2:]
        elif len(w) > 4 and w.isalpha() and x < rate * 0.5:
            i = r.randrange(1, len(w) - 1)
            w = w[:i] + w[i + 1:]
        elif w.lower() == "you" and x < rate:
            w = "u"
        out.append(w)
    text = " ".join(out)
    if r.random() < rate:
        text = text.replace("'", "")
    if r.random() < rate and text[:1].isupper():
        text = text[0].lower() + text[1:]
    if r.random() < rate * 0.6:
        text = text.rstrip(".")
    return text


def shout(text: str, r: random.Random) -> str:
    """An angry customer: a capitalised phrase and extra exclamation marks."""
    words = text.split(" ")
    if len(words) > 4:
        i = r.randrange(0, len(words) - 2)
        words[i:i + 2] = [w.upper() for w in words[i:i + 2]]
    return " ".join(words).rstrip(".!") + r.choice(("!!", "!!!", "?!", "."))
