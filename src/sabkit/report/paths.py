"""Where a model's report files go: its name made safe as a file name.

A module of its own because the exporter (which writes ``MODEL.html``) and the index page
(which reads ``MODEL.facts.json`` and links ``MODEL.html``) both need it, and neither
should import the other for it.
"""

from __future__ import annotations

import hashlib
import re

_NOT_IN_FILE_NAMES = re.compile(r"[^A-Za-z0-9._@+-]")
MAX_STEM = 80  # the hidden temporary names hold the stem twice: 2 x 80 + 40 < 255 bytes


def file_stem(model: str) -> str:
    """The model's name as a file name: itself when it is short and made of letters, digits
    and ``._@+-`` only; else those characters (others as ``_``, at most MAX_STEM of them)
    and a digest of the full name, so two names never share a file (``team/model`` and
    ``team model`` would both be ``team_model``)."""
    stem = _NOT_IN_FILE_NAMES.sub("_", model).lstrip(".")
    if stem == model and len(stem) <= MAX_STEM:
        return stem
    return f"{stem[:MAX_STEM]}-{hashlib.sha256(model.encode()).hexdigest()[:10]}"
