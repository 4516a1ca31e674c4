"""A cell every workload is allowed into (a rule admitting ``0.0.0.0/0``: under the generic
CNI the pod IPs are inside it) is one row from every source, merged into each source's rows
in table order; the other cells are listed as before."""

from __future__ import annotations

import io
import json

from tests.conftest import REPO

from socklock.load import load_paths
from socklock.policy import analyse
from socklock.report.connectivity_json import write_verification

CLUSTER = REPO / "tests" / "fixtures" / "listing_shared"
EXTERNAL = [("external:0.0.0.0/0", 1, 65535, protocol) for protocol in ("SCTP", "TCP", "UDP")]


def _rows(summary: bool = False) -> list[tuple[object, ...]]:
    out = io.BytesIO()
    write_verification(analyse(load_paths([str(CLUSTER)])), None, out, summary=summary)
    return [
        (r["from"], r["to"], r["port"], r["end_port"], r["protocol"], r["verdict"])
        for r in json.loads(out.getvalue())["connections"]
    ]


def test_every_source_has_the_shared_cell_in_order() -> None:
    def external(source: str) -> list[tuple[object, ...]]:
        return [(source, to, low, high, p, "allowed") for to, low, high, p in EXTERNAL]

    assert _rows() == [
        ("a/api", "a/web", 80, None, "TCP", "allowed"),
        *external("a/api"),
        ("a/web", "a/api", 90, None, "TCP", "allowed"),
        ("a/web", "a/web", 80, None, "TCP", "allowed"),
        *external("a/web"),
        ("b/db", "a/web", 80, None, "TCP", "allowed"),
        *external("b/db"),
        ("external:0.0.0.0/0", "a/web", 80, None, "TCP", "allowed"),
    ]


def test_with_summary_the_shared_cell_is_one_row_from_every_workload() -> None:
    assert _rows(summary=True)[:3] == [
        ("*", "a/web", 80, None, "TCP", "allowed"),
        *[("a/api", to, low, high, p, "allowed") for to, low, high, p in EXTERNAL[:2]],
    ]
