"""``socklock policy``: verify, explain and diff NetworkPolicies (generate is added later).

Exit codes: 0 ok; 1 missing or excess connections (verify --intent), a connection that is
not allowed (explain), policy sets that differ (diff); 2 input or usage error, including
any policy the engine cannot read (it refuses to answer rather than guess).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from socklock._cli import ending
from socklock._cli.common import (
    EXIT_FINDINGS,
    EXIT_INPUT_ERROR,
    EXIT_OK,
    color_wanted,
    load,
    output_option,
    paths_argument,
    write_output,
    write_output_stream,
)
from socklock._cli.lazy import LazyGroup
from socklock.gcpause import paused_gc

if TYPE_CHECKING:
    from collections.abc import Iterator

    from socklock.model import Inventory, K8sObject, ServiceGraph
    from socklock.policy import Connectivity
    from socklock.policy.intent import IntentCheck
    from socklock.policy.result import Connection, Verdict

# Subcommands defined in other modules, imported only when run:
# name -> ("module:attribute", one-line help). Add new ones here.
POLICY_COMMANDS: dict[str, tuple[str, str]] = {
    "generate": (
        "socklock._cli.generate:generate",
        "Least-privilege policies from the service graph, proven by the engine.",
    ),
}

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)


cni_option = click.option(
    "--cni",
    type=click.Choice(["generic", "calico", "cilium"]),
    default="generic",
    show_default=True,
    help="Whether ipBlocks admit pods: generic, through the pod IPs the input gives; calico, "
    "and pods without given IPs when a rule holds all of IPv4; cilium, never (outside "
    "addresses only). Calico objects in the input mean Calico's semantics (cilium is then "
    "an error).",
)


@click.group("policy", cls=LazyGroup, lazy=POLICY_COMMANDS)
def policy() -> None:
    """Generate, verify, explain and diff NetworkPolicies."""


def _refuse(inventory: Inventory) -> bool:
    """Fail closed on any input error: a file that could not be read may hold a policy."""
    if inventory.errors:
        click.echo(
            f"error: {len(inventory.errors)} input error(s) above; no verdict is given, as a "
            "policy in an unreadable file would change it",
            err=True,
        )
        return True
    return False


def _analyse(
    inventory: Inventory, externals: list[str] | None = None, cni: str = "generic"
) -> Connectivity | None:
    return _analyse_with(inventory, None, externals, cni)


def _analyse_with(
    inventory: Inventory,
    policies: list[K8sObject] | None,
    externals: list[str] | None = None,
    cni: str = "generic",
) -> Connectivity | None:
    """The engine over ``policies`` (None: the inventory's); None after printing why not."""
    from socklock.errors import UsageError
    from socklock.policy import PolicyErrors, analyse

    try:
        return analyse(inventory, policies, externals=externals or (), cni=cni)
    except UsageError as wrong:  # e.g. --cni cilium on a Calico input
        click.echo(wrong.diagnostics(), err=True)
        return None
    except PolicyErrors as refused:
        click.echo(refused.diagnostics(), err=True)
        click.echo(
            f"error: {len(refused.errors)} policy error(s); no verdict is given (a policy the "
            "engine cannot read could make a workload look isolated when it is not)",
            err=True,
        )
        return None


@policy.command(
    "verify", short_help="What the policies allow, port by port; --intent: missing and excess."
)
@paths_argument
@click.option(
    "--intent",
    type=click.Path(dir_okay=False),
    default=None,
    help="A socklock/graph/v1 file (socklock map --format json): report missing and excess.",
)
@click.option(
    "--no-intent",
    is_flag=True,
    help="Without --intent, do not discover the graph from PATHS: report connectivity only.",
)
@click.option(
    "--code/--no-code",
    default=True,
    show_default=True,
    help="When discovering the intent, analyse source code too.",
)
@click.option("--all", "include_denied", is_flag=True, help="List denied connections too.")
@click.option(
    "--summary",
    is_flag=True,
    help='One row (from "*") for each port on which every workload may reach a target.',
)
@cni_option
@format_option
@output_option
def verify(
    paths: tuple[str, ...],
    intent: str | None,
    no_intent: bool,
    code: bool,
    include_denied: bool,
    summary: bool,
    cni: str,
    fmt: str,
    output: str | None,
) -> int:
    """What the NetworkPolicies in PATHS allow, port by port.

    Rows are every (source, target, target container port, protocol) on the ports the target
    declares and those the policies mention; external endpoints appear where the policies
    mention ipBlocks or the intent names them.
    """
    from socklock.errors import InputError, InputErrors
    from socklock.intent import read_intent

    # loading builds a million small objects and few cycles: see socklock.gcpause
    with paused_gc():
        inventory = load(paths)
        if _refuse(inventory):
            return EXIT_INPUT_ERROR
        graph = None
        if intent is not None:
            try:
                graph = read_intent(intent, inventory)
            except (InputError, InputErrors) as exc:
                click.echo(exc.diagnostics(), err=True)
                return EXIT_INPUT_ERROR
        elif not no_intent:
            graph = _discovered_intent(inventory, code)
        return run_verify(
            inventory,
            graph,
            include_denied=include_denied,
            fmt=fmt,
            output=output,
            summary=summary,
            cni=cni,
        )


def _discovered_intent(inventory: Inventory, code: bool) -> ServiceGraph | None:
    """The graph discovery finds in the same inputs; None when they name no call at all."""
    from socklock.discover import discover

    graph = discover(inventory, code=code)
    if not graph.edges:
        return None
    click.echo(
        f"intent: {len(graph.edges)} calls discovered in the inputs "
        "(--intent FILE for a reviewed graph, --no-intent to skip)",
        err=True,
    )
    return graph


def run_verify(
    inventory: Inventory,
    intent: ServiceGraph | None,
    *,
    include_denied: bool = False,
    fmt: str = "table",
    output: str | None = None,
    summary: bool = False,
    cni: str = "generic",
) -> int:
    """Verify and report. ``intent`` None: no missing/excess (the hook for discovery: a
    caller may pass the graph ``socklock.discover`` builds from the same inventory)."""
    from socklock.policy.intent import graph_externals

    externals = graph_externals(intent) if intent is not None else None
    connectivity = _analyse(inventory, externals, cni)
    ending.keep(intent, connectivity)
    if connectivity is None:
        return EXIT_INPUT_ERROR
    if fmt == "json":  # streamed: the listing can be large
        from socklock.report.connectivity_json import write_verification

        checks = []
        write_output_stream(
            output,
            lambda out: checks.append(
                write_verification(
                    connectivity, intent, out, include_denied=include_denied, summary=summary
                )
            ),
        )
        check = checks[0]
    else:
        from socklock.report.connectivity_document import listed

        rows, check, counts = listed(connectivity, intent, include_denied, summary)
        color = color_wanted() and output is None
        write_output(_verify_table(connectivity, rows, check, counts, color=color), output)
    if check is not None and not check.ok:
        return EXIT_FINDINGS
    return EXIT_OK


def _verify_table(
    connectivity: Connectivity,
    rows: tuple[Connection, ...],
    check: IntentCheck | None,
    counts: dict[Verdict, int],
    *,
    color: bool,
) -> Iterator[str]:
    """The verify table, in pieces as they are rendered: the unprotected list (one line per
    workload an open cluster leaves open) is made and written a batch at a time, never held
    whole, nor as findings."""
    import io

    from rich.console import Console
    from rich.table import Table

    from socklock.policy.findings import iter_unprotected
    from socklock.report.connectivity_document import missing_values, summary_value

    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, width=120, soft_wrap=True
    )

    def rendered() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    table = Table(title="Connections", show_lines=False)
    for column in ("from", "to", "port", "verdict"):
        table.add_column(column)
    for row in rows:
        ports = f"{row.port}-{row.end_port}" if row.end_port else str(row.port)
        table.add_row(row.source, row.target, f"{ports}/{row.protocol.value}", row.verdict.value)
    console.print(table)
    del table
    yield rendered()
    unprotected = 0
    lines: list[str] = []
    for finding in iter_unprotected(connectivity):
        if not unprotected:
            console.print("\n[bold]Not isolated[/bold] (SLK209):")
            yield rendered()
        unprotected += 1
        # plain lines: no markup read into names, no per-line highlighting
        where = finding.location
        lines.append(f"  {where.file}:{where.line}: {finding.severity}: {finding.message}\n")
        if len(lines) == 1024:
            yield "".join(lines)
            lines.clear()
    yield "".join(lines)
    summary = summary_value(connectivity, counts, unprotected, check)
    if summary["missing"] is not None:
        console.print(f"\n[bold]Missing[/bold] (needed, not allowed): {summary['missing']}")
        for m in missing_values(check):
            console.print(f"  {m['from']} -> {m['to']} {m['port']}/{m['protocol']}: {m['verdict']}")
        console.print(f"[bold]Excess[/bold] (allowed, not needed): {summary['excess']}")
        for row in check.excess if check else ():
            ports = f"{row.port}-{row.end_port}" if row.end_port else str(row.port)
            console.print(
                f"  {row.source} -> {row.target} {ports}/{row.protocol.value}: {row.verdict.value}"
            )
        for note in summary["skipped_intent"]:
            console.print(f"  skipped: {note}")
    console.print(
        f"\n{summary['workloads']} workloads, {summary['policies']} policies, "
        f"{summary['externals']} external endpoints: {summary['allowed']} allowed, "
        f"{summary['partial']} partial, {summary['denied']} denied of {summary['rows']} rows; "
        f"{summary['unprotected']} not isolated"
    )
    yield rendered()


