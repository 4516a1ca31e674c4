"""``socklock demo``: the bundled example shop, end to end."""

from __future__ import annotations

from pathlib import Path

import click

from socklock.errors import UsageError


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
def demo(out_dir: str) -> int:
    """Run socklock scan on examples/sockshop and write the artifacts under out/."""
    from socklock._cli.scan import run_scan

    shop = find_demo_shop()
    try:
        shown = shop.relative_to(Path.cwd())
    except ValueError:
        shown = shop
    click.echo(f"socklock scan {shown} --out-dir {out_dir}\n")
    return run_scan((str(shown),), out_dir)
