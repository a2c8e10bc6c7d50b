"""What sabkit prints is cleaned of control characters first: names and texts come from
transcripts, and an escape sequence in a model's name would otherwise recolour, move or
rewrite the user's terminal, a right-to-left override reverse the line around it.

``cleaned()`` wraps stdout and stderr for the length of one command, so every output path
(summaries, errors, progress) goes through the one filter (``sabkit.untrusted`` says which
characters it drops). JSON keeps every character: on
a terminal the few it would print raw are written as ``\\uXXXX`` escapes (``json_safe``),
which decode to the same string; into a pipe or a file it is written as is (``unfiltered``),
because a program reading it needs no such pass over every character of ``facts --all
--json`` (tens of megabytes on a large benchmark, scanned in Python).
"""

from __future__ import annotations

import contextlib
import sys

from sabkit.untrusted import CONTROLS, strip_controls


def json_safe(text: str) -> str:
    """JSON text with those characters escaped (valid JSON, the same decoded strings)."""
    return CONTROLS.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


class _Cleaned:
    """A text stream that strips unsafe characters from whatever is written to it."""

    def __init__(self, stream):
        self._stream = stream

    @property
    def unfiltered(self):
        return self._stream

    def write(self, text: str) -> int:
        self._stream.write(strip_controls(text))
        return len(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def write_json(text: str) -> None:
    """JSON text to stdout: escaped where a terminal shows it, exact anywhere else."""
    out = getattr(sys.stdout, "unfiltered", sys.stdout)
    out.write(json_safe(text) if out.isatty() else text)


@contextlib.contextmanager
def cleaned():
    """stdout and stderr filtered by ``strip_controls`` inside the block."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Cleaned(out), _Cleaned(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
