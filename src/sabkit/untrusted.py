"""Text from transcripts, model names and drafts is untrusted: the characters no output of
sabkit passes on, in one place for the terminal (sabkit.cli.terminal), the checker's
output and the HTML of reports and the explorer.

Stripped: C0 controls but tab, newline and carriage return; DEL; C1 controls; and the
bidirectional marks, embeddings, overrides and isolates. A terminal obeys the controls
instead of showing them (an escape sequence recolours, moves or rewrites it); a
right-to-left override reverses the text around it on a terminal and in a browser alike,
so a quote could read other than it is.

>>> strip_controls("refund\\x1b[2J issued\\u202e")
'refund[2J issued'
"""

from __future__ import annotations

import re

CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str, *, returns: bool = True) -> str:
    """``text`` without those characters; ``returns=False`` drops carriage returns too,
    where nothing redraws a line (a progress bar needs them, a quoted line does not)."""
    text = CONTROLS.sub("", text)
    return text if returns else text.replace("\r", "")
