"""The lab's log (log mode): the agent's record of a logged packet, the ``lab`` format reader
on lines written by us, and a replay that names the refusing side."""

from __future__ import annotations

import json
import socket
import struct
from pathlib import Path

from socklock.flows.addresses import AddressBook, read_table
from socklock.flows.audit import drops, endpoints, replay
from socklock.flows.formats import detect
from socklock.flows.read import read_flows
from socklock.lab import _agent
from socklock.load import load_paths

T0 = 1768039200  # 2026-01-10T10:00:00Z
A, B, OUT = "10.244.0.1", "10.244.0.3", "198.51.100.1"


def _line(**fields: object) -> str:
    record: dict[str, object] = {
        "socklock_lab": 1,
        "time": "2026-01-10T10:00:01.250000Z",
        "netns": "socklock-t0-0",
        "prefix": "socklock egress x/a pod 0",
        "src": A,
        "dst": B,
        "protocol": "TCP",
        "sport": 40000,
        "dport": 8080,
    }
    record.update(fields)
    return json.dumps(record)


LOG = "\n".join(
    [
        _line(),  # 1: x/a -> x/b 8080/TCP, refused by x/a's egress
        _line(prefix="socklock ingress x/b pod 0", netns="socklock-t0-2", sport=40000),  # 2
        _line(time="2026-01-10T10:00:03Z", sport=40002),  # 3: a second connection
        "",
        _line(src="fd5c:10c:1ab::1", dst="fd5c:10c:1ab::3", protocol="UDP", dport=53),  # 5
        _line(protocol="ICMP", sport=None, dport=None, dst=OUT),  # 6: no port
        '{"socklock_lab": 1, "src": "10.244.0.1"',  # 7: cut short
        _line(dport=70000),  # 8
        _line(src=None),  # 9
        json.dumps({"socklock_lab": 2, "src": A, "dst": B, "protocol": "TCP"}),  # 10
    ]
)


def _read(tmp_path: Path, text: str = LOG):  # type: ignore[no-untyped-def]
    path = tmp_path / "lab-flows.jsonl"
    path.write_text(text + "\n", encoding="utf-8")
    read = read_flows([str(path)])
    warnings = [str(w).replace(str(path), "F") for w in read.warnings]
    return read, warnings


def test_detected_on_its_mark_and_only_there() -> None:
    assert detect(_line()) == "lab"
    assert detect(json.dumps({"src": A, "dst": B, "protocol": "TCP"})) is None
    # a Hubble flow is not the lab's
    assert detect(json.dumps({"flow": {"IP": {"source": A}}})) == "hubble"


def test_records_bad_lines_and_verdicts(tmp_path: Path) -> None:
    read, warnings = _read(tmp_path)
    assert [(f.format, f.records, f.skipped, f.bad) for f in read.files] == [("lab", 5, 0, 4)]
    rows = {
        key: (o.count, o.first, o.last, o.line, sorted(o.verdicts))
        for key, o in read.observations.items()
    }
    assert rows == {
        (A, B, None, None, 8080, "TCP"): (
            3,
            T0 + 1.25,
            T0 + 3,
            1,
            ["socklock egress x/a pod 0", "socklock ingress x/b pod 0"],
        ),
        ("fd5c:10c:1ab::1", "fd5c:10c:1ab::3", None, None, 53, "UDP"): (
            1,
            T0 + 1.25,
            T0 + 1.25,
            5,
            ["socklock egress x/a pod 0"],
        ),
        (A, OUT, None, None, None, "ICMP"): (
            1,
            T0 + 1.25,
            T0 + 1.25,
            6,
            ["socklock egress x/a pod 0"],
        ),
    }
    assert warnings == [
        "F:7: warning: lab: not JSON: EOF while parsing an object",
        "F:8: warning: lab: dport 70000 is not in 0-65535",
        "F:9: warning: lab: src and dst must be addresses",
        "F:10: warning: lab: not a lab log record (socklock_lab: 1 is missing)",
    ]


