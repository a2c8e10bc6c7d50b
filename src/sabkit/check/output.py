"""The checker's three outputs: a readable list, JSON, and the draft as HTML with every
figure marked. Draft text is untrusted: control characters are stripped before the terminal,
and the HTML escapes it (and keeps it from MathJax) like any transcript text."""

from __future__ import annotations

import html
import json

from sabkit.untrusted import strip_controls
_ORDER = {"contradicted": 0, "unverified": 1, "verified": 2}


def clean(text) -> str:
    return strip_controls(str(text), returns=False)


def as_json(result: dict) -> str:
    """The claims as docs/check.md describes: ``draft`` and ``data`` as the facts document
    holds values (fractions for percentages), ``shown`` the data as the draft writes it."""
    keys = ("line", "text", "claim", "verdict", "draft", "data", "shown", "figure")
    return json.dumps({"model": result["model"],
                       "claims": [{k: c[k] for k in keys} for c in result["claims"]]},
                      ensure_ascii=False, indent=1)


def as_text(result: dict, name: str) -> str:
    """Grouped by section, contradictions first, each with its line number."""
    claims = result["claims"]
    counts = {v: sum(c["verdict"] == v for c in claims) for v in _ORDER}
    head = (f"{clean(name)}: {len(claims)} figure-bearing claims about {result['model']}: "
            f"{counts['contradicted']} contradicted, {counts['verified']} verified, "
            f"{counts['unverified']} unverified")
    if not claims:
        return f"{clean(name)}: no figure-bearing claim found (nothing to check)"
    lines = [head]
    sections: dict[str, list[dict]] = {}
    for c in claims:
        sections.setdefault(c["section"] or "(before the first heading)", []).append(c)
    ranked = sorted(sections.items(),
                    key=lambda kv: min(_ORDER[c["verdict"]] for c in kv[1]))
    for section, rows in ranked:
        lines.append(f"\n## {clean(section)}")
        for c in sorted(rows, key=lambda c: (_ORDER[c["verdict"]], c["line"])):
            lines.append(f"  line {c['line']}: {c['verdict'].upper()} {clean(c['claim'])!s}"
                         + _detail(c) + f"\n      {clean(_short(c['text']))}")
    return "\n".join(lines)


def _detail(c: dict) -> str:
    if c["verdict"] == "contradicted":
        return f" (the data says {clean(c['shown'])}; {c['figure']})"
    if c["verdict"] == "verified":
        return f" (data {clean(c['shown'])}; {c['figure']})"
    return " (tied to no figure of the facts document)"


def _short(text: str, width: int = 150) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


_COLOURS = {"verified": "#dcfce7", "contradicted": "#fee2e2", "unverified": "#e5e7eb"}


def as_html(result: dict, name: str) -> str:
    """The draft's sentences and cells, in order, each figure marked green (verified), red
    (contradicted) or grey (unverified), the data's value on hover."""
    by_text: dict[tuple[int, str], list[dict]] = {}
    for c in result["claims"]:
        by_text.setdefault((c["line"], c["text"]), []).append(c)
    body, section = [], None
    for line, sec, text in dict.fromkeys(result["units"]):
        heading = text == sec
        if sec != section or heading:
            marked = _marked(sec, by_text.get((line, sec), [])) if heading else _esc(sec)
            body.append(f"<h2>{marked}</h2>")
            section = sec
        if heading:
            continue
        body.append(f'<p><span class="line">{line}</span> '
                    f"{_marked(text, by_text.get((line, text), []))}</p>")
    counts = {v: sum(c["verdict"] == v for c in result["claims"]) for v in _ORDER}
    summary = ", ".join(f"{n} {v}" for v, n in counts.items())
    style = "".join(f".{v} {{ background: {c}; }}" for v, c in _COLOURS.items())
    return ("<!doctype html><html><head><meta charset=\"utf-8\">"
            f"<title>check: {_esc(name)}</title><style>body {{ font: 15px/1.5 system-ui, "
            "sans-serif; max-width: 960px; margin: 0 auto; padding: 24px; }} "
            ".line { color: #6b7280; font-size: 80%; } mark { padding: 0 2px; } "
            f"{style}</style></head><body class=\"tex2jax_ignore mathjax_ignore\">"
            f"<h1>{_esc(name)}: {_esc(result['model'])}</h1><p>{_esc(summary)}</p>"
            + "\n".join(body) + "</body></html>\n")


def _esc(text) -> str:
    # "$" starts MathJax in a notebook viewer: escaped as an entity it stays text
    return html.escape(clean(text)).replace("$", "&#36;")


def _marked(text: str, claims: list[dict]) -> str:
    out, at = [], 0
    for c in sorted(claims, key=lambda c: c["start"]):
        if c["start"] < at:
            continue
        tip = (f"data: {c['shown']} ({c['figure']})" if c["figure"]
               else "unverified: tied to no figure")
        out.append(_esc(text[at:c["start"]]))
        out.append(f'<mark class="{c["verdict"]}" title="{_esc(tip)}">'
                   f"{_esc(text[c['start']:c['end']])}</mark>")
        at = c["end"]
    out.append(_esc(text[at:]))
    return "".join(out)
