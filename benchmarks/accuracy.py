"""Accuracy of ``socklock map`` on public applications, against ground truth we wrote.

Each application has a truth file in ``benchmarks/truth/`` (the format is described in
``benchmarks/truth/README.md``), written edge by edge from reading the app's code before
socklock was run on it. The applications themselves are never committed: fetch them and
point this script at the directory that holds them, one folder per repository named
``owner+name``::

    python -m benchmarks.accuracy /work/realapps            # every app, every mode
    python -m benchmarks.accuracy /work/realapps --markdown # the tables of docs/accuracy.md

Three modes per app: code + manifests, code only (``--no-manifests``: edges come from
call sites in code, joined with the manifests' env values) and manifests only
(``--no-code``). An edge is compared as (caller, callee, callee container port) after the
truth's ``[names]`` table maps every alias to one name; a truth port of 0 matches any
port. Calls to hosts outside the deployment and hint edges (depends_on/links) are not
counted. Apps marked ``tuned = true`` (the two the project was built against) are
reported apart and are not evidence of accuracy.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TRUTH_DIR = Path(__file__).resolve().parent / "truth"
SHARED = REPO.parent / "shared"

Edge = tuple[str, str, int]
MODES = (
    ("code + manifests", True, True),
    ("code only", True, False),
    ("manifests only", False, True),
)


@dataclass(frozen=True, slots=True)
class Truth:
    """One application's ground truth, as written in its truth file."""

    app: str
    repo: str
    file: Path
    inputs: tuple[str, ...]
    categories: tuple[str, ...]
    calls: dict[Edge, str]  # edge → why it is a call (file:line)
    misses: dict[Edge, str]  # edge → why socklock cannot find it (known limits)
    aliases: dict[str, str]  # any name (and its DNS label: :func:`labelled`) → canonical name
    tuned: bool = False
    deployment: str | None = None
    folder: str = ""  # under the apps directory; by default owner+name
    commit: str = ""  # the snapshot the truth was written from


def read_truth(path: Path) -> Truth:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    for canonical, others in data.get("names", {}).items():
        aliases[canonical] = canonical
        for other in [others] if isinstance(others, str) else others:
            aliases[other] = canonical
    calls: dict[Edge, str] = {}
    misses: dict[Edge, str] = {}
    for call in data.get("call", []):
        edge = (call["from"], call["to"], int(call.get("port", 0)))
        calls[edge] = str(call.get("evidence", ""))
        if "miss" in call:
            misses[edge] = str(call["miss"])
    deployment = data.get("deployment")
    return Truth(
        app=str(data["app"]),
        repo=str(data["repo"]),
        file=path,
        inputs=tuple(data.get("inputs", ["."])),
        categories=tuple(data.get("categories", ())),
        calls=calls,
        misses=misses,
        aliases=labelled(aliases),
        tuned=bool(data.get("tuned", False)),
        deployment=None if deployment in (None, "code") else str(deployment),
        folder=str(data.get("folder", str(data["repo"]).replace("/", "+"))),
        commit=str(data.get("commit", "")),
    )


def truths(directory: Path = TRUTH_DIR) -> list[Truth]:
    return [read_truth(p) for p in sorted(directory.glob("*.toml"))]


def app_folder(truth: Truth, apps: Path) -> Path:
    """The app as a new user has it: a clone named after the repository (``paperless-ngx``,
    not our ``owner+name`` folder, since socklock matches a repository's name to an image).
    A symlink in the apps directory's ``.clones/`` to ``owner+name@<commit[:7]>`` when that
    checkout is there (the snapshot the truth was written from), else to ``owner+name``."""
    pinned = apps / f"{truth.folder}@{truth.commit[:7]}"
    stored = pinned if truth.commit and pinned.is_dir() else apps / truth.folder
    if not stored.is_dir():
        return stored
    clone = apps / ".clones" / stored.name / truth.repo.rsplit("/", 1)[-1]
    if not clone.is_symlink() or clone.resolve() != stored.resolve():
        clone.parent.mkdir(parents=True, exist_ok=True)
        if clone.is_symlink():
            clone.unlink()
        clone.symlink_to(stored.resolve(), target_is_directory=True)
    return clone


