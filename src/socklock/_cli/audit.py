"""``socklock audit``: replay observed flows against candidate policies and the map.

Exit codes: 0 nothing at or above ``--fail-on``; 1 an observed flow the policies would drop
(``--fail-on missing``: or an observed call missing from the map); 2 input or usage error
(an unreadable flow file or policy; bad lines are warnings).
"""

from __future__ import annotations

from pathlib import Path

import click

from socklock._cli.common import (
    EXIT_FINDINGS,
    EXIT_INPUT_ERROR,
    EXIT_OK,
    load,
    output_option,
    write_output,
)
from socklock._cli.flows import addresses_option, flow_format_option, observe
from socklock._cli.policy import _analyse_with, _refuse, format_option


def _under(file: str, roots: list[Path]) -> bool:
    path = Path(file).resolve()
    return any(path == root or root in path.parents for root in roots)


@click.command("audit")
@click.argument("flows", nargs=-1, required=True, type=click.Path(exists=False))
@click.option(
    "--policy",
    "policy_paths",
    multiple=True,
    required=True,
    type=click.Path(exists=False),
    help="The candidate policies (files or directories). Repeatable.",
)
@click.option(
    "--cluster",
    "cluster_paths",
    multiple=True,
    type=click.Path(exists=False),
    help="Manifests of the workloads and Services (dumped Pods give pod IPs); policies "
    "in them are not the candidate set. Repeatable.",
)
@addresses_option
@flow_format_option
@click.option(
    "--graph",
    type=click.Path(dir_okay=False),
    default=None,
    help="A socklock/graph/v1 file to compare with (default: discover it from the inputs).",
)
@click.option("--no-graph", is_flag=True, help="Do not look for calls missing from the map.")
@click.option(
    "--code/--no-code",
    default=True,
    show_default=True,
    help="When discovering the map, analyse source code too.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["dropped", "missing", "never"]),
    default="dropped",
    show_default=True,
    help="Exit 1 on flows the policies would drop; 'missing': on calls missing from the map too.",
)
@format_option
@output_option
def audit(
    flows: tuple[str, ...],
    policy_paths: tuple[str, ...],
    cluster_paths: tuple[str, ...],
    addresses: str | None,
    flow_format: str | None,
    graph: str | None,
    no_graph: bool,
    code: bool,
    fail_on: str,
    fmt: str,
    output: str | None,
) -> int:
    """Replay observed FLOWS (files, '-' for stdin) against the candidate policies.

    Reports the observed flows the policies in --policy would drop, each with the side and
    the policies that refuse it (file:line), and the observed calls missing from the map.
    Formats: Cilium Hubble JSON, Calico flow logs (file JSON, Goldmane/Whisker), kernel LOG
    lines, AWS VPC flow logs, the socklock lab's log; detected per file."""
    from socklock.errors import InputError
    from socklock.flows.audit import drops, missing
    from socklock.flows.report import Audit, document, text
    from socklock.policy.api import is_policy_object

    inventory = load(list(dict.fromkeys([*cluster_paths, *policy_paths])))
    if _refuse(inventory):
        return EXIT_INPUT_ERROR
    roots = [Path(p).resolve() for p in policy_paths]
    candidate = [
        o for o in inventory.objects if is_policy_object(o) and _under(o.location.file, roots)
    ]
    if not candidate:
        click.echo(
            "warning: no policy in the --policy paths: every flow is allowed (no pod is isolated)",
            err=True,
        )
    connectivity = _analyse_with(inventory, candidate)
    if connectivity is None:
        return EXIT_INPUT_ERROR
    read, replayed, warnings, ok = observe(inventory, connectivity, flows, flow_format, addresses)
    found = drops(connectivity, replayed.tuples)
    gaps = None
    if not no_graph:
        if graph is not None:
            from socklock.errors import InputErrors
            from socklock.intent import read_intent

            try:
                intent = read_intent(graph, inventory)
            except (InputError, InputErrors) as exc:
                click.echo(exc.diagnostics(), err=True)
                return EXIT_INPUT_ERROR
        else:
            from socklock.discover import discover

            intent = discover(inventory, code=code)
        gaps = missing(intent, replayed.tuples)
    result = Audit(read, replayed, found, gaps, warnings)
    if fmt == "json":
        rendered = document(result).model_dump_json(by_alias=True, indent=2) + "\n"
    else:
        rendered = text(result)
    write_output(rendered, output)
    if not ok:
        return EXIT_INPUT_ERROR
    if fail_on == "never":
        return EXIT_OK
    if found or (fail_on == "missing" and gaps):
        return EXIT_FINDINGS
    return EXIT_OK
