"""Stream flow files line by line into observations: one per distinct (source, destination,
port, protocol), with its count and first and last time. Memory grows with the distinct
tuples, never with the file: a line longer than ``MAX_LINE`` is skipped unread."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from socklock.flows.formats import FORMATS, detect
from socklock.flows.formats.interface import LineParser
from socklock.flows.record import BadLine, LineWarning

STDIN = "-"
STDIN_NAME = "<stdin>"
MAX_LINE = 1 << 20  # characters; no flow record comes near it
CHUNK = 1 << 22  # bytes read at a time
PARALLEL_BYTES = 1 << 25  # files from this size are read by several processes
DETECT_LINES = 100  # lines read to find a file's format
WARNINGS_PER_FILE = 20  # the rest are counted

# (source IP, destination IP, source name, destination name, destination port, protocol):
# the first six fields of a FlowRecord
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


def _batches(handle: IO[bytes]) -> Iterator[Sequence[str | None]]:
    """The lines of ``handle``, a block of them at a time (decoding and splitting a block
    is one call each); None stands for a line over MAX_LINE, whose rest is skipped unread."""
    rest = b""
    skipping = False
    while True:
        block = handle.read(CHUNK)
        if not block:
            break
        if skipping:
            cut = block.find(b"\n")
            if cut < 0:
                continue
            skipping, block = False, block[cut + 1 :]
        block = rest + block if rest else block
        cut = block.rfind(b"\n")
        if cut < 0:
            rest = block
        else:
            rest = block[cut + 1 :]
            yield block[:cut].decode("utf-8", "surrogateescape").split("\n")
        if len(rest) > MAX_LINE:
            yield [None]
            rest, skipping = b"", True
    if rest:
        yield [rest.decode("utf-8", "surrogateescape")]


def read_flows(
    paths: Iterable[str], flow_format: str | None = None, workers: int | None = None
) -> FlowRead:
    """Read every file (``-``: standard input) of ``paths``; a bad line is a warning.

    A file of PARALLEL_BYTES or more is read by ``workers`` processes (default: the CPUs,
    at most 4), each over a range of its lines; the result is the same as one reader's."""
    read = FlowRead()
    count = workers if workers is not None else min(os.cpu_count() or 1, 4)
    for path in paths:
        name = STDIN_NAME if path == STDIN else path
        try:
            if path == STDIN:
                _read_stream(read, sys.stdin.buffer, name, flow_format)
            elif count > 1 and Path(path).stat().st_size >= PARALLEL_BYTES:
                _read_parallel(read, path, flow_format, count)
            else:
                with open(path, "rb") as handle:  # noqa: PTH123
                    _read_stream(read, handle, name, flow_format)
        except OSError as exc:
            read.errors.append(LineWarning(name, 0, f"cannot read: {exc.strerror or exc}"))
    return read


@dataclass(slots=True)
class _Part:
    """What one reader found in a run of lines, numbered from 1 within the run."""

    observations: dict[FlowKey, Observation] = field(default_factory=dict)
    records: int = 0
    skipped: int = 0
    bad: int = 0
    warnings: list[tuple[int, str]] = field(default_factory=list)  # the first ones
    lines: int = 0


def _detect(
    numbered: Iterator[tuple[int, str | None]], flow_format: str | None
) -> tuple[str | None, list[tuple[int, str | None]]]:
    """The format (``flow_format`` or detected) and the lines read to find it."""
    pending: list[tuple[int, str | None]] = []
    if flow_format is not None:
        return flow_format, pending
    for number, line in numbered:
        pending.append((number, line))
        if line is not None and line.strip():
            chosen = detect(line)
            if chosen is not None:
                return chosen, pending
            if len(pending) >= DETECT_LINES:
                break
    return None, pending


def _unknown(read: FlowRead, name: str, pending: list[tuple[int, str | None]]) -> None:
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


def _read_stream(read: FlowRead, handle: IO[bytes], name: str, flow_format: str | None) -> None:
    numbered = enumerate(itertools.chain.from_iterable(_batches(handle)), 1)
    chosen, pending = _detect(numbered, flow_format)
    if chosen is None:
        _unknown(read, name, pending)
        return
    part = _scan(itertools.chain(pending, numbered), FORMATS[chosen].parser(), chosen, name)
    summary = FileSummary(name, chosen)
    read.files.append(summary)
    _merge(read, summary, [part], name)