def deployment_of(truth: Truth, apps: Path) -> str | None:
    """The truth's deployment as paths (a ``+``-joined compose set stays joined: layered)."""
    if truth.deployment is None:
        return None
    paths = []
    for part in truth.deployment.split("+"):
        if part.startswith("shared/"):
            paths.append(str(SHARED / part.removeprefix("shared/")))
        else:
            paths.append(str(app_folder(truth, apps) / part))
    return "+".join(paths)


def input_paths(truth: Truth, apps: Path) -> list[Path]:
    """``@shared/…`` is the workspace's shared/ folder; anything else is in the app."""
    out = []
    for item in truth.inputs:
        if item.startswith("@shared/"):
            out.append(SHARED / item.removeprefix("@shared/"))
        else:
            out.append(app_folder(truth, apps) / item)
    return out


@dataclass(frozen=True, slots=True)
class Score:
    truth: Truth
    mode: str
    found: dict[Edge, tuple[str, str]]  # edge → (graph source id, graph target id)
    nodes: int
    input_errors: int
    unmatched: frozenset[Edge] = field(default=frozenset())
    # why socklock refused the truth's deployment (then its default choice was scored): a
    # score of another deployment than the truth describes must say so, not pass silently
    refused: str = ""

    def matches(self, truth_edge: Edge) -> Edge | None:
        source, target, port = truth_edge
        if (source, target, port) in self.found:
            return truth_edge
        if port == 0:
            for edge in self.found:
                if edge[:2] == (source, target):
                    return edge
        return None

    @property
    def hits(self) -> set[Edge]:
        return {e for e in self.truth.calls if self.matches(e) is not None}

    @property
    def false_edges(self) -> set[Edge]:
        matched = {m for e in self.truth.calls if (m := self.matches(e)) is not None}
        return set(self.found) - matched

    @property
    def recall(self) -> float:
        return len(self.hits) / len(self.truth.calls) if self.truth.calls else 1.0

    @property
    def precision(self) -> float:
        return len(self.hits) / (len(self.hits) + len(self.false_edges)) if self.found else 0.0

    @property
    def f1(self) -> float:
        r, p = self.recall, self.precision
        return 2 * r * p / (r + p) if r + p else 0.0


def canonical(node_id: str, aliases: dict[str, str]) -> str:
    """The truth's name for a node: its full ``namespace/name`` (``project/name``) when the
    truth aliases it (every Deployment named ``app``, each in its own namespace), else the
    name part."""
    if node_id in aliases:
        return aliases[node_id]
    name = node_id.rsplit("/", 1)[-1]
    if name in aliases:
        return aliases[name]
    return aliases.get(dns_label(name), name)


def labelled(aliases: dict[str, str]) -> dict[str, str]:
    """``aliases`` with each alias's DNS label added (an alias written as it is keeps
    precedence), so a node is looked up by socklock's spelling of the name."""
    out = dict(aliases)
    for alias, truth_name in aliases.items():
        out.setdefault(dns_label(alias), truth_name)
    return out