def _cluster(tmp_path: Path) -> Path:
    """x/a, x/b and x/c; x/a may call x/c only, x/b admits nobody."""
    folder = tmp_path / "cluster"
    folder.mkdir()
    pods = "".join(
        f"""---
apiVersion: v1
kind: Pod
metadata: {{name: {name}, namespace: x, labels: {{app: {name}}}}}
spec:
  containers: [{{name: c, image: i, ports: [{{containerPort: 8080}}]}}]
"""
        for name in ("a", "b", "c")
    )
    policies = """---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a-egress, namespace: x}
spec:
  podSelector: {matchLabels: {app: a}}
  policyTypes: [Egress]
  egress: [{to: [{podSelector: {matchLabels: {app: c}}}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b-ingress, namespace: x}
spec:
  podSelector: {matchLabels: {app: b}}
  policyTypes: [Ingress]
"""
    (folder / "pods.yaml").write_text(pods)
    (folder / "policies.yaml").write_text(policies)
    return folder


def test_replayed_through_the_lab_address_table(tmp_path: Path) -> None:
    from socklock.policy import analyse

    inventory = load_paths([str(_cluster(tmp_path))])
    connectivity = analyse(inventory)
    table_file = tmp_path / "lab-addresses.txt"
    table_file.write_text(f"{A} x/a\n{B} x/b\n10.244.0.5 x/c\n{OUT} external:{OUT}\n")
    table, problems = read_table(str(table_file))
    assert problems == []
    log = "\n".join(
        [
            _line(),  # x/a -> x/b: refused on both sides
            _line(prefix="socklock ingress x/b pod 0"),
            _line(dst="10.244.0.5"),  # x/a -> x/c: allowed (a record of another mode)
        ]
    )
    read, warnings = _read(tmp_path, log)
    assert warnings == []
    replayed = replay(read, AddressBook(inventory, endpoints(connectivity), table))
    assert replayed.unmapped == {}
    found = drops(connectivity, replayed.tuples)
    assert [d.flow for d in found] == [("x/a", "x/b", 8080, "TCP")]
    assert [(c.direction, c.workload, [p for p, _ in c.policies]) for c in found[0].deciders] == [
        ("egress", "x/a", ["x/a-egress"]),
        ("ingress", "x/b", ["x/b-ingress"]),
    ]


def _packet_v4(src: str, dst: str, protocol: int, sport: int, dport: int) -> bytes:
    header = struct.pack(
        ">BBHHHBBH4s4s",
        0x45,
        0,
        40,
        0,
        0,
        64,
        protocol,
        0,
        socket.inet_aton(src),
        socket.inet_aton(dst),
    )
    return header + struct.pack(">HH", sport, dport) + b"\0" * 16


def test_agent_writes_a_record_the_reader_reads(tmp_path: Path) -> None:
    attributes = {
        _agent.NFULA_PAYLOAD: _packet_v4(A, B, 6, 40000, 8080),
        _agent.NFULA_PREFIX: b"socklock egress x/a pod 0\0",
        _agent.NFULA_TIMESTAMP: struct.pack(">QQ", T0 + 1, 250000),
    }
    record = _agent.packet_record("socklock-t0-0", attributes)
    assert record == {
        "socklock_lab": 1,
        "time": "2026-01-10T10:00:01.250000Z",
        "netns": "socklock-t0-0",
        "prefix": "socklock egress x/a pod 0",
        "src": A,
        "dst": B,
        "protocol": "TCP",
        "sport": 40000,
        "dport": 8080,
    }
    read, warnings = _read(tmp_path, json.dumps(record))
    assert warnings == []
    assert list(read.observations) == [(A, B, None, None, 8080, "TCP")]


def test_agent_parses_netlink_attributes_and_skips_what_is_not_ip() -> None:
    body = _agent._attribute(_agent.NFULA_PREFIX, b"p\0") + _agent._attribute(
        _agent.NFULA_PAYLOAD, b"\x60" + b"\0" * 10
    )
    attributes = _agent._attributes(body)
    assert attributes[_agent.NFULA_PREFIX] == b"p\0"
    # an IPv6 header cut short is no record
    assert _agent.packet_record("n", attributes) is None
    assert _agent.packet_record("n", {}) is None
