"""A draft as the checker reads it: sentences and table cells, each with its line and section.

A draft is Markdown (as the analysts' reference reports) or a report HTML that sabkit wrote,
perhaps edited. Either way it becomes a list of ``Unit``: the text of one sentence or one
table cell, its line in the file, the section heading above it, and for a cell its row and
column labels, which name the figure the cell states. What is not a claim about the data is
left out: HTML comments (the reference reports' unpublished metadata), quoted transcript
text in a report (its own elements), the appendix of failing conversations, scripts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sabkit.errors import SabkitError


class DraftError(SabkitError):
    """A draft the checker cannot read: empty, binary, or with a malformed table."""

    exit_code = 2


@dataclass(frozen=True)
class Unit:
    line: int
    section: str
    text: str
    paragraph: str = ""  # the paragraph a sentence comes from: the wider context
    row: str = ""  # a table cell's row label (its row's first cell)
    column: str = ""  # a table cell's column header

    @property
    def is_cell(self) -> bool:
        return bool(self.column)


def decode(data: bytes, name: str) -> str:
    """The draft's text; DraftError for an empty or binary file (one line, with the fix)."""
    if not data.strip():
        raise DraftError(f"{name} is empty: give a Markdown or report HTML draft to check")
    if b"\x00" in data[:8192]:
        raise DraftError(f"{name} is a binary file, not a draft: give a Markdown (.md) or "
                         "report HTML (.html) file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DraftError(f"{name} is not UTF-8 text (byte {exc.start}): save the draft as "
                         "UTF-8 Markdown or HTML") from None


def is_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith("<!doctype html") or head.startswith("<html")


def title(text: str) -> str:
    """The draft's title: its first Markdown heading or HTML h1, else its first line."""
    if is_html(text):
        m = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S | re.I)
        return re.sub(r"<[^>]+>", "", m.group(1)) if m else ""
    for line in text.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return next((ln.strip() for ln in text.splitlines() if ln.strip()), "")


def units(text: str, name: str = "draft") -> list[Unit]:
    return _html_units(text) if is_html(text) else _markdown_units(text, name)


# ---- Markdown ------------------------------------------------------------------------

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*])")
# A sentence ends at . ! or ? and a space, unless the dot ends an abbreviation; the next one
# may start in lower case, with a model name ("... unsupported request. gpt-5.5 hands ...").
_SENTENCE = re.compile(r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\betc\.)(?<=[.!?])\s+(?=\S)")
_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def plain(markdown: str) -> str:
    """Inline Markdown as the reader sees it: links to their text, emphasis marks dropped."""
    return _EMPHASIS.sub("", _LINK.sub(r"\1", markdown)).strip()


def sentences(paragraph: str) -> list[str]:
    """The paragraph's sentences; never split inside a quote ("…", “…”, ⟨think: …⟩), whose
    text is the transcript's, not the draft's."""
    out, start = [], 0
    for m in _SENTENCE.finditer(paragraph):
        head = paragraph[start:m.start()]
        if head.count('"') % 2 or head.count("“") > head.count("”") or \
                head.count("⟨") > head.count("⟩"):
            continue
        out.append(head)
        start = m.end()
    out.append(paragraph[start:])
    return [s for s in out if s.strip()]


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [plain(c) for c in re.split(r"(?<!\\)\|", inner)]


def _markdown_units(text: str, name: str) -> list[Unit]:
    out: list[Unit] = []
    section = ""
    lines = text.splitlines()
    i = 0
    in_comment = False
    while i < len(lines):
        raw = lines[i]
        number = i + 1
        i += 1
        if in_comment or raw.lstrip().startswith("<!--"):
            in_comment = "-->" not in raw
            continue
        stripped = raw.strip()
        if not stripped or stripped in ("---", "***"):
            continue
        if stripped.startswith("#"):
            section = plain(stripped.lstrip("#"))
            out.append(Unit(number, section, section, section))
            continue
        if stripped.startswith("|"):
            i = _table(lines, i - 1, section, name, out)
            continue
        para = plain(stripped.lstrip("-*>+ ").strip()) if re.match(r"[-*+>]\s", stripped) \
            else plain(stripped)
        for s in sentences(para):
            out.append(Unit(number, section, s, para))
    return out


def _table(lines: list[str], start: int, section: str, name: str, out: list[Unit]) -> int:
    """Read the table starting at ``start``; the index of the first line after it."""
    header = _cells(lines[start])
    if start + 1 >= len(lines) or not _SEPARATOR.match(lines[start + 1].strip()):
        raise DraftError(f"{name} line {start + 1}: a table row with no header separator "
                         "under it (a line like |---|---|): fix the table or make the line "
                         "plain text")
    seps = _cells(lines[start + 1])
    if len(seps) != len(header):
        raise DraftError(f"{name} line {start + 2}: the table's separator has {len(seps)} "
                         f"columns, its header {len(header)}: make them match")
    i = start + 2
    while i < len(lines) and lines[i].strip().startswith("|"):
        cells = _cells(lines[i])
        if len(cells) != len(header):
            raise DraftError(f"{name} line {i + 1}: a table row with {len(cells)} cells under "
                             f"a header of {len(header)}: add or remove | separators")
        for column, cell in zip(header[1:], cells[1:]):
            if cell:
                out.append(Unit(i + 1, section, cell, cell, row=cells[0], column=column))
        if cells[0]:
            out.append(Unit(i + 1, section, cells[0], cells[0], row=cells[0]))
        i += 1
    return i


# ---- report HTML ---------------------------------------------------------------------

# Elements that carry no claim about the data: transcript quotes, the appendix of failing
# conversations (one row per conversation), charts and styles.
_SKIP = ("sab-quoted", "sab-quote", "sab-appendix")


def _html_units(text: str) -> list[Unit]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style", "head"]):
        tag.decompose()
    for cls in _SKIP:
        for tag in soup.find_all(class_=cls):
            tag.decompose()
    out: list[Unit] = []
    section = ""
    for tag in soup.find_all(["h1", "h2", "h3", "h4", "p", "li", "table"]):
        if tag.find_parent(["table", "li"]) and tag.name != "table" or \
                tag.name == "p" and tag.find_parent("li"):
            continue
        line = tag.sourceline or 0
        if tag.name in ("h1", "h2", "h3", "h4"):
            section = _text(tag)
            out.append(Unit(line, section, section, section))
        elif tag.name == "table":
            _html_table(tag, section, out)
        else:
            para = _text(tag)
            for s in sentences(para):
                out.append(Unit(line, section, s, para))
    return out


def _text(tag) -> str:
    return re.sub(r"\s+", " ", tag.get_text(" ")).replace(" ,", ",").replace(" .", ".") \
        .replace("( ", "(").replace(" )", ")").replace(" :", ":").strip()


def _html_table(table, section: str, out: list[Unit]) -> None:
    rows = table.find_all("tr")
    if not rows:
        return
    header = [_text(c) for c in rows[0].find_all(["th", "td"])]
    for tr in rows[1:]:
        cells = [_text(c) for c in tr.find_all(["th", "td"])]
        if not cells:
            continue
        for column, cell in zip(header[1:], cells[1:]):
            if cell:
                out.append(Unit(tr.sourceline or 0, section, cell, cell, row=cells[0],
                                column=column))