def dns_label(name: str) -> str:
    """A name as socklock spells a workload made from it (lower case, runs of anything but
    letters and digits as one ``-``): a truth writes a project as its source names it
    (``Services.Books``), socklock names the workload ``services-books``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def measure(truth: Truth, apps: Path, *, code: bool, manifests: bool, mode: str) -> Score:
    from socklock.discover import discover
    from socklock.errors import UsageError
    from socklock.load import load_paths

    inventory = load_paths([str(p) for p in input_paths(truth, apps)])
    refused = ""
    try:  # the deployment the truth describes, chosen as a user would (--deployment PATH)
        graph = discover(
            inventory, code=code, manifests=manifests, deployment=deployment_of(truth, apps)
        )
    except UsageError as error:  # not one deployment socklock knows: its default choice
        refused = str(error).replace(str(app_folder(truth, apps)) + "/", "")
        graph = discover(inventory, code=code, manifests=manifests)
    found: dict[Edge, tuple[str, str]] = {}
    for edge in graph.edges:
        if edge.target.startswith("external:") or getattr(edge, "hint", False):
            continue
        key = (
            canonical(edge.source, truth.aliases),
            canonical(edge.target, truth.aliases),
            edge.port or 0,
        )
        found.setdefault(key, (edge.source, edge.target))
    workloads = sum(1 for n in graph.nodes if not n.id.startswith("external:"))
    return Score(truth, mode, found, workloads, len(inventory.errors), refused=refused)


def score_all(apps: Path, selected: Sequence[str] = ()) -> list[Score]:
    scores = []
    for truth in truths():
        if selected and truth.file.stem not in selected:
            continue
        if not all(p.exists() for p in input_paths(truth, apps)):
            print(f"skipped {truth.app}: {truth.folder} is not under {apps}", file=sys.stderr)
            continue
        for mode, code, manifests in MODES:
            scores.append(measure(truth, apps, code=code, manifests=manifests, mode=mode))
    return scores


def totals(scores: Iterable[Score]) -> tuple[int, int, int]:
    """(hits, truth edges, false edges) summed over ``scores``."""
    hits = truth = false = 0
    for score in scores:
        hits += len(score.hits)
        truth += len(score.truth.calls)
        false += len(score.false_edges)
    return hits, truth, false


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.0%} ({a}/{b})" if b else "n/a"


def held_out_totals(scores: list[Score]) -> list[tuple[str, str, str]]:
    """(mode, recall, precision) over the apps the project was not tuned on."""
    out = []
    for mode, _, _ in MODES:
        hits, truth, false = totals(s for s in scores if s.mode == mode and not s.truth.tuned)
        out.append((mode, _ratio(hits, truth), _ratio(hits, hits + false)))
    return out


def report(scores: list[Score]) -> str:
    lines = []
    for score in scores:
        truth = score.truth
        lines.append(
            f"{truth.app} [{score.mode}]{' (tuned)' if truth.tuned else ''}: recall "
            f"{_ratio(len(score.hits), len(truth.calls))}, precision "
            f"{_ratio(len(score.hits), len(score.hits) + len(score.false_edges))}, "
            f"{score.nodes} workloads, {score.input_errors} input errors"
        )
        if score.refused:
            lines.append(f"   deployment refused, socklock's default scored: {score.refused}")
        for miss in sorted(set(truth.calls) - score.hits):
            why = truth.misses.get(miss, "UNEXPLAINED")
            lines.append(f"   missed {miss}: {why}  [{truth.calls[miss]}]")
        for extra in sorted(score.false_edges):
            lines.append(f"   false  {extra}: {score.found[extra][0]} -> {score.found[extra][1]}")
    lines.append("")
    for mode, recall, precision in held_out_totals(scores):
        lines.append(f"held-out apps, {mode}: recall {recall}, precision {precision}")
    return "\n".join(lines) + "\n"


def markdown(scores: list[Score]) -> str:
    """The per-app table of docs/accuracy.md."""
    rows = [
        "| app | categories | mode | recall | precision | F1 | workloads | input errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for score in scores:
        truth = score.truth
        name = f"{truth.app}{' (tuned, not evidence)' if truth.tuned else ''}"
        mode = f"{score.mode} (deployment refused: default scored)" if score.refused else score.mode
        rows.append(
            f"| {name} | {', '.join(truth.categories)} | {mode} | "
            f"{_ratio(len(score.hits), len(truth.calls))} | "
            f"{_ratio(len(score.hits), len(score.hits) + len(score.false_edges))} | "
            f"{score.f1:.2f} | {score.nodes} | {score.input_errors} |"
        )
    for mode, recall, precision in held_out_totals(scores):
        rows.append(f"| **all held-out apps** | | {mode} | **{recall}** | **{precision}** | | | |")
    return "\n".join(rows) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.accuracy")
    parser.add_argument("apps", nargs="?", default="/work/realapps", type=Path)
    parser.add_argument("--markdown", action="store_true", help="print the docs table")
    parser.add_argument("--only", nargs="*", default=(), help="truth file stems")
    args = parser.parse_args(argv)
    scores = score_all(args.apps, args.only)
    print(markdown(scores) if args.markdown else report(scores), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
