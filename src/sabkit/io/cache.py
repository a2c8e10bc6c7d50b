"""What sabkit derives from a set of Parquet files, kept until those files change.

Reading the transcripts (the message text, every tool call) is the one expensive step of
every figure: at 100 times the sample it is 90% of ``sabkit facts --all``. Its result, a few
small tables per conversation, depends only on the input files and on the SQL that derives
it, so it is kept on disk under a key made of both, the way make keeps an object file:

- a file is known by its path, size, modification time, change time and inode: any rewrite
  of it, in place or by rename, changes the key (the Parquet is never read to make the key);
- the derivation is known by a digest of its SQL and parameters: editing a metric's query
  or regex makes new entries, never reuses old ones.

An entry is a folder of Parquet files written under a temporary name and renamed into
place, so a crash or a parallel run leaves either a whole entry or none. Each file's size
and CRC-32 are written with it (``MANIFEST``) and checked on every use: an entry truncated
or damaged after the fact (a full disk, a copy cut short, a hand edit) is rebuilt, never
read. The check is against accident, not malice (whoever can write an entry can write its
manifest too), so a checksum serves where a cryptographic hash adds nothing: CRC-32 catches
every error burst of up to 32 bits and all but one in 2**32 of any other damage, the size
catches a cut, and it costs less than SHA-256 on every read of an entry (an entry written
with an older manifest is still checked with its SHA-256). A staging folder left by a
killed process is removed by the next writer of its kind. Entries live in
``$SABKIT_CACHE`` (default ``$XDG_CACHE_HOME/sabkit`` or ``~/.cache/sabkit``);
``SABKIT_CACHE=off`` turns the cache off, and a benchmark at a URL is never cached (its
files cannot be stat'ed cheaply). Nothing is ever read from a stale entry: a changed file
simply has a new key. An entry unused for ``KEEP_DAYS`` is deleted when a new one of its
kind is written (a benchmark that changes daily would otherwise pile up old entries);
``rm -rf ~/.cache/sabkit`` is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
import zlib
from pathlib import Path
from typing import Callable, Iterable

OFF = "off"
KEEP_DAYS = 30
MANIFEST = ".sabkit-manifest.json"


def root() -> Path | None:
    """The cache folder, or None when ``SABKIT_CACHE=off``."""
    configured = os.environ.get("SABKIT_CACHE")
    if configured is not None:
        return None if configured.strip().lower() in (OFF, "0", "") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sabkit"


def digest(*parts: object) -> str:
    """A short hex digest of the parts: the name of what they determine. Bytes (a source
    file) are hashed as they are, after their length; anything else by its ``repr``."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, bytes):
            h.update(b"bytes %d\0" % len(part))
            h.update(part)
        else:
            h.update(repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()[:24]


def file_key(paths: Iterable[str | Path]) -> str:
    """The digest of a set of files' identities (path, size, mtime, ctime, inode)."""
    idents = []
    for p in sorted(str(p) for p in paths):
        st = os.stat(p)
        idents.append((os.path.abspath(p), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return digest(*idents)


def entry(kind: str, key: str, build: Callable[[Path], None],
          holds: tuple[str, ...] = ()) -> Path | None:
    """The folder of entry ``kind/key``, made by ``build(folder)`` if it is not there yet
    or no longer whole; None when the cache is off or its folder cannot be written (the
    caller then derives without it). ``build`` writes into an empty temporary folder that
    becomes the entry only when it returns; ``holds`` names the files it must write."""
    base = root()
    if base is None:
        return None
    final = base / kind / key
    if final.is_dir():
        if _whole(final, holds):
            _touch(final)
            return final
        shutil.rmtree(final, ignore_errors=True)
    try:
        (base / kind).mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{key}-{os.getpid()}-", dir=base / kind))
    except OSError:
        return None
    try:
        build(staging)
        _write_manifest(staging)
        staging.rename(final)
    except OSError:  # another process renamed its copy first: theirs is as good as ours
        shutil.rmtree(staging, ignore_errors=True)
        if not final.is_dir():
            raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _prune(base / kind)
    return final


_CRC32 = "crc32:"
"""The prefix of a CRC-32 in the manifest; a digest without it is an older entry's SHA-256."""


def _crc32(path: Path) -> str:
    crc, chunk = 0, bytearray(1 << 20)
    view = memoryview(chunk)
    with open(path, "rb", buffering=0) as f:
        while n := f.readinto(chunk):
            crc = zlib.crc32(view[:n], crc)
    return f"{_CRC32}{crc:08x}"


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _checksum(path: Path, like: str) -> str:
    """The file's checksum of the kind of ``like`` (a manifest's entry)."""
    return _crc32(path) if like.startswith(_CRC32) else _sha256(path)


def _write_manifest(folder: Path) -> None:
    files = {p.name: [p.stat().st_size, _crc32(p)] for p in folder.iterdir() if p.is_file()}
    (folder / MANIFEST).write_text(json.dumps(files), encoding="utf-8")


def _whole(folder: Path, holds: tuple[str, ...]) -> bool:
    """Every file the manifest lists is there with its size and checksum, ``holds`` among
    them. An entry made before manifests existed is not trusted (it is rebuilt once)."""
    try:
        files = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return set(holds) <= set(files) and all(
            (folder / name).stat().st_size == size
            and _checksum(folder / name, digest) == digest
            for name, (size, digest) in files.items())
    except (OSError, ValueError, TypeError):
        return False


def _touch(folder: Path) -> None:
    """Mark an entry used now (its folder's mtime), so pruning keeps it."""
    try:
        os.utime(folder)
    except OSError:
        pass


def _prune(kind_folder: Path) -> None:
    """Delete this kind's entries unused for KEEP_DAYS, and staging folders whose process
    is gone (killed while it wrote)."""
    cutoff = time.time() - KEEP_DAYS * 86400
    for folder in kind_folder.iterdir():
        try:
            if folder.stat().st_mtime < cutoff or _abandoned(folder.name):
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass


def _abandoned(name: str) -> bool:
    """A staging folder (``.KEY-PID-random``, see ``entry``) whose process is gone."""
    parts = name[1:].rsplit("-", 2)
    return name.startswith(".") and len(parts) == 3 and parts[1].isdigit() and not alive(
        int(parts[1]))


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (what it left behind is then still in use)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive, someone else's
        return True
    return True


def has(kind: str, key: str) -> bool:
    """Whether entry ``kind/key`` exists (False when the cache is off)."""
    base = root()
    return base is not None and (base / kind / key).is_dir()


def mark(kind: str, key: str) -> None:
    """Record that ``kind/key`` holds (an empty entry: a fact, no data), if the cache is on."""
    entry(kind, key, lambda folder: None)
