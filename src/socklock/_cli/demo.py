"""``socklock demo``: the bundled example shop, end to end.

``--lab`` (root): then the shop's own programs run in the lab, a shopper and an attacker
before and after the generated policies are enforced, and the rollout loop in log mode with
one edge left out of the map (:mod:`socklock.rollout`).
"""

from __future__ import annotations

from pathlib import Path

import click

from socklock._cli.common import EXIT_FINDINGS, EXIT_INPUT_ERROR
from socklock.errors import UsageError

# The edge the bundled shop's rollout step leaves out: one the shopper needs (checkout).
LEFT_OUT = "sock-shop/orders:sock-shop/payment"


def find_demo_shop() -> Path:
    """examples/sockshop of a source checkout (where ``make demo`` runs), else of the cwd."""
    candidates = [
        Path(__file__).resolve().parents[3] / "examples" / "sockshop",
        Path.cwd() / "examples" / "sockshop",
    ]
    for candidate in candidates:
        if (candidate / "kubernetes").is_dir():
            return candidate
    raise UsageError(
        "the demo shop (examples/sockshop) is not here: run it from a socklock source checkout"
    )


@click.command("demo")
@click.option("--out-dir", type=click.Path(file_okay=False), default="out", show_default=True)
@click.option(
    "--lab",
    is_flag=True,
    help="Also run the shop for real in the lab (root): attacked, defended, rolled out.",
)
@click.option(
    "--leave-out",
    default=LEFT_OUT,
    show_default=True,
    metavar="FROM:TO",
    help="The edge the log-mode step leaves out of the map (--lab).",
)
def demo(out_dir: str, lab: bool, leave_out: str) -> int:
    """Run socklock scan on examples/sockshop and write the artifacts under out/."""
    from socklock._cli.scan import run_scan

    shop = find_demo_shop()
    try:
        shown = shop.relative_to(Path.cwd())
    except ValueError:
        shown = shop
    click.echo(f"socklock scan {shown} --out-dir {out_dir}\n")
    code = run_scan((str(shown),), out_dir)
    if not lab:
        return code
    return run_lab(shown, Path(out_dir) / "lab", leave_out) or code


def run_lab(shop: Path, out_dir: Path, leave_out: str) -> int:
    """The story in the lab; 0 when it went as it should."""
    from socklock.lab import unavailable

    reason = unavailable()
    if reason is not None:
        click.echo(f"error: {reason}", err=True)
        return EXIT_INPUT_ERROR
    from socklock.discover import discover
    from socklock.load import load_paths
    from socklock.rollout import find_edge, run
    from socklock.rollout.report import text

    source, _, target = leave_out.partition(":")
    inventory = load_paths([str(shop)])
    graph = discover(inventory)
    try:
        edge = find_edge(graph, source, target)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    click.echo(f"socklock demo --lab: the shop's programs in the lab ({out_dir})")
    story = run(inventory, graph, shop / "shopper.py", edge, out_dir, inputs=(str(shop),))
    click.echo(text(story), nl=False)
    return 0 if story.ok else EXIT_FINDINGS
