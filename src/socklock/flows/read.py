"""Stream flow files line by line into observations: one per distinct (source, destination,
port, protocol), with its count and first and last time. Memory grows with the distinct
tuples, never with the file: a line longer than ``MAX_LINE`` is skipped unread."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from socklock.flows.formats import FORMATS, detect
from socklock.flows.record import BadLine, FlowRecord, LineWarning

STDIN = "-"
STDIN_NAME = "<stdin>"
MAX_LINE = 1 << 20  # bytes; no flow record comes near it
DETECT_LINES = 100  # lines read to find a file's format
WARNINGS_PER_FILE = 20  # the rest are counted

# (source IP, destination IP, source name, destination name, destination port, protocol)
FlowKey = tuple[
    str | None, str | None, tuple[str, str] | None, tuple[str, str] | None, int | None, str
]


@dataclass(slots=True)
class Observation:
    """Every record of one flow key: how many, when, and where the first one is."""

    count: int
    first: float | None
    last: float | None
    file: str
    line: int
    verdicts: set[str] = field(default_factory=set)


@dataclass(slots=True)
class FileSummary:
    file: str
    format: str | None
    records: int = 0
    skipped: int = 0  # lines with no flow: headers, replies, other log messages, NODATA
    bad: int = 0


@dataclass(slots=True)
class FlowRead:
    observations: dict[FlowKey, Observation] = field(default_factory=dict)
    files: list[FileSummary] = field(default_factory=list)
    warnings: list[LineWarning] = field(default_factory=list)  # the first ones of each file
    errors: list[LineWarning] = field(default_factory=list)  # files that could not be read

    @property
    def records(self) -> int:
        return sum(f.records for f in self.files)

    @property
    def bad(self) -> int:
        return sum(f.bad for f in self.files)


def _lines(handle: IO[str]) -> Iterator[str | None]:
    """Lines of ``handle``; None for a line over MAX_LINE (the rest of it is skipped)."""
    while True:
        line = handle.readline(MAX_LINE)
        if not line:
            return
        if len(line) == MAX_LINE and not line.endswith("\n"):
            while True:
                more = handle.readline(MAX_LINE)
                if not more or more.endswith("\n"):
                    break
            yield None
            continue
        yield line


def _add(read: FlowRead, record: FlowRecord, file: str, number: int) -> None:
    key = (record.src, record.dst, record.src_name, record.dst_name, record.dport, record.protocol)
    seen = read.observations.get(key)
    last = record.last_time if record.last_time is not None else record.time
    if seen is None:
        seen = read.observations[key] = Observation(0, record.time, last, file, number)
    else:
        if record.time is not None and (seen.first is None or record.time < seen.first):
            seen.first = record.time
        if last is not None and (seen.last is None or last > seen.last):
            seen.last = last
    seen.count += record.count
    if record.verdict is not None:
        seen.verdicts.add(record.verdict)


def read_flows(paths: Iterable[str], flow_format: str | None = None) -> FlowRead:
    """Read every file (``-``: standard input) of ``paths``; a bad line is a warning."""
    read = FlowRead()
    for path in paths:
        name = STDIN_NAME if path == STDIN else path
        try:
            if path == STDIN:
                _read_file(read, sys.stdin, name, flow_format)
            else:
                with open(path, encoding="utf-8", errors="surrogateescape") as handle:  # noqa: PTH123
                    _read_file(read, handle, name, flow_format)
        except OSError as exc:
            read.errors.append(LineWarning(name, 0, f"cannot read: {exc.strerror or exc}"))
    return read


def _read_file(read: FlowRead, handle: IO[str], name: str, flow_format: str | None) -> None:
    lines = enumerate(_lines(handle), 1)
    pending: list[tuple[int, str | None]] = []
    chosen = flow_format
    if chosen is None:
        for number, line in lines:
            pending.append((number, line))
            if line is not None and line.strip():
                chosen = detect(line)
                if chosen is not None or len(pending) >= DETECT_LINES:
                    break
        if chosen is None:
            if any(line is not None and line.strip() for _, line in pending):
                read.errors.append(
                    LineWarning(
                        name,
                        0,
                        f"not a flow format socklock reads ({', '.join(FORMATS)}); "
                        "name it with --flow-format",
                    )
                )
            read.files.append(FileSummary(name, None))
            return
    summary = FileSummary(name, chosen)
    read.files.append(summary)
    parse = FORMATS[chosen].parser()
    warnings = read.warnings
    shown = 0

    def warn(number: int, message: str) -> None:
        nonlocal shown
        summary.bad += 1
        if shown < WARNINGS_PER_FILE:
            shown += 1
            warnings.append(LineWarning(name, number, message))

    for number, line in _chain(pending, lines):
        if line is None:
            warn(number, f"line longer than {MAX_LINE} bytes, skipped")
            continue
        if not line.strip():
            continue
        try:
            record = parse(line)
        except BadLine as exc:
            warn(number, f"{chosen}: {exc}")
            continue
        if record is None:
            summary.skipped += 1
            continue
        summary.records += 1
        _add(read, record, name, number)
    if summary.bad > shown:
        warnings.append(LineWarning(name, 0, f"{summary.bad - shown} more bad lines not shown"))


def _chain(
    first: list[tuple[int, str | None]], rest: Iterator[tuple[int, str | None]]
) -> Iterator[tuple[int, str | None]]:
    yield from first
    yield from rest
