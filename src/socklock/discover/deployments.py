"""Deployments of one application, and which one the graph speaks of.

A repository often holds several deployments of the same application (compose + swarm +
TLS variants, Kubernetes manifests + rendered Helm charts + an Istio overlay, an Aspire
AppHost beside a compose file). Merging them would give every service two or three times,
so workloads are grouped by deployment and one is chosen:

- a *compose deployment* is what ``docker compose`` reads in a directory without ``-f``
  (its main file and override, or ``COMPOSE_FILE``'s list: load/compose_files.py); every
  other compose file there (``docker-compose.tls.yml``, ``compose.otel.yaml``) is a
  *variant*, read only when named; in a directory without a main file each file is its own
  deployment;
- a *Kubernetes deployment* is a tree of manifest directories: directories whose workload
  names are disjoint are parts of one deployment (``k8s/orders/``, ``k8s/carts/``), while
  directories that repeat names are alternatives (``deploy/kubernetes/``, ``deploy/istio/``);
- an *Aspire deployment* is one AppHost program.

The default passes over the deployments under tests, CI or archive directories, then keeps
the ones a command of the README names, if any (:mod:`.deployment_signals`); of those, a
Kubernetes deployment before an Aspire one before a compose one, then the one with the most
workloads, then the shallowest; but one that runs fewer than half the workloads of the
largest is passed over (a stray manifest beside a complete compose file), and a compose
variant is never the default. Deployments that share no service name with
the chosen one are other applications and stay. Of the ones that do, compose files that
``docker compose`` reads by default fold onto a chosen Kubernetes deployment's workloads
(their evidence joins the twin); every other one, and every compose variant, is left out
and listed. Naming a deployment (``--deployment NAME|PATH``) keeps that one alone; names
joined by ``+`` (``compose.yaml+compose.full.yaml``) layer several, as ``-f a -f b`` does.
A directory over several Kubernetes deployments names them all, as ``kubectl apply -R -f``
applies them (``--deployment k8s``, ``--deployment .``; :mod:`.applied_once`), and a Skaffold
config names the files it lists (``--deployment skaffold.yaml``; :mod:`.skaffold`).
A kustomize base that overlays build on is rendered when named (``--deployment k8s/base``).
A Helm chart (its ``templates/`` skipped as unrendered) is listed apart: naming it says
how to render it.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from socklock.discover.deployment_signals import documented, incidental
from socklock.errors import UsageError
from socklock.load.compose_files import default_files
from socklock.model import Diagnostic, Inventory, SkipKind

KUBERNETES, ASPIRE, COMPOSE = "kubernetes", "aspire", "compose"
PROCFILE, TASKFILE = "procfile", "taskfile"  # host programs: processes on the host
_PRIORITY = {KUBERNETES: 0, ASPIRE: 1, COMPOSE: 2, PROCFILE: 3, TASKFILE: 3}


@dataclass(frozen=True, slots=True)
class Deployment:
    name: str  # how --deployment names it: a path relative to the input root
    kind: str  # kubernetes, compose, aspire, procfile or taskfile
    path: str  # the directory (kubernetes), compose file(s)' directory, AppHost program
    services: frozenset[str]  # workload names it runs
    files: frozenset[str]  # resolved paths of its files
    variant: bool = False  # a compose file ``docker compose`` reads only with ``-f``
    # a deploy script's: each file it applies, with the namespaces its objects land in
    placed: tuple[tuple[str, tuple[str | None, ...]], ...] = ()
    listed: bool = False  # its files are a list (an unrendered overlay's), not a tree

    @property
    def script(self) -> bool:
        return bool(self.placed)


@dataclass(frozen=True, slots=True)
class Selection:
    inventory: Inventory  # the input with the left-out deployments removed
    chosen: Deployment | None
    folded: tuple[Deployment, ...]  # variants whose evidence joins the chosen one's workloads
    left_out: tuple[Deployment, ...]  # variants not in the graph
    others: tuple[Deployment, ...]  # other applications, kept
    charts: tuple[str, ...] = ()  # Helm charts of the input, not rendered (input-relative)
    # what choosing it found: a deploy script's unresolved lines, namespace mismatches
    diagnostics: tuple[Diagnostic, ...] = ()
    # unresolved lines of deploy scripts that deploy no workload of the input (--verbose)
    notes: tuple[Diagnostic, ...] = ()


def find_deployments(inventory: Inventory) -> list[Deployment]:
    """Every deployment of the input, in order of preference."""
    return _find(inventory)[0]


def _find(inventory: Inventory) -> tuple[list[Deployment], list[Diagnostic]]:
    """The deployments in order of preference, and what reading deploy scripts found.

    A deploy script is the default when it is the only script that deploys anything and
    it says what the manifests do not: the namespace of objects that set none. Any other
    script is an alternative, after the directories, never the default (``kubectl apply -f
    k8s/`` with no ``-n``, or several scripts that disagree)."""
    base = _base(inventory)
    scripts, problems = _scripts(inventory, base)
    found = [
        *scripts,
        *_kubernetes(inventory, base),
        *_compose(inventory, base),
        *_hosted(inventory, base),
    ]
    preferred = _preferred_script(scripts)
    ordered = sorted(
        found,
        key=lambda d: (
            _PRIORITY[d.kind],
            (0 if d is preferred else 2) if d.script else 1,
            -len(d.services),
            d.name.count("/"),
            d.name,
        ),
    )
    return ordered, problems


def _preferred_script(deployments: list[Deployment]) -> Deployment | None:
    """The deploy script that is the default: the only one, when it places objects in a
    namespace."""
    scripts = [d for d in deployments if d.script]
    if len(scripts) != 1 or all(ns is None for _, n in scripts[0].placed for ns in n):
        return None
    return scripts[0]


def _scripts(inventory: Inventory, base: Path) -> tuple[list[Deployment], list[Diagnostic]]:
    """Deploy scripts that apply workloads (:mod:`.scripted`), and the problems of every
    script that applies anything."""
    from socklock.discover.scripted import deploy_scripts, resolved_files, script_files

    found: list[Deployment] = []
    problems: list[Diagnostic] = []
    scripts = deploy_scripts(inventory, base)
    resolved = resolved_files(inventory) if scripts else {}
    for script in scripts:
        name = _relative(Path(script.file).resolve(), base)
        if inventory.deployment not in (None, name):
            continue  # narrowed to another deployment already
        problems.extend(script.diagnostics)
        placed = script_files(script, resolved).placed
        files = {f for f, _ in placed}
        names = {
            w.name
            for w in inventory.workloads
            if w.owner is None and resolved.get(w.location.file) in files
        }
        if names:
            found.append(
                Deployment(
                    name,
                    KUBERNETES,
                    script.file,
                    frozenset(names),
                    frozenset(files),
                    placed=placed,
                )
            )
    return found, problems


def select_deployment(inventory: Inventory, wanted: str | None = None) -> Selection:
    """The input narrowed to one deployment (``wanted``, or the default)."""
    if wanted is None and inventory.deployment is not None:
        # narrowed already (the CLI narrows, then discovers): choosing again could only
        # undo the first choice (a layered set, a folded compose twin)
        return Selection(inventory, None, (), (), ())
    deployments, problems = _find(inventory)
    charts = helm_charts(inventory)
    if wanted is not None:
        _refuse_chart(wanted, charts, _base(inventory))
        if not _matching(deployments, wanted):
            inventory = _rendered_base(inventory, wanted)
            deployments, problems = _find(inventory)
        if not _matching(deployments, wanted):
            deployments.extend(_written_overlay(inventory, wanted))
        if not _matching(deployments, wanted):
            from socklock.discover.skaffold import skaffold_deployment

            deployments.extend(skaffold_deployment(inventory, wanted, _base(inventory)))
        if not _matching(deployments, wanted):
            deployments.extend(_inner_trees(inventory, deployments, wanted))
        if not _matching(deployments, wanted):
            from socklock.discover.compose_layers import included_alone

            alone = included_alone(inventory, wanted, _base(inventory))
            if alone is not inventory:
                inventory = alone
                deployments, problems = _find(inventory)
    if not deployments:
        return Selection(inventory, None, (), (), (), charts, (), tuple(problems))
    tree = None if wanted is None else _named_tree(deployments, wanted, _base(inventory))
    if tree is not None:
        parts = [d for d in deployments if _is_tree(d) and Path(d.path).is_relative_to(tree)]
        chosen = _layered(parts, _relative(tree, _base(inventory)))
    else:
        parts = (
            _default_parts(deployments, _base(inventory))
            if wanted is None
            else _named_parts(deployments, wanted, _base(inventory))
        )
        if wanted is not None and len(parts) == 1:
            parts = [_one_copy(inventory, parts[0], wanted)]
        chosen = parts[0] if len(parts) == 1 else _layered(parts, wanted or "")
        if wanted is not None and "+" in wanted and chosen.kind == COMPOSE:
            inventory, chosen = _compose_layered(inventory, chosen, wanted)
    folded: list[Deployment] = []
    left_out: list[Deployment] = []
    others: list[Deployment] = []
    for deployment in deployments:
        if deployment in parts:
            continue
        # a named tree is the Kubernetes choice the default makes, over more directories:
        # what is not under it is kept, folded or left out by the same rule
        if (wanted is not None and tree is None) or deployment.variant:
            left_out.append(deployment)
        elif not _overlap(deployment, chosen):
            others.append(deployment)
        elif chosen.kind == KUBERNETES and deployment.kind == COMPOSE:
            folded.append(deployment)
        else:
            left_out.append(deployment)
    kept = [d for d in deployments if d not in left_out]
    kept += [d for d in parts if d not in deployments]  # a copy named on its own
    if chosen.listed:  # its base went to a sibling's rendering: read as written for it
        from socklock.discover.kustomize_base import with_written

        inventory = with_written(inventory, chosen.files)
    holding = list(kept)
    if tree is not None:  # ``kubectl apply -R -f DIR`` applies every file under it, the
        # Services and ConfigMaps of files no deployment part holds too (a script left out
        # that applies some of them does not take them away)
        holding.append(dataclasses.replace(chosen, path=str(tree), files=frozenset()))
    narrowed = dataclasses.replace(_without(inventory, left_out, holding), deployment=chosen.name)
    repeated: list[Diagnostic] = []
    if tree is not None:  # kubectl apply -R -f DIR: one copy of each object runs
        from socklock.discover.applied_once import applied_once

        narrowed, repeated = applied_once(narrowed, chosen.name, chosen.files)
    placing = _placing(deployments, chosen)
    scripts = {d.name for d in deployments if d.script}
    used = [p for p in problems if placing is not None and p.location.file == placing.name]
    # scripts that deploy no workload of the input: their lines are only noted (--verbose)
    unused = [p for p in problems if p.location.file not in scripts]
    if placing is not None:
        from socklock.discover.scripted import place

        narrowed, mismatches = place(narrowed, placing.placed)
        used.extend(mismatches)
    used.extend(repeated)
    return Selection(
        narrowed,
        chosen,
        tuple(folded),
        tuple(left_out),
        tuple(others),
        charts,
        tuple(used),
        tuple(unused),
    )


def _one_copy(inventory: Inventory, deployment: Deployment, wanted: str) -> Deployment:
    """The file ``wanted`` names alone, when it is one of several copies of ``deployment``
    (``install.yaml`` beside ``getting-started.yaml``, each running every one of its
    workloads, their Services differing): the user asked for that copy, not the others,
    whose same-named objects would otherwise shadow its own."""
    given = Path(wanted).resolve()
    if (
        deployment.kind != KUBERNETES
        or deployment.script
        or deployment.listed
        or len(deployment.files) < 2
        or str(given) not in deployment.files
        or not given.is_file()
    ):
        return deployment
    names = {
        w.name
        for w in inventory.workloads
        if w.owner is None and Path(w.location.file).resolve() == given
    }
    if names != set(deployment.services):
        return deployment  # one part of the deployment: the directory is the deployment
    name = _relative(given, _base(inventory))
    return dataclasses.replace(
        deployment, name=name, path=str(given), files=frozenset({str(given)})
    )


def _rendered_base(inventory: Inventory, wanted: str) -> Inventory:
    """The input with the kustomize base ``wanted`` names rendered (see
    :mod:`.kustomize_base`), or as it was when it names none."""
    from socklock.discover.kustomize_base import named_base, with_base

    directory = named_base(wanted, _base(inventory))
    rendered = with_base(inventory, directory) if directory is not None else None
    return rendered if rendered is not None else inventory


def _placing(deployments: list[Deployment], chosen: Deployment) -> Deployment | None:
    """The deploy script whose namespaces the chosen deployment's objects land in: the
    chosen one, or else the only script of the input when it applies files of the chosen
    one (naming ``k8s/`` picks the objects; the repository's one way of deploying them
    still says where they run). Several scripts disagree: none is used."""
    if chosen.script:
        return chosen
    scripts = [d for d in deployments if d.script]
    if len(scripts) == 1 and scripts[0].files & chosen.files:
        return scripts[0]
    return None


def _written_overlay(inventory: Inventory, wanted: str) -> list[Deployment]:
    """A named kustomization that could not be rendered: the files it reads, as written."""
    from socklock.discover.kustomize_base import named_base, written_files

    base = _base(inventory)
    directory = named_base(wanted, base)
    if directory is None:
        return []
    files = written_files(directory)
    names = workloads_in(inventory, files)
    if not names:
        return []
    held = frozenset(f for f in files if Path(f).is_file())
    resolved = directory.resolve()
    return [
        Deployment(
            _relative(resolved, base),
            KUBERNETES,
            str(resolved),
            frozenset(names),
            held,
            listed=True,
        )
    ]


def _inner_trees(
    inventory: Inventory, deployments: list[Deployment], wanted: str
) -> list[Deployment]:
    """Each directory ``wanted`` names (alone, or several joined by ``+``) that lies inside
    a Kubernetes deployment of the input without being one (``kube/`` and ``monitoring/``
    of a repository whose manifests make one deployment at its root): what ``kubectl apply
    -R -f kube/`` applies, its files of that deployment."""
    base = _base(inventory)
    found: list[Deployment] = []
    pending = ""  # a '+' may also be part of a path (``owner+name/kube``)
    for token in wanted.split("+"):
        pending = f"{pending}+{token}" if pending else token
        named = pending.strip()
        directory = next((c.resolve() for c in (base / named, Path(named)) if c.is_dir()), None)
        if directory is None:
            continue
        pending = ""
        if _matching(deployments, named):
            continue
        for deployment in deployments:
            if not _is_tree(deployment) or not directory.is_relative_to(
                Path(deployment.path).resolve()
            ):
                continue
            held = frozenset(f for f in deployment.files if Path(f).is_relative_to(directory))
            names = workloads_in(inventory, held)
            if names:
                name = _relative(directory, base)
                found.append(Deployment(name, KUBERNETES, str(directory), frozenset(names), held))
                break
    return found


def _is_tree(deployment: Deployment) -> bool:
    """A Kubernetes deployment that is a directory (or file) of manifests as committed."""
    return deployment.kind == KUBERNETES and not (deployment.script or deployment.listed)


def _named_tree(deployments: list[Deployment], wanted: str, base: Path) -> Path | None:
    """The directory ``wanted`` names when it is no deployment itself but holds several
    Kubernetes ones (``k8s/`` over ``k8s/infrastructure/`` and ``k8s/applications/``; the
    input's root, ``.``): what ``kubectl apply -R -f DIR`` applies, as one deployment."""
    if "+" in wanted and not Path(wanted).exists() and not (base / wanted).exists():
        return None
    if _matching(deployments, wanted):
        return None
    for candidate in (base / wanted, Path(wanted)):
        directory = candidate.resolve()
        if not directory.is_dir():
            continue
        held = [d for d in deployments if _is_tree(d) and Path(d.path).is_relative_to(directory)]
        return directory if held else None
    return None


def workloads_in(inventory: Inventory, files: Collection[str]) -> set[str]:
    """The names of the top-level workloads (no owner) that ``files`` (resolved paths) hold."""
    return {
        w.name
        for w in inventory.workloads
        if w.owner is None and str(Path(w.location.file).resolve()) in files
    }


def _layered(parts: list[Deployment], name: str) -> Deployment:
    """Several deployments named together (``a.yml+b.yml``): one, as ``-f a -f b`` reads."""
    return Deployment(
        name,
        parts[0].kind,
        parts[0].path,
        frozenset().union(*(d.services for d in parts)),
        frozenset().union(*(d.files for d in parts)),
    )


def _compose_layered(
    inventory: Inventory, chosen: Deployment, wanted: str
) -> tuple[Inventory, Deployment]:
    """Compose files named with ``+``: the input with the one project ``-f a -f b`` reads
    (compose_layers), and the deployment of exactly its services and files."""
    from socklock.discover.compose_layers import named_layers, with_layers

    layers = named_layers(inventory, wanted, _base(inventory))
    if not layers:
        return inventory, chosen
    inventory = with_layers(inventory, layers)
    first = str(Path(layers[0]).resolve())
    project = next(p for p in inventory.compose_projects if str(Path(p.file).resolve()) == first)
    return inventory, dataclasses.replace(
        chosen,
        services=frozenset(s.name for s in project.services),
        files=frozenset(str(Path(f).resolve()) for f in layers),
    )


def _overlap(one: Deployment, other: Deployment) -> bool:
    from socklock.discover.identity import normal

    return bool({normal(n) for n in one.services} & {normal(n) for n in other.services})


def _default_parts(deployments: list[Deployment], base: Path) -> list[Deployment]:
    preferred = _preferred_script(deployments)
    candidates = [
        d for d in deployments if not d.variant and (not d.script or d is preferred)
    ] or deployments
    candidates = [d for d in candidates if not incidental(d.name)] or candidates
    named = documented(
        (
            (
                d.name,
                _relative(Path(d.path), base) if d.kind == COMPOSE else None,
                (_relative(Path(f), base) for f in d.files),
            )
            for d in candidates
        ),
        base,
    )
    candidates = [d for d in candidates if d.name in named] or candidates
    largest = max(len(d.services) for d in candidates)
    return [next(d for d in candidates if 2 * len(d.services) >= largest)]


def _named_parts(deployments: list[Deployment], wanted: str, base: Path) -> list[Deployment]:
    """The deployment ``wanted`` names, or each of several joined by ``+`` (a file that is
    no deployment of its own, an override, joins the layers: compose_layers)."""
    if "+" not in wanted or _matching(deployments, wanted):
        return [_named(deployments, wanted)]
    parts: list[Deployment] = []
    pending = ""  # a '+' may also be part of a path (``owner+name/compose.yaml``)
    for token in wanted.split("+"):
        pending = f"{pending}+{token}" if pending else token
        if _matching(deployments, pending.strip()):
            one = _named(deployments, pending.strip())
            parts.extend([one] if one not in parts else [])
            pending = ""
        elif Path(pending.strip()).is_file() or (base / pending.strip()).is_file():
            pending = ""  # a file that defines no service (comments only) adds nothing
    if pending or not parts:  # raises: names no deployment
        _named(deployments, pending.strip() or wanted)
    return parts


def _matching(deployments: list[Deployment], wanted: str) -> list[Deployment]:
    given = Path(wanted).resolve()
    exact = [
        d for d in deployments if wanted in (d.name, d.path) or Path(d.path).resolve() == given
    ]
    if not exact:
        exact = [d for d in deployments if given in {Path(f) for f in d.files}]
    if not exact:
        tail = wanted.strip("/")
        exact = [d for d in deployments if d.name.endswith("/" + tail) or d.name == tail]
    if not exact and given.is_dir():  # an AppHost project's directory names its program
        exact = [
            d for d in deployments if d.kind == ASPIRE and Path(d.path).resolve().parent == given
        ]
    if len(exact) > 1:  # a directory names what ``docker compose`` reads there
        defaults = [d for d in exact if not d.variant]
        exact = defaults if len(defaults) == 1 else exact
    return exact


def _named(deployments: list[Deployment], wanted: str) -> Deployment:
    exact = _matching(deployments, wanted)
    if len(exact) == 1:
        return exact[0]
    listed = ", ".join(f"{d.name} ({d.kind})" for d in deployments)
    if not exact:
        raise UsageError(f"no deployment {wanted!r}; the input has: {listed}")
    raise UsageError(f"{wanted!r} names several deployments; the input has: {listed}")


def helm_charts(inventory: Inventory) -> tuple[str, ...]:
    """The Helm charts whose templates the loader skipped (input-relative directories)."""
    base = _base(inventory)
    found: set[str] = set()
    for item in inventory.skipped:
        if item.kind is not SkipKind.HELM_TEMPLATE:
            continue
        for parent in Path(item.path).resolve().parents:
            if parent.name == "templates" and (parent.parent / "Chart.yaml").exists():
                found.add(_relative(parent.parent, base))
                break
    return tuple(sorted(found))


def _refuse_chart(wanted: str, charts: tuple[str, ...], base: Path) -> None:
    """Naming a Helm chart: socklock reads what it renders to, not its templates."""
    given = Path(wanted).resolve()
    for chart in charts:
        if given == (base / chart).resolve() or chart == wanted.strip("/"):
            raise UsageError(
                f"{chart} is a Helm chart: its templates are not manifests until rendered; "
                f"map what it renders to: helm template {chart} | socklock map -"
            )
    # a directory of charts (``helm-charts/app/``, one chart per part of the application)
    for directory in (base / wanted, given):
        held = [c for c in charts if (base / c).resolve().is_relative_to(directory.resolve())]
        if held and directory.is_dir() and not _holds_manifests(directory, charts, base):
            rendered = " ; ".join(f"helm template {c}" for c in held)
            raise UsageError(
                f"{_relative(directory.resolve(), base)} holds Helm charts ({', '.join(held)}): "
                f"their templates "
                f"are not manifests until rendered; map what they render to: "
                f"({rendered}) | socklock map -"
            )


def _holds_manifests(directory: Path, charts: tuple[str, ...], base: Path) -> bool:
    """Whether ``directory`` holds YAML outside its charts (then it may be a deployment)."""
    inside = [(base / c).resolve() for c in charts]
    for path in directory.rglob("*.y*ml"):
        resolved = path.resolve()
        if not any(resolved.is_relative_to(chart) for chart in inside):
            return True
    return False


def _base(inventory: Inventory) -> Path:
    roots = [Path(r).resolve() for r in inventory.roots]
    dirs = [r if r.is_dir() else r.parent for r in roots]
    if not dirs:
        return Path.cwd()
    common = dirs[0]
    for other in dirs[1:]:
        while not other.is_relative_to(common):
            common = common.parent
    return common


def _relative(path: Path, base: Path) -> str:
    try:
        text = str(path.relative_to(base))
    except ValueError:
        return str(path)
    return text if text != "" else "."


def _kubernetes(inventory: Inventory, base: Path) -> list[Deployment]:
    names_in: dict[Path, set[str]] = defaultdict(set)
    files_in: dict[Path, set[str]] = defaultdict(set)
    for workload in inventory.workloads:
        if workload.owner is None:
            file = Path(workload.location.file).resolve()
            names_in[file.parent].add(workload.name)
            files_in[file.parent].add(str(file))
    if not names_in:
        return []
    _split_alternative_files(inventory, names_in, files_in)
    from socklock.discover.overlays import unrendered_overlays

    overlays = [
        Deployment(
            _relative(d, base),
            KUBERNETES,
            str(d),
            frozenset(n),
            frozenset(f),
            variant=True,  # the default is a sibling that renders as committed
            listed=True,
        )
        for d, n, f in unrendered_overlays(inventory, names_in, files_in)
    ]
    top = base
    for directory in names_in:
        while not directory.is_relative_to(top):
            top = top.parent
    groups = _merge(top, sorted(names_in), names_in, files_in) if names_in else []
    return [
        *(
            Deployment(_relative(d, base), KUBERNETES, str(d), frozenset(n), frozenset(f))
            for d, n, f in groups
        ),
        *overlays,
    ]


def _split_alternative_files(
    inventory: Inventory, names_in: dict[Path, set[str]], files_in: dict[Path, set[str]]
) -> None:
    """A directory whose files repeat workload names holds alternatives
    (``all-in-one.yaml`` beside ``quickstart.yaml``): each file is then a leaf of its own,
    as directories that repeat names are. Files that all run the same workloads are copies
    of one deployment (the loader warns of the duplicate objects): they stay one."""
    per_file: dict[Path, set[str]] = defaultdict(set)
    for workload in inventory.workloads:
        if workload.owner is None:
            per_file[Path(workload.location.file).resolve()].add(workload.name)
    for directory in list(names_in):
        files = [f for f in per_file if f.parent == directory]
        seen: set[str] = set()
        repeated = False
        for file in sorted(files):
            repeated = repeated or bool(per_file[file] & seen)
            seen |= per_file[file]
        if not repeated or len({frozenset(per_file[f]) for f in files}) == 1:
            continue  # disjoint parts, or copies of one set of objects (a duplicate, warned)
        del names_in[directory], files_in[directory]
        for file in files:
            names_in[file] = per_file[file]
            files_in[file] = {str(file)}


def _merge(
    directory: Path,
    leaves: list[Path],
    names_in: dict[Path, set[str]],
    files_in: dict[Path, set[str]],
) -> list[tuple[Path, set[str], set[str]]]:
    """Groups under ``directory``: one group when no two parts repeat a name, else the parts."""
    children = sorted(
        {leaf.relative_to(directory).parts[0] for leaf in leaves if leaf != directory}
    )
    parts: list[tuple[Path, set[str], set[str]]] = []
    if directory in names_in:
        parts.append((directory, set(names_in[directory]), set(files_in[directory])))
    for child in children:
        below = [
            leaf
            for leaf in leaves
            if leaf != directory and leaf.relative_to(directory).parts[0] == child
        ]
        parts.extend(_merge(directory / child, below, names_in, files_in))
    if len(parts) <= 1:
        return parts  # named by the deepest directory that holds all of it
    seen: set[str] = set()
    for _, names, _ in parts:
        if names & seen:
            return parts
        seen |= names
    union_files = {f for _, _, files in parts for f in files}
    return [(directory, seen, union_files)]


def _compose(inventory: Inventory, base: Path) -> list[Deployment]:
    """Per directory: what ``docker compose`` reads there by default, and its variants."""
    in_directory: dict[Path, dict[str, set[str]]] = defaultdict(dict)
    for project in inventory.compose_projects:
        file = Path(project.file).resolve()
        in_directory[file.parent].setdefault(str(file), set()).update(
            s.name for s in project.services
        )
    found: list[Deployment] = []
    for directory, projects in in_directory.items():
        read = [f for f in default_files(str(directory), set(projects)) if f in projects]
        if read:
            names = set().union(*(projects[f] for f in read))
            name = "+".join(_relative(Path(f), base) for f in read)
            found.append(
                Deployment(name, COMPOSE, str(directory), frozenset(names), frozenset(read))
            )
        for other, names in sorted(projects.items()):
            if other not in read:
                found.append(
                    Deployment(
                        _relative(Path(other), base),
                        COMPOSE,
                        str(directory),
                        frozenset(names),
                        frozenset({other}),
                        variant=bool(read),
                    )
                )
    return found


def _hosted(inventory: Inventory, base: Path) -> list[Deployment]:
    """The deployment programs that declare their resources: an Aspire AppHost, a Procfile,
    a Taskfile. A Procfile or Taskfile beside a deployment that builds the code (a compose
    file with ``build:``, Kubernetes manifests) is another way to run the same services on a
    host: a variant, read only when named; beside one that only runs public images (the
    databases the processes use) it is the application's own deployment."""
    grouped: dict[str, tuple[set[str], set[str], str | None]] = {}
    for unit in inventory.units:
        if unit.host is not None:
            kind = unit.kind if unit.on_host else None
            names, files, _ = grouped.setdefault(unit.host, (set(), set(), kind))
            names.add(unit.name)
            files.add(str(Path(unit.location.file).resolve()))
    builds = bool(inventory.workloads) or any(
        service.build_context
        for project in inventory.compose_projects
        for service in project.services
    )
    return [
        Deployment(
            _relative(Path(sorted(files)[0]), base),
            on_host or ASPIRE,
            sorted(files)[0],
            frozenset(names),
            frozenset(files),
            variant=on_host is not None and builds,
        )
        for _host, (names, files, on_host) in grouped.items()
    ]


def _without(inventory: Inventory, left_out: list[Deployment], kept: list[Deployment]) -> Inventory:
    """The inventory without the objects, compose projects and AppHost resources of
    ``left_out`` (other objects of the input are kept). An object belongs to the deepest
    Kubernetes deployment whose directory holds it: a variant below a left-out directory
    (``k8s/`` left out, ``k8s/istio/`` kept) keeps its objects."""
    if not left_out:
        return inventory
    gone = {f for d in left_out for f in d.files} - {f for d in kept for f in d.files}

    # both asked once a file (many objects share one: a chart's rendered stream)
    @functools.cache
    def keep(file: str) -> bool:
        return str(Path(file).resolve()) not in gone

    trees = [
        (Path(d.path), d in left_out)
        for d in [*left_out, *kept]
        if d.kind == KUBERNETES and not (d.script or d.listed)
    ]

    # a deployment that is one file (``all-in-one/app.yaml``) keeps that file's objects
    # whatever the directories around it are
    kept_files = {
        Path(d.path).resolve()
        for d in kept
        if d.kind == KUBERNETES and not d.script and Path(d.path).is_file()
    }
    # a deploy script (an unrendered overlay) keeps the files it applies, wherever they are
    kept_files |= {Path(f) for d in kept if d.script or d.listed for f in d.files}

    @functools.cache
    def keep_object(file: str) -> bool:
        real = Path(file).resolve()
        if real in kept_files:
            return True
        directory = real.parent
        holders = [(len(t.parts), gone) for t, gone in trees if directory.is_relative_to(t)]
        if holders:  # the deepest directory deployment holding it decides: a left-out
            # script that applies the kept directory (``kubectl apply -f k8s``) names its
            # Services too, which stay with the directory
            return not max(holders)[1]
        return keep(file)

    return dataclasses.replace(
        inventory,
        workloads=tuple(w for w in inventory.workloads if keep_object(w.location.file)),
        services=tuple(s for s in inventory.services if keep_object(s.obj.location.file)),
        ingresses=tuple(i for i in inventory.ingresses if keep_object(i.obj.location.file)),
        config_maps=tuple(c for c in inventory.config_maps if keep_object(c.obj.location.file)),
        compose_projects=tuple(p for p in inventory.compose_projects if keep(p.file)),
        units=tuple(u for u in inventory.units if u.host is None or keep(u.location.file)),
        image_builds=(
            *inventory.image_builds,
            *(
                (service.image, service.build_context)
                for project in inventory.compose_projects
                if not keep(project.file)
                for service in project.services
                if service.image
                and service.build_context
                and _copies_context(service.build_context, service.dockerfile, inventory)
            ),
        ),
    )


def _copies_context(context: str, dockerfile: str | None, inventory: Inventory) -> bool:
    """Whether a build's Dockerfile copies anything from its context (``COPY``/``ADD``
    without ``--from``): an image that only layers flags on a public base (a browser, a
    database) builds none of the repository's code, whatever its context; nor does a build
    whose Dockerfile is not there (it cannot run). A Dockerfile socklock did not read is
    taken to copy its context."""
    path = (Path(context) / (dockerfile or "Dockerfile")).resolve()
    if not path.is_file():
        return False  # no such Dockerfile: the build cannot run, and builds nothing
    for candidate in inventory.dockerfiles:
        if Path(candidate.path).resolve() == path:
            return any(
                i.keyword in ("COPY", "ADD") and "--from" not in i.value
                for i in candidate.instructions
            )
    return True
