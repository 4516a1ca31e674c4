"""The listing's fast path agrees with the whole table, on random clusters (hypothesis).

``listing`` finds the allowed and partial rows of each source by walking each cell's
classes once (no test per source), merges the rows to external endpoints in by bisection,
and the JSON writer encodes each cell once: here the rows without ``include_denied`` are
exactly the non-denied rows of the whole table (where every verdict goes through
``pair_verdict``), in sorted order, and the JSON document lists exactly those rows, with and
without ``--summary``. Some pods share a ReplicaSet, so endpoints of several pods and
several classes (labels differ, IPs in different ipBlocks) come up beside bare Pods.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.policy.test_policy_explain_property import EXTERNALS, _with_ips, _write, blocks
from tests.policy.test_policy_nca import _manifests, pods, policies

from socklock.load import load_paths
from socklock.policy import PolicyErrors, Verdict, analyse
from socklock.policy.table import Row, iter_rows
from socklock.report.connectivity_json import _row, write_verification


def _owned(docs: list[Any], owned: list[bool]) -> list[Any]:
    """Let some pods be made by one ReplicaSet per namespace (one endpoint of many pods)."""
    pod_index = 0
    for doc in docs:
        if doc["kind"] == "Pod":
            if owned[pod_index % len(owned)]:
                doc["metadata"]["ownerReferences"] = [
                    {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "shared"}
                ]
            pod_index += 1
    return docs


def _key(row: Row) -> tuple[str, str, int, str, int]:
    return (row[0], row[1], row[2], str(row[3]), row[5] or 0)


def _document_rows(connectivity: Any, summary: bool) -> list[dict[str, object]]:
    out = io.BytesIO()
    write_verification(connectivity, None, out, summary=summary)
    rows: list[dict[str, object]] = json.loads(out.getvalue())["connections"]
    return rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(pods, min_size=2, max_size=5),
    st.lists(policies, min_size=1, max_size=3),
    st.lists(st.booleans(), min_size=1, max_size=4),
    st.lists(st.booleans(), min_size=1, max_size=3),
    st.lists(st.tuples(st.integers(0, 2), blocks), max_size=2),
    st.booleans(),
)
def test_listed_rows_are_the_tables_non_denied_rows(
    tmp_path_factory: Any,
    pod_list: list[dict[str, Any]],
    policy_list: list[dict[str, Any]],
    ips: list[bool],
    owned: list[bool],
    block_rules: list[tuple[int, str]],
    with_externals: bool,
) -> None:
    directory: Path = tmp_path_factory.mktemp("listing")
    docs = _owned(_with_ips(_manifests(pod_list, policy_list), ips, block_rules), owned)
    _write(directory, docs)
    try:
        connectivity = analyse(
            load_paths([str(directory)]), externals=EXTERNALS if with_externals else ()
        )
    except PolicyErrors:
        return
    whole = list(iter_rows(connectivity, include_denied=True))
    listed = list(iter_rows(connectivity))
    assert listed == [row for row in whole if row[4] is not Verdict.DENIED]
    assert listed == sorted(listed, key=_key)
    assert _document_rows(connectivity, summary=False) == [_row(row) for row in listed]
    summary = list(iter_rows(connectivity, summary=True))
    assert _document_rows(connectivity, summary=True) == [_row(row) for row in summary]
    grouped = [row for row in summary if row[0] == "*"]
    assert all(row[4] is Verdict.ALLOWED for row in grouped)
    assert [row for row in summary if row[0] != "*"] == [
        row for row in listed if (row[1], row[2], row[3], row[5]) not in
        {(g[1], g[2], g[3], g[5]) for g in grouped}
    ]  # fmt: skip
