"""Deterministic randomness: one ``random.Random`` per stable name.

Every random choice in the generator comes from ``rng(seed, "model", "run", "case", ...)``,
seeded from a SHA-256 of the joined parts. Python's ``hash()`` is salted per process, so it
is never used: the same seed must give byte-identical files on every machine and every run.
"""

from __future__ import annotations

import hashlib
import random
import uuid


def digest(*parts: object) -> bytes:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()


def rng(*parts: object) -> random.Random:
    """A generator seeded from the parts, e.g. ``rng(0, "gemma-4-31b", 2, "tracking-03")``."""
    return random.Random(int.from_bytes(digest(*parts)[:8], "big"))


def stable_uuid(*parts: object) -> str:
    """A UUID-shaped id derived from the parts (run ids look like the real benchmark's)."""
    return str(uuid.UUID(bytes=digest(*parts)[:16], version=4))


def code(*parts: object, length: int = 6) -> str:
    """A short upper-case alphanumeric code (tracking numbers, RMA and ticket ids)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    n = int.from_bytes(digest(*parts), "big")
    out = []
    for _ in range(length):
        n, r = divmod(n, len(alphabet))
        out.append(alphabet[r])
    return "".join(out)
