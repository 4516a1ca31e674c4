"""The expected-reachability files of the policy scenarios (``tests/fixtures/policy/NN-*/``).

``expected.txt``::

    # comments
    cni: calico              the --cni the scenario is decided under (default generic)
    cluster: _cluster        directories under tests/fixtures/policy/ loaded with the scenario
                             (default _cluster; "none" for a scenario that brings its own pods)
    error: <text>            analyse must refuse, with exactly these diagnostics (file paths
                             relative to the scenario folder)
    isolation x/a: ingress   isolation(x/a) is exactly the listed directions ("none" for none)
    @ 80/TCP 81/TCP          a truth table for these ports ("@ *": every declared port not
                             listed yet); rows are sources, columns targets; "." allowed,
                             "X" denied, "~" partial
          x/a x/b
    x/a   .   X
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "policy"
CELLS = {".": "allowed", "X": "denied", "~": "partial"}


@dataclass
class Table:
    ports: list[tuple[int, str]] | None  # None: "*"
    targets: list[str] = field(default_factory=list)
    rows: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class Expected:
    clusters: list[str]
    errors: list[str]
    isolation: dict[str, tuple[bool, bool]]
    tables: list[Table]
    cni: str = "generic"


def _port(text: str) -> tuple[int, str]:
    number, _, protocol = text.partition("/")
    return int(number), protocol or "TCP"


def parse(path: Path) -> Expected:
    expected = Expected(["_cluster"], [], {}, [])
    table: Table | None = None
    for raw in path.read_text().splitlines():
        line = raw.split(" #", 1)[0].rstrip() if not raw.startswith("error:") else raw.rstrip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("cni:"):
            expected.cni = line.split(":", 1)[1].strip()
        elif line.startswith("cluster:"):
            names = line.split(":", 1)[1].split()
            expected.clusters = [] if names == ["none"] else names
        elif line.startswith("error:"):
            expected.errors.append(line.split(":", 1)[1].strip())
        elif line.startswith("isolation "):
            head, _, tail = line.partition(":")
            directions = tail.split()
            expected.isolation[head.split()[1]] = ("ingress" in directions, "egress" in directions)
        elif line.startswith("@"):
            words = line[1:].split()
            table = Table(None if words == ["*"] else [_port(w) for w in words])
            expected.tables.append(table)
        elif table is not None and not table.targets:
            table.targets = line.split()
        elif table is not None:
            source, *cells = line.split()
            if len(cells) != len(table.targets) or any(c not in CELLS for c in cells):
                raise ValueError(f"{path}: bad row {raw!r}")
            table.rows.append((source, [CELLS[c] for c in cells]))
        else:
            raise ValueError(f"{path}: cannot read {raw!r}")
    return expected


def scenarios(refused: bool | None = None, root: Path = FIXTURES) -> list[Path]:
    """Scenario folders of ``root`` (a flavour's fixtures); ``refused`` True/False keeps only
    those that expect errors/answers."""
    found = sorted(p for p in root.iterdir() if p.is_dir() and p.name[:2].isdigit())
    if refused is None:
        return found
    return [p for p in found if bool(parse(p / "expected.txt").errors) is refused]


def scenario_paths(folder: Path, root: Path = FIXTURES) -> list[str]:
    """What a scenario loads: its clusters (``root``'s own folder of that name, else the
    NetworkPolicy scenarios' one) and its own folder."""
    names = parse(folder / "expected.txt").clusters
    return [*(str(root / n if (root / n).is_dir() else FIXTURES / n) for n in names), str(folder)]


def analyse_scenario(folder: Path, root: Path = FIXTURES) -> Any:
    """The engine's answer for a scenario (a decider, or the PolicyErrors it refuses with):
    its clusters are ``root``'s own folders of that name, else the NetworkPolicy ones."""
    from socklock.load import load_paths
    from socklock.policy.engine import analyse
    from socklock.policy.result import PolicyErrors

    expected = parse(folder / "expected.txt")
    inventory = load_paths(scenario_paths(folder, root))
    assert [str(d) for d in inventory.errors] == []
    try:
        return analyse(inventory, cni=expected.cni)
    except PolicyErrors as refused:
        return refused


def refusal(folder: Path, refused: Any) -> list[str]:
    """The refusal's diagnostics, with paths relative to the scenario folder (as the
    expected.txt ``error:`` lines write them)."""
    return [str(d).replace(f"{folder}/", "") for d in refused.diagnostic_list]


def mismatches(expected: Expected, decider: Any) -> list[str]:
    """Every way ``decider`` departs from ``expected``'s isolation lines and tables, and
    every (source, target, declared port) the tables leave without an expectation: an
    empty list when the decider gives exactly the hand-derived answer."""
    found: list[str] = []
    for workload, isolation in expected.isolation.items():
        got_isolation = tuple(decider.isolation(workload))
        if got_isolation != isolation:
            found.append(f"isolation {workload}: {got_isolation}, not {isolation}")
    declared = {
        (port, str(protocol))
        for endpoint in decider.cluster.endpoints
        for port, protocol in endpoint.ports
    }
    checked: set[tuple[str, str, int, str]] = set()
    listed: set[tuple[int, str]] = set()
    for table in expected.tables:
        ports = sorted(declared - listed) if table.ports is None else table.ports
        listed.update(ports)
        if not ports:
            found.append("a table for no port")
        for port, protocol in ports:
            for source, cells in table.rows:
                for target, want in zip(table.targets, cells, strict=True):
                    got = decider.verdict(source, target, port, protocol)
                    checked.add((source, target, port, protocol))
                    if got != want:
                        found.append(f"{source} -> {target} {port}/{protocol}: {got}, not {want}")
    workloads = decider.endpoints
    missing = [
        (s, t, p, proto)
        for s in workloads
        for t in workloads
        for p, proto in sorted(declared)
        if (s, t, p, proto) not in checked
    ]
    if missing:
        found.append(f"{len(missing)} cells without an expectation, e.g. {missing[:3]}")
    return found


def check_scenario(folder: Path, root: Path, kind: type) -> None:
    """A scenario's verdicts are exactly its hand-derived table, or its exact refusal; the
    engine's answer is a ``kind`` decider."""
    from socklock.policy.result import PolicyErrors

    expected = parse(folder / "expected.txt")
    result = analyse_scenario(folder, root)
    if expected.errors:
        assert isinstance(result, PolicyErrors), "the engine answered but must refuse"
        assert refusal(folder, result) == expected.errors
        return
    assert isinstance(result, kind), result
    assert mismatches(expected, result) == []


def check_listing(decider: Any) -> None:
    """The shared listing (table.iter_rows over ``decider``) gives verdict()'s answer on
    every declared port of every pair, and row_count() counts it."""
    rows = decider.connections(include_denied=True)
    assert decider.row_count() == len(rows)
    by_key = {(r.source, r.target, r.port, str(r.protocol)): r for r in rows if r.end_port is None}
    for target_id in decider.endpoints:
        for source_id in decider.endpoints:
            for port, protocol in decider.endpoint(target_id).ports:
                row = by_key[(source_id, target_id, port, str(protocol))]
                assert row.verdict == decider.verdict(source_id, target_id, port, protocol)


def explain_disagreements(decider: Any, explain: Any) -> list[tuple[str, str, int, str]]:
    """(source, target, port, protocol) between distinct workloads where ``explain``'s two
    sides allow and the verdict does not, or the other way round; each side must be there."""
    from socklock.policy.result import Verdict

    found: list[tuple[str, str, int, str]] = []
    for source in decider.endpoints:
        for target in decider.endpoints:
            if source == target:
                continue
            for port, protocol in decider.endpoint(target).ports:
                answer = explain(decider, source, target, port, protocol)
                assert answer.egress is not None and answer.ingress is not None
                both = answer.egress.allowed and answer.ingress.allowed
                if both != (answer.verdict is Verdict.ALLOWED):
                    found.append((source, target, port, str(protocol)))
    return found
