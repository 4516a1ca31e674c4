"""Read a file as UTF-8 text, refusing what cannot be text, with the exact place of the fault."""

from __future__ import annotations

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
        size = path.stat().st_size
    except OSError as exc:
        return Diagnostic(Location(display), f"cannot read file: {exc.strerror or exc}")
    if size > limits.max_file_bytes:
        return Diagnostic(
            Location(display),
            f"file is {size / MIB:.1f} MiB, over the {limits.max_file_bytes / MIB:.0f} MiB limit "
            "for one input file; split it",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Diagnostic(Location(display), f"cannot read file: {exc.strerror or exc}")
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