def _read_parallel(read: FlowRead, path: str, flow_format: str | None, workers: int) -> None:
    """The first block in this process (format, header), the rest in ``workers`` ranges."""
    import concurrent.futures
    import multiprocessing

    size = Path(path).stat().st_size
    with open(path, "rb") as handle:  # noqa: PTH123
        head = handle.read(CHUNK)
        cut = head.rfind(b"\n")
        if cut < 0:  # a first line longer than a block: one reader copes with it
            handle.seek(0)
            _read_stream(read, handle, path, flow_format)
            return
        lines: list[str | None] = list(head[:cut].decode("utf-8", "surrogateescape").split("\n"))
        numbered = enumerate(lines, 1)
        chosen, pending = _detect(numbered, flow_format)
        if chosen is None:
            _unknown(read, path, pending)
            return
        parser = FORMATS[chosen].parser()
        first = _scan(itertools.chain(pending, numbered), parser, chosen, path)
        bounds = [cut + 1]
        for i in range(1, workers):
            handle.seek(max(bounds[-1], cut + 1 + (size - cut - 1) * i // workers))
            handle.readline()
            bounds.append(max(handle.tell(), bounds[-1]))
        bounds.append(size)
    ranges = [(a, b) for a, b in itertools.pairwise(bounds) if b > a]
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(len(ranges), mp_context=context) as pool:
        futures = [pool.submit(_scan_range, path, a, b, parser, chosen) for a, b in ranges]
        parts = [f.result() for f in futures]
    summary = FileSummary(path, chosen)
    read.files.append(summary)
    _merge(read, summary, [first, *parts], path)


class _Range:
    """Bytes ``start``..``end`` of a file, read like a file."""

    def __init__(self, handle: IO[bytes], start: int, end: int) -> None:
        handle.seek(start)
        self.handle, self.left = handle, end - start

    def read(self, size: int) -> bytes:
        data = self.handle.read(min(size, self.left)) if self.left > 0 else b""
        self.left -= len(data)
        return data


def _scan_range(path: str, start: int, end: int, parse: LineParser, chosen: str) -> _Part:
    with open(path, "rb") as handle:  # noqa: PTH123
        lines = itertools.chain.from_iterable(_batches(_Range(handle, start, end)))  # type: ignore[arg-type]
        return _scan(enumerate(lines, 1), parse, chosen, path)


def _merge(read: FlowRead, summary: FileSummary, parts: list[_Part], name: str) -> None:
    """Add the parts (consecutive runs of one file's lines) to ``read``, in order."""
    observations = read.observations
    offset = shown = 0
    for part in parts:
        summary.records += part.records
        summary.skipped += part.skipped
        summary.bad += part.bad
        for number, message in part.warnings:
            if shown < WARNINGS_PER_FILE:
                shown += 1
                read.warnings.append(LineWarning(name, number + offset, message))
        for key, seen in part.observations.items():
            known = observations.get(key)
            if known is None:
                seen.line += offset
                observations[key] = seen
                continue
            known.count += seen.count
            if seen.first is not None and (known.first is None or seen.first < known.first):
                known.first = seen.first
            if seen.last is not None and (known.last is None or seen.last > known.last):
                known.last = seen.last
            known.verdicts |= seen.verdicts
        offset += part.lines
    if summary.bad > shown:
        read.warnings.append(
            LineWarning(name, 0, f"{summary.bad - shown} more bad lines not shown")
        )


def _check_utf8(line: str) -> None:
    """Lines are decoded with surrogateescape (a bad byte must not stop a 1 GB read): such a
    line is a bad line, so no report ever holds an undecodable character."""
    try:
        line.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadLine(f"bytes that are not UTF-8 at column {exc.start + 1}") from None


def _scan(
    numbered: Iterable[tuple[int, str | None]], parse: LineParser, chosen: str, name: str
) -> _Part:
    """The cost of a replay: one parse and one dict update a record, inline."""
    part = _Part()
    observations = part.observations
    warnings = part.warnings
    records = skipped = bad = number = 0
    too_long = f"line longer than {MAX_LINE} bytes, skipped"
    for number, line in numbered:
        if line is None or len(line) > MAX_LINE:
            bad += 1
            if len(warnings) < WARNINGS_PER_FILE:
                warnings.append((number, too_long))
            continue
        if not line or line.isspace():
            continue
        try:
            if not line.isascii():
                _check_utf8(line)
            record = parse(line)
        except BadLine as exc:
            bad += 1
            if len(warnings) < WARNINGS_PER_FILE:
                warnings.append((number, f"{chosen}: {exc}"))
            continue
        if record is None:
            skipped += 1
            continue
        records += 1
        key = record[:6]
        seen = observations.get(key)
        time = record.time
        last = record.last_time if record.last_time is not None else time
        if seen is None:
            seen = observations[key] = Observation(0, time, last, name, number)
        else:
            if time is not None and (seen.first is None or time < seen.first):
                seen.first = time
            if last is not None and (seen.last is None or last > seen.last):
                seen.last = last
        seen.count += record.flows
        if record.verdict is not None:
            seen.verdicts.add(record.verdict)
    part.records, part.skipped, part.bad, part.lines = records, skipped, bad, number
    return part
