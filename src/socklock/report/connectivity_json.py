"""The ``socklock/connectivity/v1`` document, streamed to the file row by row.

The listing grows with the answer (a quarter of 1,500 services open to ``0.0.0.0/0`` is
half a million rows), so rows are never pydantic objects: each is a small dict encoded as it
comes (orjson when installed, the standard library otherwise) and written through one
buffered file. The small parts (summary, unprotected, missing) are the plain values their
models in :mod:`socklock.schemas.connectivity` dump, so no pydantic is imported. The
document is the one that module publishes, one row per line.
"""

from __future__ import annotations

import importlib
import itertools
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any, TypeVar, cast

from socklock.model import ServiceGraph
from socklock.policy.engine import Connectivity, Row
from socklock.policy.findings import iter_unprotected, unprotected_count
from socklock.policy.intent import IntentCheck, check_intent
from socklock.policy.result import Connection, Verdict
from socklock.policy.table import EVERY_WORKLOAD, VERDICTS, Cell, listing
from socklock.schemas import CONNECTIVITY

T = TypeVar("T")


def _encoder() -> Callable[[Any], bytes]:
    try:  # by name: the type checker may run where the pinned wheel is not installed
        module = importlib.import_module("orjson")
    except ImportError:  # the pinned dependency is missing: slower, the same document
        return lambda value: json.dumps(value, separators=(",", ":")).encode()
    return cast("Callable[[Any], bytes]", module.dumps)


def _row(row: Row) -> dict[str, object]:
    """One row; str() of the StrEnums is their value, without enum's slow ``.value``."""
    return {
        "from": row[0],
        "to": row[1],
        "port": row[2],
        "end_port": row[5],
        "protocol": str(row[3]),
        **_verdict_part(row[4]),
    }


def write_verification(
    connectivity: Connectivity,
    intent: ServiceGraph | None,
    out: IO[bytes],
    *,
    include_denied: bool = False,
    summary: bool = False,
) -> IntentCheck | None:
    """Write the verify document to ``out``; return the intent check (None without one)."""
    from socklock.report.connectivity_document import (
        missing_values,
        summary_value,
        unprotected_value,
    )

    dumps = _encoder()
    found = listing(connectivity, include_denied, summary)
    ids = found.target_ids()
    tails = _cell_tails(found.table, ids, dumps)
    verdict_codes = [code & 3 for code in range(len(tails))]
    tally = [0, 0, 0]  # rows per verdict code
    kept: list[Row] = []  # the listed rows, for the intent check (plain tuples)
    out.write(b'{"schema":' + dumps(CONNECTIVITY) + b',"connections":[')
    separator = b"\n"
    for source, items in found.blocks:
        if not items:
            continue
        if intent is not None:
            kept.extend(found.decode(source, items, ids))
        head = b'{"from":' + dumps(source) + b","
        weight = len(connectivity.endpoints) if source == EVERY_WORKLOAD else 1
        encoded = []
        for kind, group in itertools.groupby(items, type):
            if kind is int:  # coded rows: their bytes and verdicts picked in C
                codes = cast("list[int]", list(group))
                encoded.append(head + (b",\n" + head).join(_picked(codes, tails)))
                verdicts = _picked(codes, verdict_codes)
                for code in range(len(VERDICTS)):
                    tally[code] += weight * verdicts.count(code)
            else:
                for entry in cast("Iterator[Row]", group):
                    tally[_CODE[entry[4]]] += weight
                    encoded.append(dumps(_row(entry)))
        out.write(separator + b",\n".join(encoded))
        separator = b",\n"
    counts = {verdict: tally[_CODE[verdict]] for verdict in Verdict}
    check = check_intent(connectivity, intent, _connections(kept)) if intent is not None else None
    document_summary = summary_value(connectivity, counts, unprotected_count(connectivity), check)
    out.write(b"\n],\n" + b'"summary":' + dumps(document_summary))
    # one item at a time (an open cluster has one per workload), as dumps() of the list
    separator = b',\n"unprotected":['
    for finding in iter_unprotected(connectivity):
        out.write(separator + dumps(unprotected_value(connectivity, finding)))
        separator = b","
    out.write(b',\n"unprotected":[]' if separator != b"," else b"]")
    out.write(b',\n"missing":' + dumps(missing_values(check)))
    out.write(b',\n"excess":[')
    for index, excess in enumerate(check.excess if check else ()):
        item: Row = (
            excess.source,
            excess.target,
            excess.port,
            excess.protocol,
            excess.verdict,
            excess.end_port,
        )
        out.write((b"\n" if index == 0 else b",\n") + dumps(_row(item)))
    out.write(b"\n]}\n")
    return check


_CODE = {verdict: code for code, verdict in enumerate(VERDICTS)}


def _picked(codes: list[int], values: Sequence[T]) -> Sequence[T]:
    """``[values[c] for c in codes]``, by one C call (``itemgetter``) instead of a Python
    step per row: a listing's rows are half a million at 1,500 services."""
    if len(codes) == 1:
        return (values[codes[0]],)
    picked: Sequence[T] = operator.itemgetter(*codes)(values)
    return picked


def _cell_tails(table: list[Cell], ids: list[str], dumps: Callable[[Any], bytes]) -> list[bytes]:
    """For each coded row (``cell index << 2 | verdict code``), its encoding after the
    source: what :func:`_row`'s dict encodes to from ``"to"`` on, so that a row is the source
    part and this, byte for byte the dict's encoding (compact JSON, keys in order)."""
    verdicts = [b"," + dumps(_verdict_part(verdict))[1:] for verdict in VERDICTS]
    tails: list[bytes] = []
    for index, cell in enumerate(table):
        atom = cell.atom
        fields = {
            "to": ids[index],
            "port": atom.low,
            "end_port": atom.high if atom.high != atom.low else None,
            "protocol": str(atom.protocol),
        }
        place = dumps(fields)[1:-1]
        tails.extend(place + verdict for verdict in verdicts)
        tails.append(b"")  # code 3: unused
    return tails


def _verdict_part(verdict: Verdict) -> dict[str, object]:
    return {"allowed": verdict is Verdict.ALLOWED, "verdict": str(verdict)}


def _connections(rows: Iterable[Row]) -> Iterator[Connection]:
    for row in rows:
        yield Connection(*row)
