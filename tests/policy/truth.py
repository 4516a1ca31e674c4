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


def scenarios(refused: bool | None = None) -> list[Path]:
    """Scenario folders; ``refused`` True/False keeps only those that expect errors/answers."""
    found = sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name[:2].isdigit())
    if refused is None:
        return found
    return [p for p in found if bool(parse(p / "expected.txt").errors) is refused]
