"""``socklock policy generate``: least-privilege policies from the service graph, proven.

A standalone click command; the ``policy`` group attaches it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from socklock._cli.common import (
    EXIT_FINDINGS,
    EXIT_INPUT_ERROR,
    EXIT_OK,
    input_exit_code,
    load,
    paths_argument,
)
from socklock._cli.deployment import choose_deployment, deployment_option
from socklock.files import resolved_paths
from socklock.gcpause import paused_gc

if TYPE_CHECKING:
    from socklock.model import Inventory, ServiceGraph
    from socklock.policy.emit import OutputFile


@click.command("generate")
@paths_argument
@click.option(
    "--flavor",
    type=click.Choice(["kubernetes", "calico", "anp", "cilium", "compose"]),
    default="kubernetes",
    show_default=True,
    help="Kubernetes NetworkPolicy, Calico policies, anp (a BaselineAdminNetworkPolicy "
    "default deny with NetworkPolicies above it), cilium (CiliumNetworkPolicy, L3/L4), or "
    "docker-compose networks.",
)
@click.option(
    "--mode",
    type=click.Choice(["enforce", "caller-labels", "log", "staged"]),
    default="enforce",
    show_default=True,
    help="caller-labels: callers carry socklock.io/to.<service> labels (patched into your "
    "manifests); log (Calico): log and still allow what would be denied; staged (Calico): "
    "StagedNetworkPolicy.",
)
@click.option(
    "--preset",
    type=click.Choice(["segments"]),
    default=None,
    help="compose: the external / internal / back-office segments instead of one network "
    "per callee.",
)
@click.option(
    "--graph",
    "graph_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Use this socklock/graph/v1 JSON (socklock map --format json) instead of discovering "
    "the graph; PATHS still give the workloads.",
)
@click.option(
    "--code/--no-code",
    default=True,
    show_default=True,
    help="When discovering: analyse source code for calls (besides manifests).",
)
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Write the files under DIR (atomically; socklock's own files are replaced, stale "
    "ones removed). Default: print them.",
)
@click.option("--force", is_flag=True, help="Overwrite files in DIR that socklock did not write.")
@click.option(
    "--write",
    is_flag=True,
    help="caller-labels: apply the label patch to your manifests (default: show the diff).",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    default=None,
    help="socklock.toml with a [generate] table (default: ./socklock.toml when present).",
)
@click.option(
    "--namespace",
    "namespaces",
    multiple=True,
    help="Namespaces to lock down (repeatable; default: every non-system namespace).",
)
@click.option(
    "--ingress-namespace",
    default=None,
    help="Entry points admit only this namespace (the ingress controller's), not anyone.",
)
@click.option("--no-dns", is_flag=True, help="Do not allow DNS to the cluster DNS.")
@click.option(
    "--unknown-ports",
    type=click.Choice(["declared", "refuse"]),
    default=None,
    help="A call with an unknown port: allow the callee's declared ports (default), or leave "
    "it out. Either way it is reported.",
)
@click.option(
    "--include-hints",
    is_flag=True,
    help="Also allow edges whose only evidence is compose depends_on/links (start order, not "
    "a known call). Without it they are left out and listed for review.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print the summary line only, not the notes.")
@deployment_option
def generate(
    paths: tuple[str, ...],
    flavor: str,
    mode: str,
    preset: str | None,
    graph_file: str | None,
    code: bool,
    output_dir: str | None,
    force: bool,
    write: bool,
    config: str | None,
    namespaces: tuple[str, ...],
    ingress_namespace: str | None,
    no_dns: bool,
    unknown_ports: str | None,
    include_hints: bool,
    quiet: bool,
    deployment: str | None,
) -> int:
    """Generate the least-privilege policies of PATHS and prove them with the engine.

    Every Kubernetes, Calico, ANP and Cilium set is checked by its flavour's decider before
    anything is written: what it allows must equal the service graph plus DNS plus the entry
    points; a set that fails is not written (exit 1).
    """
    from socklock.errors import UsageError
    from socklock.policy.generate import (
        Flavor,
        GenerateOptions,
        Mode,
        NoteLevel,
        UnknownPorts,
        VerificationError,
        load_config,
        write_set,
    )

    settings: dict[str, Any] = {}
    config_path = Path(config) if config else Path("socklock.toml")
    if config or config_path.is_file():
        settings.update(load_config(config_path))
    settings["flavor"] = Flavor(flavor)
    settings["mode"] = Mode(mode)
    settings["preset"] = preset
    if namespaces:
        settings["namespaces"] = tuple(namespaces)
    if ingress_namespace:
        settings["ingress_namespace"] = ingress_namespace
    if no_dns:
        settings["dns"] = None
    if unknown_ports:
        settings["unknown_ports"] = UnknownPorts(unknown_ports)
    settings["include_hints"] = include_hints
    options = GenerateOptions(**settings)
    if write and options.mode is not Mode.CALLER_LABELS:
        raise UsageError(
            "--write applies the caller-labels patch: use it with --mode caller-labels"
        )

    inventory = load(paths, code_next=code and graph_file is None)
    chosen = choose_deployment(inventory, deployment)  # what map and scan lock down
    graph = _graph(chosen, graph_file, code)
    from socklock.policy.generate import generate as generate_set

    try:
        # millions of small objects, few cycles: pausing the collector halves the time at
        # 1,500 services (benchmarks/bench_generate.py; see socklock.gcpause)
        with paused_gc():
            generated = generate_set(chosen, graph, options)
    except VerificationError as exc:
        click.echo(exc.diagnostics(), err=True)
        return EXIT_FINDINGS
    to_stdout = output_dir is None
    say = _printer(err=to_stdout)
    for note in generated.notes:
        if not quiet or note.level is NoteLevel.ERROR:
            say(str(note))
    if to_stdout:
        click.echo(_concatenated(generated.files), nl=False)
    else:
        result = write_set(
            generated.files,
            Path(output_dir or "."),
            force=force,
            owner=f"--flavor {flavor}",
            inputs=resolved_paths(inventory.files),
        )
        for path in result.written:
            say(f"wrote {path}")
        for path in result.removed:
            say(f"removed {path} (stale: written by socklock before, no longer generated)")
        if result.unchanged and not quiet:
            say(f"unchanged: {len(result.unchanged)} file(s)")
    if options.mode is Mode.CALLER_LABELS:
        _caller_labels(chosen, generated.caller_labels, write, say, to_stdout)
    if generated.verification is not None:
        say(generated.verification.summary())
    if any(note.level is NoteLevel.ERROR for note in generated.notes):
        return EXIT_INPUT_ERROR  # a namespace could not be locked down: the input must change
    return input_exit_code(inventory, EXIT_OK)


def _printer(err: bool) -> Callable[[str], None]:
    def say(text: str) -> None:
        click.echo(text, err=err)

    return say


def _graph(inventory: Inventory, graph_file: str | None, code: bool) -> ServiceGraph:
    if graph_file is None:
        from socklock.discover import discover

        return discover(inventory, code=code)
    from socklock.intent import read_intent

    return read_intent(graph_file, inventory)  # InputErrors: one file:line:col line each


def _concatenated(files: Sequence[OutputFile]) -> str:
    return "---\n".join(f"# --- {file.path}\n{file.text}" for file in files)


def _caller_labels(
    inventory: Inventory,
    labels: Mapping[str, Mapping[str, str]],
    write: bool,
    say: Callable[[str], None],
    to_stdout: bool,
) -> None:
    from socklock.policy.emit.caller_labels import apply_patches, patch_caller_labels

    patches, skipped = patch_caller_labels(inventory, labels)
    for item in skipped:
        say(f"warning: {item.workload}: caller labels not written: {item.reason}")
    if not patches:
        say("caller labels: your manifests already carry them")
        return
    if write:
        for path in apply_patches(patches):
            say(f"patched {path} (caller labels)")
        return
    click.echo("".join(p.diff() for p in patches), nl=False, err=to_stdout)
    say(f"caller labels: {len(patches)} manifest(s) to patch (diff above); apply with --write")
