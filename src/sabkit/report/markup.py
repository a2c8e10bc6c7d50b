"""The report's HTML: one escaping path for every piece of data text, and the few elements
the sections are built from (paragraphs, headings, lists, tables, links between reports).

A string is either ``Html`` (markup sabkit built, whose data parts were escaped where they
were placed) or anything else, which is escaped where it is placed. So a case id, a trap or
a model name that reaches a table as a plain string can never become markup. Transcript
text is also kept from MathJax: Jupyter's HTML output would typeset "$5 ... $10" as maths,
so every ``$`` of data text is written as the entity ``&#36;``.
"""

from __future__ import annotations

import html
import re

from sabkit.report.paths import file_stem


class Html(str):
    """Markup sabkit built, safe to place as is."""


def esc(text) -> str:
    """Data text as HTML text: markup escaped, ``$`` kept from MathJax."""
    return html.escape(str(text), quote=True).replace("$", "&#36;")


def cell(value) -> str:
    return value if isinstance(value, Html) else esc("" if value is None else value)


def p(*sentences: str) -> str:
    return "<p>" + " ".join(s for s in sentences if s) + "</p>"


def slug(title: str) -> str:
    """The anchor of a section: "#sab-adversarial-safety"."""
    return "sab-" + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def h2(title: str, subtitle: str = "") -> str:
    """A section heading whose id is its title, so the table of contents can link to it."""
    return f'<h2 id="{slug(title)}">{title}{": " + subtitle if subtitle else ""}</h2>'


def b(html_text: str) -> str:
    return f"<strong>{html_text}</strong>"


def code(name: str) -> str:
    return f"<code>{esc(name)}</code>"


def ul(items: list[str]) -> str:
    items = [i for i in items if i]
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else ""


def not_measured(what: str) -> str:
    """The one line a section shows for a figure the benchmark does not have."""
    return f'<p class="sab-na">This benchmark does not measure {what}.</p>'


def report_href(model: str) -> str:
    """Where a model's report lives beside this one (``report --all`` writes them side by
    side, named by ``file_stem``)."""
    return f"{file_stem(model)}.html"


def model_link(model: str, known: set[str] | None = None) -> str:
    """A model's name linking to its report, when ``known`` (the models with a report in
    the same folder) holds it; the bare escaped name otherwise."""
    if known is not None and model not in known:
        return esc(model)
    return f'<a class="sab-model" href="{esc(report_href(model))}">{esc(model)}</a>'


def table(headers: list, rows: list[list], cls: str = "sab-table",
          row_ids: list[str | None] | None = None, caption: str = "") -> Html:
    """A table; every cell that is not ``Html`` is escaped here. It sits in a box that
    scrolls sideways on a narrow screen instead of widening the page."""
    head = "".join(f'<th scope="col">{cell(h)}</th>' for h in headers)
    body = []
    for i, row in enumerate(rows):
        rid = row_ids[i] if row_ids else None
        attr = f' id="{esc(rid)}"' if rid else ""
        body.append(f"<tr{attr}>" + "".join(f"<td>{cell(c)}</td>" for c in row) + "</tr>")
    cap = f"<caption>{caption}</caption>" if caption else ""
    return Html(f'<div class="sab-scroll"><table class="{esc(cls)}">{cap}<thead><tr>{head}'
                f"</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


def bold(text) -> Html:
    return Html(f"<strong>{cell(text)}</strong>")


def stylesheet() -> str:
    """The report's CSS (``report.css`` beside this module): call-outs, quotes, tables,
    navigation, and the narrow-screen rules."""
    from importlib.resources import files

    return files("sabkit.report").joinpath("report.css").read_text(encoding="utf-8")


def style(href: str | None = None) -> str:
    """The CSS inline (a report that opens alone), or a link to the shared copy ``href``
    that ``report --all`` writes once beside the reports."""
    if href:
        return f'<link rel="stylesheet" href="{esc(href)}">'
    return f"<style>{stylesheet()}</style>"
