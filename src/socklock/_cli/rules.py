"""``socklock rules``: the hardening rules, from the registry."""

from __future__ import annotations

import json

import click

from socklock._cli.common import color_wanted, output_option, write_output


@click.command("rules")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option(
    "--explain",
    "explain",
    default=None,
    metavar="RULE",
    help="Print the documentation of one rule (id or name).",
)
@output_option
def rules(fmt: str, explain: str | None, output: str | None) -> int:
    """List the hardening rules: id, name, severity, status, what they look at, fix."""
    from socklock.errors import UsageError
    from socklock.harden import RULES, resolve

    if explain is not None:
        rule = resolve(explain)
        if rule is None:
            raise UsageError(f"unknown rule {explain!r}")
        write_output(f"{rule.id} {rule.name}\n\n{rule.doc().strip()}\n", output)
        return 0
    if fmt == "json":
        rows = [
            {
                "id": r.id,
                "name": r.name,
                "title": r.title,
                "severity": r.severity.value,
                "status": r.status.value,
                "target": r.target.value,
                "kinds": list(r.kinds),
                "pss": {
                    "check": r.pss.check_id,
                    "level": r.pss.level.value,
                    "since": f"v1.{r.pss.versions[0]}",
                }
                if r.pss
                else None,
                "fix": r.fix_applicability.value if r.fix_applicability else None,
                "references": [str(ref) for ref in r.references],
            }
            for r in RULES
        ]
        write_output(
            json.dumps({"schema": "socklock/rules/v1", "rules": rows}, indent=2) + "\n", output
        )
        return 0
    from rich.table import Table

    from socklock.report.terminal import render

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("id", "name", "severity", "status", "applies to", "PSS", "fix"):
        table.add_column(column, no_wrap=column != "applies to")
    for r in RULES:
        table.add_row(
            r.id,
            r.name,
            r.severity.value,
            r.status.value,
            r.target.value,
            f"{r.pss.level.value} ({r.pss.check_id})" if r.pss else "",
            r.fix_applicability.value if r.fix_applicability else "",
        )
    write_output(render(table, width=140, color=color_wanted()), output)
    return 0
