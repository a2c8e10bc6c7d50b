"""Hostile transcript text and how to prove it stayed text: for the report and explorer tests.

``write_hostile`` is the tiny benchmark with markup appended to every message, reasoning and
trap name; ``Page`` parses HTML as a browser would load it; ``assert_inert`` checks that none
of the hostile text became an element or a script.
"""

from __future__ import annotations

import html.parser
from pathlib import Path

import duckdb

from builders import tiny
from sabkit.io.sql import read_parquet, string

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)> </script><marquee>moving</marquee>"


def write_hostile(path: Path) -> Path:
    """The tiny benchmark with HOSTILE appended to every message, reasoning and trap."""
    root = tiny.write(path)
    lit = string(HOSTILE)
    rewrites = {
        "messages": f"SELECT * REPLACE (content || ' ' || {lit} AS content, "
                    f"reasoning || ' ' || {lit} AS reasoning)",
        "cases": f"SELECT * REPLACE (CASE WHEN trap IS NULL THEN NULL "
                 f"ELSE trap || ' ' || {lit} END AS trap)",
    }
    for table, select in rewrites.items():
        src = root / f"{table}.parquet"
        tmp = root / f"{table}.new.parquet"
        duckdb.sql(f"COPY ({select} FROM {read_parquet(str(src), hive=False)}) "
                   f"TO {string(tmp)} (FORMAT parquet)")
        tmp.replace(src)
    return root


class Page(html.parser.HTMLParser):
    """What a browser would load and run: script sources, inline scripts, elements."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def assert_inert(text: str) -> None:
    """The hostile transcript text is nowhere markup: no element or script came from it."""
    page = Page(text)
    assert not [a for t, a in page.tags if t == "img" and "onerror" in a]
    assert not [t for t, a in page.tags if t == "marquee"]
    assert not [s for s in page.scripts if s.strip() == "alert(1)"]
    assert "<script>alert(1)" not in text and "<img src=x" not in text
