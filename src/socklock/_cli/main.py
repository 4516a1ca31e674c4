"""Entry point of the ``socklock`` command."""

from __future__ import annotations

import sys

import click

from socklock import __version__
from socklock._cli import ending
from socklock._cli.lazy import LazyGroup
from socklock.errors import SocklockError

COMMANDS = {
    "scan": ("socklock._cli.scan:scan", "Everything: map, harden, generate, verify, report."),
    "map": ("socklock._cli.map:map_command", "The service graph: who calls whom, with evidence."),
    "demo": ("socklock._cli.demo:demo", "Run socklock on the bundled example shop, end to end."),
    "policy": (
        "socklock._cli.policy:policy",
        "Generate, verify, explain and diff NetworkPolicies.",
    ),
    "harden": ("socklock._cli.harden:harden", "Audit and fix container security settings."),
    "rules": ("socklock._cli.rules:rules", "List the hardening rules."),
    "audit": (
        "socklock._cli.audit:audit",
        "Replay observed flows against candidate policies and the map.",
    ),
    "lab": ("socklock._cli.lab:lab", "Enforce policies in network namespaces and probe (root)."),
}


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="socklock")
@click.option("--verbose", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """socklock makes a microservice application zero-trust and proves it.

    Exit codes: 0 nothing at or above the --fail-on threshold; 1 findings (or missing/excess
    connections); 2 usage or input error.
    """
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose


def run() -> None:
    """The console script and ``python -m socklock``: :func:`main`, then the process ends
    as :mod:`.ending` says (output flushed, exit handlers run, no finalizing)."""
    ending.arm()
    try:
        main()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            ending.end(exc.code or 0)
        raise


def main() -> None:
    verbose = "--verbose" in sys.argv[1:]
    try:
        result = cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("aborted", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except SocklockError as exc:
        if verbose:
            raise
        click.echo(exc.diagnostics(), err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:  # a bug of ours: say so in one line, traceback with --verbose
        if verbose:
            raise
        click.echo(
            f"socklock: internal error: {type(exc).__name__}: {exc} "
            "(run again with --verbose for the traceback, and please report it)",
            err=True,
        )
        sys.exit(2)
    else:
        sys.exit(result if isinstance(result, int) else 0)
