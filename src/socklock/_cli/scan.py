"""``socklock scan``: everything at once: map, harden, generate, verify, report."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from socklock._cli.common import (
    EXIT_INPUT_ERROR,
    code_progress,
    color_wanted,
    exit_code,
    fail_on_option,
    input_exit_code,
    paths_argument,
)
from socklock._cli.deployment import deployment_option
from socklock.files import check_artifacts, resolved_paths, write_artifacts

if TYPE_CHECKING:
    from socklock.pipeline import Result
    from socklock.policy.generate import GeneratedSet


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
@fail_on_option(default="never")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="socklock.toml to read (default: the nearest one above the first PATH), as harden.",
)
@click.option(
    "--force", is_flag=True, help="Overwrite files in --out-dir that socklock did not write."
)
@deployment_option
def scan(
    paths: tuple[str, ...],
    out_dir: str | None,
    code: bool,
    fail_on: str,
    config_file: str | None,
    force: bool,
    deployment: str | None,
) -> int:
    """Scan PATHS: the service graph, hardening findings, the input's NetworkPolicies against
    the graph, and every artifact in --out-dir (findings.sarif among them)."""
    return run_scan(
        paths,
        out_dir,
        code=code,
        fail_on=fail_on,
        force=force,
        deployment=deployment,
        config_file=config_file,
    )


def run_scan(
    paths: tuple[str, ...],
    out_dir: str | None,
    *,
    code: bool = True,
    fail_on: str = "never",
    force: bool = False,
    deployment: str | None = None,
    config_file: str | None = None,
) -> int:
    from socklock import __version__
    from socklock._cli.common import load
    from socklock._cli.deployment import say_selection
    from socklock._cli.harden import harden_options
    from socklock._cli.map import render_graph
    from socklock.pipeline import scan_inventory
    from socklock.report.existing_policies import existing_policies_text
    from socklock.report.findings_summary import findings_by_rule
    from socklock.report.findings_table import summary_line
    from socklock.report.summary import inventory_summary

    color = color_wanted()
    options = harden_options(config_file, paths)
    inventory = load(paths, code_next=code)
    with code_progress() as progress:
        result = scan_inventory(
            inventory, code=code, deployment=deployment, harden=options, progress=progress
        )
    del inventory
    assert result.audit is not None and result.selection is not None
    say_selection(result.selection, deployment)
    click.echo(inventory_summary(result.inventory))
    click.echo(render_graph(result.graph, "table", color=color), nl=False)
    click.echo()
    click.echo(findings_by_rule(result.audit.findings, color=color), nl=False)
    click.echo(summary_line(result.audit.findings, len(result.audit.suppressed)))
    existing = existing_policies_text(result.existing) if result.existing is not None else ""
    if existing:
        click.echo()
        click.echo(existing, nl=False)
    code_ = input_exit_code(result.inventory, exit_code(result.findings(), fail_on))
    if out_dir is not None:
        click.echo()
        handed = [result]
        del result  # write_everything lets parts of it go as they are written
        if not write_everything(handed, Path(out_dir), paths, force=force, version=__version__):
            code_ = EXIT_INPUT_ERROR  # a namespace could not be locked down
    return code_


def write_everything(
    handed: list[Result], target: Path, paths: Sequence[str], *, force: bool, version: str
) -> bool:
    """Every artifact into ``target``, one at a time: each is rendered, written and let go
    (on a big input each is large). Every target is checked first: a file of the user's in
    the way stops the run before any write. ``handed`` holds the result, taken from it so
    that nothing else keeps what is let go. False when a policy set left a namespace
    unlocked (its error notes are printed)."""
    result = handed.pop()
    from socklock._cli.map import render_graph
    from socklock.report.existing_policies import connectivity_json
    from socklock.report.html_page import scan_html
    from socklock.report.policy_verdict import PolicyVerdict

    inputs = resolved_paths(result.inventory.files)
    # findings in pieces, written as rendered: a report of millions of findings is gigabytes
    renderers: dict[str, Callable[[], str | Iterable[str]]] = {
        "graph.json": partial(render_graph, result.graph, "json"),
        "findings.json": partial(render_findings, result, "json", version, paths),
        "findings.sarif": partial(render_findings, result, "sarif", version, paths),
    }
    if isinstance(result.existing, PolicyVerdict):
        renderers["connectivity.json"] = partial(connectivity_json, result.existing)
    check_artifacts(target, [*renderers, "report.html"], force=force, inputs=inputs)
    written: list[Path] = []
    for name, render in renderers.items():
        written += write_artifacts(target, {name: render()}, force=force, inputs=inputs)
    del renderers
    if isinstance(result.existing, PolicyVerdict):  # the document is written: let it go
        result = replace(result, existing=result.existing.without_document())
    deployment = result.deployment if result.deployment is not None else result.inventory
    assert result.audit is not None
    inventory, graph, findings = result.inventory, result.graph, result.audit.findings

    def write_report(enforce: GeneratedSet | None) -> list[Path]:
        """report.html: the hardening findings; connections show their state as edges."""
        report = scan_html(inventory, deployment, graph, findings, enforce, paths, version)
        return write_artifacts(target, {"report.html": report}, force=force, inputs=inputs)

    report, complete = write_policies(
        result, target / "policies", write_report, force=force, inputs=inputs
    )
    written += report
    for path in written:
        click.echo(f"wrote {path}")
    return complete


def render_findings(result: Result, fmt: str, version: str, paths: Sequence[str]) -> Iterable[str]:
    """findings.json (the hardening audit) or findings.sarif (every finding kind), in pieces."""
    from socklock._cli.harden import iter_audit

    assert result.audit is not None
    if fmt == "json":
        return iter_audit(result.audit, "json", False, version)
    from socklock.report.sarif import iter_sarif
    from socklock.report.source_root import source_root

    suppressed = ((s.finding, s.kind, s.reason) for s in result.audit.suppressed)
    return iter_sarif(
        result.findings(),
        suppressed,
        result.rules,
        version=version,
        root=source_root(paths),
    )


def write_policies(
    result: Result,
    directory: Path,
    then: Callable[[GeneratedSet | None], list[Path]],
    *,
    force: bool = False,
    inputs: Collection[Path] = (),
) -> tuple[list[Path], bool]:
    """Write each policy set of the scan into its own directory, one at a time, each let go
    as soon as it is written; ``then`` is given the Kubernetes enforce set once it is written
    (report.html checks connections against it: it is written then, so that the set and the
    report's engine are let go before the next set is proven), or None after the last set
    when there is none. Returns what ``then`` wrote and whether every set locked every
    namespace (a set's error notes are printed)."""
    from socklock.pipeline import SkippedSet
    from socklock.policy.generate import Note, NoteLevel, write_set

    reported: list[Path] | None = None
    complete = True
    said: set[Note] = set()
    for item in result.policy_sets():
        if isinstance(item, SkippedSet):
            click.echo(f"{item.flavor} {item.mode}: skipped ({item.reason})")
            continue
        generated, target = item.generated, directory / item.name
        written = write_set(
            generated.files, target, force=force, owner=f"--flavor {item.flavor}", inputs=inputs
        )
        if item.mode == "caller-labels":
            from socklock.policy.emit.caller_labels import patch_caller_labels, patch_text

            chosen = result.deployment if result.deployment is not None else result.inventory
            patches, _ = patch_caller_labels(chosen, generated.caller_labels)
            write_artifacts(
                target, {"caller-labels.diff": patch_text(patches)}, force=force, inputs=inputs
            )
        errors = [n for n in generated.notes if n.level is NoteLevel.ERROR]
        for note in errors:
            if note not in said:  # every flavour leaves the same namespaces unlocked
                said.add(note)
                click.echo(str(note), err=True)
        complete = complete and not errors
        summary = generated.verification.summary() if generated.verification else "written"
        click.echo(
            f"{item.flavor} {item.mode}: {len(written.written) + len(written.unchanged)} "
            f"file(s) in {target}; {summary}"
        )
        name = item.name
        del item, written  # one flavour's set at a time
        if name == "kubernetes-enforce":
            reported = then(generated)
        del generated
    if reported is None:
        reported = then(None)
    return reported, complete
