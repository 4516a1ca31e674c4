"""Pieces every command shares: loading with diagnostics, output destinations, exit codes."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from socklock._cli.ending import keep
from socklock.files import check_not_input, resolved_paths, write_atomic

if TYPE_CHECKING:
    from socklock.model import Diagnostic, Finding, Inventory

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT_ERROR = 2
NEVER = "never"  # --fail-on never: findings never fail the run (input errors still do)
SEVERITY_CHOICES = ("info", "low", "medium", "high", "critical", NEVER)
_INPUTS = "socklock.inputs"  # click context meta: resolved paths this run read
_CLUSTER = "socklock.cluster"  # click context meta: --cluster, --context, --cluster-namespace


def load(
    paths: Sequence[str], *, render_kustomize: bool = True, code_next: bool = False
) -> Inventory:
    """Load inputs and print each input problem as ``file:line:col: error: ...`` on stderr,
    then one line for what was skipped (``--verbose``: one line per skipped path).
    ``render_kustomize=False`` reads kustomizations' files as written (``harden --fix``).
    ``code_next``: the command discovers with code next, so the scan of ``paths`` begins
    now and runs beside the loading (:func:`socklock.discover.code.scan.start`)."""
    from socklock.load import STDIN, load_paths
    from socklock.load.summary import skip_lines, skip_summary

    context = click.get_current_context(silent=True)
    roots = [path for path in paths if path != STDIN]  # what the inventory's roots will be
    if code_next and roots:
        from socklock.discover.code.scan import start, stop_started

        start(roots)
        if context is not None:  # a command that stops before its discovery stops it too
            context.call_on_close(stop_started)
    cluster = (context.meta.get(_CLUSTER) if context is not None else None) or {}
    if not paths and not cluster.get("cluster"):
        from socklock.errors import UsageError

        raise UsageError("give PATHS (directories, files, or - for standard input) or --cluster")
    streams: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    if cluster.get("cluster"):
        from socklock.load.cluster import read_cluster

        live = read_cluster(cluster.get("context"), cluster.get("namespace"))
        streams, problems = live.streams, live.diagnostics
    inventory = load_paths(
        list(paths),
        stdin=read_stdin(paths),
        streams=streams,
        problems=problems,
        render_kustomize=render_kustomize,
    )
    keep(inventory)  # dropped with the process, not one object at a time (see .ending)
    for diagnostic in inventory.diagnostics:
        click.echo(str(diagnostic), err=True)
    if context is not None:  # so that ``-o FILE`` never replaces an input of this run
        context.meta[_INPUTS] = resolved_paths([*inventory.files, *inventory.roots])
    verbose = bool(context and (context.find_root().obj or {}).get("verbose"))
    if verbose:
        for line in skip_lines(inventory.skipped):
            click.echo(line, err=True)
    summary = skip_summary(inventory.skipped)
    if summary is not None:
        click.echo(summary, err=True)
    return inventory


def read_stdin(paths: Sequence[str]) -> bytes | None:
    """Standard input when ``-`` is one of the paths (read once, at most the size limit + 1
    byte, so an endless pipe cannot exhaust memory)."""
    from socklock.errors import UsageError
    from socklock.load import STDIN
    from socklock.load.limits import DEFAULT_LIMITS

    count = list(paths).count(STDIN)
    if count == 0:
        return None
    if count > 1:
        raise UsageError("'-' (standard input) can be given once")
    return sys.stdin.buffer.read(DEFAULT_LIMITS.max_file_bytes + 1)


def exit_code(findings: Iterable[Finding], fail_on: str) -> int:
    """1 when a finding is at or above ``fail_on`` (``never``: 0): scan and harden alike."""
    from socklock.model import Severity

    if fail_on == NEVER:
        return EXIT_OK
    threshold = Severity(fail_on)
    return EXIT_FINDINGS if any(f.severity.at_least(threshold) for f in findings) else EXIT_OK


def input_exit_code(inventory: Inventory, code: int) -> int:
    """Input errors win: CI must notice a file socklock could not read."""
    return EXIT_INPUT_ERROR if inventory.errors else code


def write_output(text: str | Iterable[str], output: str | None) -> None:
    """Write to ``-o FILE`` atomically (temporary file, then rename), or to stdout; ``text``
    may come in pieces, written as they come."""
    if output is None or output == "-":
        if isinstance(text, str):
            sys.stdout.write(text)
        else:
            for piece in text:
                sys.stdout.write(piece)
        sys.stdout.flush()
        return
    context = click.get_current_context(silent=True)
    inputs = context.meta.get(_INPUTS, frozenset()) if context is not None else frozenset()
    check_not_input(Path(output), inputs)
    write_atomic(Path(output), text)


def write_output_stream(output: str | None, write: Callable[[IO[bytes]], object]) -> None:
    """:func:`write_output` for a document written piece by piece: ``write`` gets a buffered
    binary file (``-o FILE``: a temporary file renamed over it at the end, 0644)."""
    if output is None or output == "-":
        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    context = click.get_current_context(silent=True)
    inputs = context.meta.get(_INPUTS, frozenset()) if context is not None else frozenset()
    target = Path(output)
    check_not_input(target, inputs)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb", buffering=1 << 20) as out:
            write(out)
        Path(name).chmod(0o644)
        Path(name).replace(target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def color_wanted() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _remember_cluster(context: click.Context, parameter: click.Parameter, value: object) -> None:
    context.meta.setdefault(_CLUSTER, {})[parameter.name] = value


_CLUSTER_OPTIONS = (
    click.option(
        "--cluster",
        is_flag=True,
        expose_value=False,
        callback=_remember_cluster,
        help="Also read the live cluster of the kubeconfig (needs the 'cluster' extra).",
    ),
    click.option(
        "--context",
        default=None,
        expose_value=False,
        callback=_remember_cluster,
        help="With --cluster: the kubeconfig context (default: the current one).",
    ),
    click.option(
        "--cluster-namespace",
        "namespace",
        default=None,
        expose_value=False,
        callback=_remember_cluster,
        help="With --cluster: read this namespace only (default: every namespace).",
    ),
)


def paths_argument(command: Callable[..., Any]) -> Callable[..., Any]:
    """PATHS (``-`` is standard input) and the live-cluster options every reader shares."""
    command = click.argument(
        "paths", nargs=-1, required=False, type=click.Path(exists=False, dir_okay=True)
    )(command)
    for option in reversed(_CLUSTER_OPTIONS):
        command = option(command)
    return command


def fail_on_option(default: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--fail-on SEVERITY|never``, one vocabulary for every command that reports findings."""
    return click.option(
        "--fail-on",
        type=click.Choice(SEVERITY_CHOICES),
        default=default,
        show_default=True,
        help="Exit 1 when a finding at or above this severity remains ('never': exit 0 on "
        "findings; input errors still exit 2).",
    )


output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the report to FILE (atomically) instead of stdout.",
)


@contextlib.contextmanager
def code_progress() -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for long code scans (terminal only; no refresh thread, so
    the scanner may still fork its workers)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        auto_refresh=False,
        transient=True,
    )
    task = bar.add_task("reading source files", total=None)
    state = {"last": 0.0}

    def update(done: int, total: int) -> None:
        now = time.monotonic()
        if total < 200 or (now - state["last"] < 0.1 and done < total):
            return
        state["last"] = now
        bar.update(task, completed=done, total=total)
        bar.refresh()

    with bar:
        yield update
