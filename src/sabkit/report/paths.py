"""Where a model's report files go: its name made safe as a file name.

A module of its own because the exporter (which writes ``MODEL.html``) and the index page
(which reads ``MODEL.facts.json`` and links ``MODEL.html``) both need it, and neither
should import the other for it.
"""

from __future__ import annotations

import re


def file_stem(model: str) -> str:
    """The model's name made safe as a file name (`a/b` -> `a_b`; `@` and `.` are kept)."""
    return re.sub(r"[^A-Za-z0-9._@+-]", "_", model)
