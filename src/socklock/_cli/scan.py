"""``socklock scan``: everything at once: map, harden, generate, verify, report."""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

import click

from socklock._cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    code_progress,
    color_wanted,
    input_exit_code,
    paths_argument,
)
from socklock._cli.deployment import choose_deployment, deployment_option
from socklock.files import check_artifacts, resolved_paths, write_artifacts

SEVERITIES = ["info", "low", "medium", "high", "critical"]


@click.command("scan")
@paths_argument
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Also write every artifact (graph.json, findings.json, ...) into DIR.",
)
@click.option(
    "--code/--no-code",
    default=True,
    show_default=True,
    help="Analyse source code for calls (besides manifests).",
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default=None,
    help="Exit 1 when a hardening finding is at or above this severity.",
)
@click.option(
    "--force", is_flag=True, help="Overwrite files in --out-dir that socklock did not write."
)
@deployment_option
def scan(
    paths: tuple[str, ...],
    out_dir: str | None,
    code: bool,
    fail_on: str | None,
    force: bool,
    deployment: str | None,
) -> int:
    """Scan PATHS: the service graph, hardening findings, and the artifacts in --out-dir."""
    return run_scan(paths, out_dir, code=code, fail_on=fail_on, force=force, deployment=deployment)


def run_scan(
    paths: tuple[str, ...],
    out_dir: str | None,
    *,
    code: bool = True,
    fail_on: str | None = None,
    force: bool = False,
    deployment: str | None = None,
) -> int:
    from socklock import __version__
    from socklock._cli.common import load
    from socklock._cli.harden import render_audit
    from socklock._cli.map import render_graph
    from socklock.discover import discover
    from socklock.harden import HardenOptions, audit
    from socklock.model import Severity
    from socklock.report.findings_summary import findings_by_rule
    from socklock.report.findings_table import summary_line
    from socklock.report.summary import inventory_summary

    color = color_wanted()
    inventory = load(paths)
    chosen = choose_deployment(inventory, deployment)
    with code_progress() as progress:
        graph = discover(chosen, code=code, progress=progress)
    result = audit(inventory, HardenOptions())
    click.echo(inventory_summary(inventory))
    click.echo(render_graph(graph, "table", color=color), nl=False)
    click.echo()
    click.echo(findings_by_rule(result.findings, color=color), nl=False)
    click.echo(summary_line(result.findings, len(result.suppressed)))
    existing = existing_policies(inventory, graph)
    code_ = EXIT_OK
    if fail_on is not None and any(f.severity.at_least(Severity(fail_on)) for f in result.findings):
        code_ = EXIT_FINDINGS
    if out_dir is not None:
        click.echo()
        target = Path(out_dir)
        inputs = resolved_paths(inventory.files)
        # One artifact at a time, each rendered, written and let go: on a big input each is
        # large, and holding them all (and the audit) while policies are generated is not
        # needed. Every target is checked first: a file of the user's in the way stops the
        # run before any write.
        audited = result
        renderers: dict[str, Callable[[], str]] = {
            "graph.json": lambda: render_graph(graph, "json"),
            "findings.json": lambda: render_audit(audited, "json", False, __version__, None),
            "findings.sarif": lambda: render_audit(audited, "sarif", False, __version__, None),
        }
        if existing is not None:
            text = existing
            renderers["connectivity.json"] = lambda: text
        check_artifacts(target, renderers, force=force, inputs=inputs)
        written: list[Path] = []
        for name, render in renderers.items():
            written += write_artifacts(target, {name: render()}, force=force, inputs=inputs)
        del result, audited, renderers, existing
        write_policies(chosen, graph, target / "policies", force=force, inputs=inputs)
        for path in written:
            click.echo(f"wrote {path}")
    return input_exit_code(inventory, code_)


DEMO_FLAVORS = (
    ("kubernetes", "enforce"),
    ("kubernetes", "caller-labels"),
    ("calico", "log"),
    ("compose", "enforce"),
)


def write_policies(
    inventory: object,
    graph: object,
    directory: Path,
    *,
    force: bool = False,
    inputs: Collection[Path] = (),
) -> None:
    """Generate, prove and write every flavour the demo shows, one directory each."""
    from socklock.model import Inventory, ServiceGraph
    from socklock.policy.generate import Flavor, GenerateOptions, Mode, generate, write_set

    assert isinstance(inventory, Inventory) and isinstance(graph, ServiceGraph)
    for flavor, mode in DEMO_FLAVORS:
        needs = "a compose file" if flavor == "compose" else "Kubernetes workloads"
        if not (inventory.compose_projects if flavor == "compose" else inventory.workloads):
            click.echo(f"{flavor} {mode}: skipped (no {needs} in the input)")
            continue
        options = GenerateOptions(flavor=Flavor(flavor), mode=Mode(mode))
        generated = generate(inventory, graph, options)
        target = directory / f"{flavor}-{mode}"
        result = write_set(
            generated.files, target, force=force, owner=f"--flavor {flavor}", inputs=inputs
        )
        if mode == "caller-labels":
            from socklock.policy.emit.caller_labels import patch_caller_labels, patch_text

            patches, _ = patch_caller_labels(inventory, generated.caller_labels)
            write_artifacts(
                target, {"caller-labels.diff": patch_text(patches)}, force=force, inputs=inputs
            )
        summary = generated.verification.summary() if generated.verification else "written"
        click.echo(
            f"{flavor} {mode}: {len(result.written) + len(result.unchanged)} file(s) "
            f"in {target}; {summary}"
        )
        del generated, result  # one flavour's set at a time


def existing_policies(inventory: object, graph: object, shown: int = 10) -> str | None:
    """When PATHS carry NetworkPolicies: what they break (missing) and leave open (excess)
    against the discovered graph. Returns the connectivity JSON, or None without policies."""
    from socklock.model import Inventory, ServiceGraph
    from socklock.policy import PolicyErrors, analyse
    from socklock.policy.api import is_policy_object
    from socklock.policy.intent import graph_externals
    from socklock.report.connectivity_document import verification

    assert isinstance(inventory, Inventory) and isinstance(graph, ServiceGraph)
    policies = [o for o in inventory.objects if is_policy_object(o)]
    if not policies:
        return None
    click.echo()
    try:
        connectivity = analyse(inventory, externals=graph_externals(graph))
    except PolicyErrors as exc:
        click.echo(f"Existing NetworkPolicies ({len(policies)}): not evaluated, they have errors:")
        click.echo(exc.diagnostics())
        return None
    document, check, unprotected = verification(connectivity, graph)
    assert check is not None
    click.echo(
        f"Existing NetworkPolicies ({len(policies)}) against the graph: "
        f"{len(check.missing)} needed connection(s) denied, {len(check.excess)} allowed "
        f"but not needed, {len(unprotected)} workload(s) not isolated"
    )
    for needed in check.missing[:shown]:
        click.echo(
            f"  breaks {needed.source} -> {needed.target} {needed.port}/{needed.protocol.value}"
            f" ({needed.why}: {needed.verdict.value})"
        )
    if len(check.missing) > shown:
        click.echo(f"  ... and {len(check.missing) - shown} more (connectivity.json)")
    for row in check.excess[:shown]:
        ports = f"{row.port}-{row.end_port}" if row.end_port else str(row.port)
        click.echo(f"  open   {row.source} -> {row.target} {ports}/{row.protocol.value}")
    if len(check.excess) > shown:
        click.echo(f"  ... and {len(check.excess) - shown} more (connectivity.json)")
    return document.model_dump_json(by_alias=True, indent=2) + "\n"
