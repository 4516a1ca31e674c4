"""Read a file as UTF-8 text, refusing what cannot be text, with the exact place of the fault."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from socklock.load.limits import MIB, Limits
from socklock.model import Diagnostic, Location

BINARY_SNIFF_BYTES = 8192


@dataclass(frozen=True, slots=True)
class TextFile:
    path: str
    text: str


def read_text(path: Path, display: str, limits: Limits) -> TextFile | Diagnostic:
    """The file's text, or one diagnostic saying why it cannot be read as text."""
    try:
        # O_NONBLOCK: a FIFO put in the file's place must not hang the run.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        return Diagnostic(Location(display), f"cannot read file: {_why(exc)}")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return Diagnostic(Location(display), "not a regular file, not read")
        size = info.st_size
        if size > limits.max_file_bytes:
            return Diagnostic(
                Location(display),
                f"file is {size / MIB:.1f} MiB, over the {limits.max_file_bytes / MIB:.0f} MiB "
                "limit for one input file; split it",
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            # the size it has, and one byte more: asking for the limit would allocate it
            # (64 MiB) for every file; a file that grew since (or reports no size, as
            # /proc does) is read on, up to the limit and one byte
            data = handle.read(min(size, limits.max_file_bytes) + 1)
            if len(data) > size:
                data += handle.read(limits.max_file_bytes + 1 - len(data))
    except OSError as exc:
        return Diagnostic(Location(display), f"cannot read file: {_why(exc)}")
    finally:
        os.close(fd)
    return decode_text(data, display, limits)


def decode_text(data: bytes, display: str, limits: Limits) -> TextFile | Diagnostic:
    """Bytes read from a file or a stream as text, or one diagnostic saying why not."""
    if len(data) > limits.max_file_bytes:
        return Diagnostic(
            Location(display),
            f"input is over the {limits.max_file_bytes / MIB:.0f} MiB limit for one input "
            "file; split it",
        )
    if b"\0" in data[:BINARY_SNIFF_BYTES]:
        return Diagnostic(Location(display), "binary file (contains NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return TextFile(display, data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        return Diagnostic(Location(display, line, column), f"not UTF-8 text: invalid byte 0x{bad}")


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    return (exc.strerror or str(exc)).lower()
