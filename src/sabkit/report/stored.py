"""A report's quotes, kept with the facts of the same files.

``quotes.findings`` picks a model's quoted conversations and reads their turns from the
transcripts: of a report's setup, the one step that scans the messages. Like the facts it
is a pure function of the benchmark's files, of sabkit's code and of the model, so it is
kept in the cache (kind ``sab_quotes``) under the facts' key (``facts.stored.entry_key``)
and the model's name, as one JSON file: a second report of the model on unchanged files (a
re-run, `sabkit report` after `report --all`) reads it instead of fetching the turns again.
A changed file or module is a new key, as for the facts; with the cache off, or a
benchmark at a URL, every report computes its quotes.
"""

from __future__ import annotations

import json
from pathlib import Path

from sabkit.facts import stored
from sabkit.io import cache
from sabkit.report import quotes

KIND = "sab_quotes"
FILE = "findings.json"


def findings(bench, facts: dict) -> quotes.Findings:
    """``quotes.findings(bench, facts)``, read from its cache entry when there is one."""
    key = stored.entry_key(bench)
    if key is None:
        return quotes.findings(bench, facts)
    made: list[quotes.Findings] = []

    def build(folder: Path) -> None:
        made.append(quotes.findings(bench, facts))
        (folder / FILE).write_text(json.dumps(made[0].to_json(), ensure_ascii=False),
                                   encoding="utf-8")

    try:
        folder = cache.entry(KIND, cache.digest(KIND, key, facts["model"]), build,
                             holds=(FILE,))
    except OSError:  # the cache's disk is full or gone: the quotes, without an entry
        folder = None
    if made:
        return made[0]
    if folder is None:
        return quotes.findings(bench, facts)
    return quotes.Findings.from_json(json.loads((folder / FILE).read_text(encoding="utf-8")))