def _endpoint(text: str, option: str) -> str:
    if text.startswith("external:") or text.count("/") == 1:
        return text
    raise click.BadParameter("expected NAMESPACE/NAME or external:<cidr|host>", param_hint=option)


def _port(text: str) -> tuple[int, str]:
    number, _, protocol = text.partition("/")
    protocol = protocol.upper() or "TCP"
    if not number.isdigit() or not 1 <= int(number) <= 65535:
        raise click.BadParameter(f"{text!r}: expected N or N/PROTO, 1-65535", param_hint="--port")
    if protocol not in ("TCP", "UDP", "SCTP"):
        raise click.BadParameter(f"{text!r}: protocol TCP, UDP or SCTP", param_hint="--port")
    return int(number), protocol


@policy.command("explain", short_help="Why one connection is allowed or denied (file:line).")
@paths_argument
@click.option("--from", "source", required=True, help="NS/NAME or external:<cidr|host>")
@click.option("--to", "target", required=True, help="NS/NAME or external:<cidr|host>")
@click.option("--port", "port_text", required=True, help="N or N/PROTO (default TCP)")
@cni_option
@format_option
@output_option
def explain_command(
    paths: tuple[str, ...],
    source: str,
    target: str,
    port_text: str,
    cni: str,
    fmt: str,
    output: str | None,
) -> int:
    """Why one connection is allowed or denied.

    Shows the policies that select each side (file:line) and the rule that admits the
    connection, or why none does. Exit 0 allowed, 1 not allowed."""
    from socklock.errors import UsageError
    from socklock.policy import Verdict, explain

    source, target = _endpoint(source, "--from"), _endpoint(target, "--to")
    port, protocol = _port(port_text)
    inventory = load(paths)
    if _refuse(inventory):
        return EXIT_INPUT_ERROR
    connectivity = _analyse(inventory, cni=cni)
    if connectivity is None:
        return EXIT_INPUT_ERROR
    from socklock.policy.admin import AdminConnectivity
    from socklock.policy.admin_explain import explain_admin

    try:
        if isinstance(connectivity, AdminConnectivity):  # tiers: admin, NP, baseline
            explanation = explain_admin(connectivity, source, target, port, protocol)
        else:
            explanation = explain(connectivity, source, target, port, protocol)
    except UsageError as exc:
        click.echo(exc.diagnostics(), err=True)
        return EXIT_INPUT_ERROR
    code = EXIT_OK if explanation.verdict is Verdict.ALLOWED else EXIT_FINDINGS
    if fmt == "json":
        from socklock.report.policy_json import explain_document

        document = explain_document(explanation)
        write_output(document.model_dump_json(by_alias=True, indent=2) + "\n", output)
        return code
    lines = [f"{source} -> {target} {port}/{protocol}: {explanation.verdict}"]
    if explanation.note:
        lines.append(f"  note: {explanation.note}")
    for label, side in (("egress of", explanation.egress), ("ingress of", explanation.ingress)):
        if side is None:
            continue
        mark = "allows" if side.allowed else "DENIES"
        lines.append(f"{label} {side.workload}: {mark}: {side.reason}")
        for ref in side.selecting:
            lines.append(f"  selected by {ref.policy} ({ref.location})")
        for rule in side.admitting:
            lines.append(
                f"  admitted by {rule.policy} {rule.rule} ({rule.location}): "
                f"{rule.peers} on {rule.ports}"
            )
        for miss in side.near_misses:
            lines.append(f"  not this: {miss}")
    write_output("\n".join(lines) + "\n", output)
    return code


