"""``sabkit`` as a user runs it: a separate process, its exit status and what it printed;
and a benchmark imported that way, opened for a test to read."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

import sabkit

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sabkit.cli", *args],
                          capture_output=True, text=True, cwd=REPO)


@contextlib.contextmanager
def imported_bench(out: Path, *source: str):
    """``sabkit import SOURCE... --out OUT``, which must succeed; yields the benchmark it
    wrote, open, and what the command printed."""
    result = cli("import", *source, "--out", str(out))
    assert result.returncode == 0, result.stderr
    with sabkit.open(out) as bench:
        yield bench, result.stdout