def _merged(old: Inventory, new: Inventory, extra: Inventory | None) -> Inventory:
    """One set of workloads for both sides: every workload and namespace of OLD, NEW and
    --cluster, each object once."""
    import dataclasses

    seen: set[str] = set()
    workloads = []
    namespaces = []
    seen_ns: set[str] = set()
    for inventory in (i for i in (extra, old, new) if i is not None):
        for workload in inventory.workloads:
            if workload.obj.ref not in seen:
                seen.add(workload.obj.ref)
                workloads.append(workload)
        for namespace in inventory.namespaces:
            if namespace.name not in seen_ns:
                seen_ns.add(namespace.name)
                namespaces.append(namespace)
    return dataclasses.replace(
        new, workloads=tuple(workloads), namespaces=tuple(namespaces), objects=()
    )


@policy.command("diff", short_help="Semantic difference of two policy sets.")
@click.argument("old", type=click.Path(exists=False))
@click.argument("new", type=click.Path(exists=False))
@click.option(
    "--cluster",
    "cluster_paths",
    multiple=True,
    type=click.Path(exists=False),
    help="Manifests of the workloads (when OLD and NEW hold policies only). Repeatable.",
)
@cni_option
@format_option
@output_option
def diff_command(
    old: str, new: str, cluster_paths: tuple[str, ...], cni: str, fmt: str, output: str | None
) -> int:
    """Semantic difference of the policies in OLD and NEW.

    Connections opened and closed over the workloads of OLD, NEW and --cluster (every port,
    every address). Exit 0 when the sets are equivalent, 1 when they differ."""
    from socklock.errors import UsageError
    from socklock.policy import Connectivity, PolicyErrors, analyse, diff
    from socklock.policy.api import is_policy_object

    before, after = load([old]), load([new])
    extra = load(list(cluster_paths)) if cluster_paths else None
    if any(_refuse(i) for i in (before, after, extra) if i is not None):
        return EXIT_INPUT_ERROR
    merged = _merged(before, after, extra)
    if not merged.workloads:
        click.echo(
            "error: no workloads in OLD, NEW or --cluster: a semantic diff is over pods; "
            "give the manifests with --cluster",
            err=True,
        )
        return EXIT_INPUT_ERROR
    try:
        old_policies = [o for o in before.objects if is_policy_object(o)]
        new_policies = [o for o in after.objects if is_policy_object(o)]
        old_c = analyse(merged, old_policies, also=new_policies, cni=cni)
        new_c = analyse(merged, new_policies, also=old_policies, cni=cni)
    except (PolicyErrors, UsageError) as refused:
        click.echo(refused.diagnostics(), err=True)
        return EXIT_INPUT_ERROR
    assert isinstance(old_c, Connectivity)
    result = diff(old_c, new_c)
    code = EXIT_OK if result.equivalent else EXIT_FINDINGS
    if fmt == "json":
        from socklock.report.policy_json import diff_document

        document = diff_document(
            result, len(new_c.endpoints), old_c.policy_count(), new_c.policy_count()
        )
        write_output(document.model_dump_json(by_alias=True, indent=2) + "\n", output)
        return code
    if result.equivalent:
        write_output(
            f"equivalent: {old_c.policy_count()} and {new_c.policy_count()} policies allow "
            f"exactly the same connections between {len(new_c.endpoints)} workloads\n",
            output,
        )
        return EXIT_OK
    lines = [f"+ {c}" for c in result.added] + [f"- {c}" for c in result.removed]
    lines.append(f"{len(result.added)} opened, {len(result.removed)} closed")
    write_output("\n".join(lines) + "\n", output)
    return EXIT_FINDINGS
