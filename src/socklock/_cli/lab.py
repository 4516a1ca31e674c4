"""``socklock lab up|probe|down PATH``: the policies enforced by nftables in network
namespaces, and real packets compared with the engine's answers.

``up`` builds the lab for the workloads and policies in PATH (a namespace per pod on a bridge
with no uplink, nftables rules per pod, a listener per pod) and leaves it running, its state
in ``/run/socklock-lab/<id>.json``; with ``--mode log --log FILE`` the policies only log what
they would deny, into FILE (the ``lab`` flow format, for ``socklock audit``); ``probe``
connects from every pod (and from outside addresses) to every pod on its ports, and compares
each row with the engine; ``down`` stops the listeners (by pid) and deletes the lab's
namespaces (by the ``socklock-`` prefix).
``rules`` prints the nftables scripts without creating anything (no root needed).

Exit codes: 0 the kernel agrees with the engine on every row; 1 some row differs (probe);
2 usage or input error, or the machine cannot run the lab (root, ``ip`` and ``nft``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from socklock._cli.common import (
    EXIT_FINDINGS,
    EXIT_INPUT_ERROR,
    EXIT_OK,
    load,
    output_option,
    paths_argument,
    write_output,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from socklock.lab.compare import Comparison
    from socklock.model import Inventory

run_dir_option = click.option(
    "--run-dir",
    type=click.Path(file_okay=False, readable=False, path_type=Path),
    default=Path("/run/socklock-lab"),
    show_default=True,
    help="Where `up` keeps the state of a lab for `probe` and `down`.",
)
timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(0.05, 10.0),
    default=0.4,
    show_default=True,
    help="Seconds a probe waits before calling a connection denied.",
)


@click.group("lab")
def lab() -> None:
    """Enforce policies in network namespaces and probe them for real (root).

    Nothing leaves the machine: the pods' bridge has no uplink and lives in a namespace of
    its own; everything created is named socklock-*.
    """


def _unavailable() -> bool:
    from socklock.lab.system import unavailable

    reason = unavailable()
    if reason is not None:
        click.echo(f"error: {reason}", err=True)
        return True
    return False


def _run_id(paths: Sequence[str], run_dir: Path) -> str:
    from socklock.lab.topology import new_run_id

    seed = "\0".join([str(run_dir.resolve()), *sorted(str(Path(p).resolve()) for p in paths)])
    return new_run_id(seed)


def _inventory(paths: Sequence[str]) -> Inventory | None:
    inventory = load(paths)
    if inventory.errors:
        click.echo(
            f"error: {len(inventory.errors)} input error(s) above; the lab enforces exactly "
            "the input's policies and will not guess at an unreadable file",
            err=True,
        )
        return None
    return inventory


@lab.command("up")
@paths_argument
@run_dir_option
@click.option(
    "--external",
    "externals",
    multiple=True,
    metavar="RANGE",
    help="Also probe this outside range (e.g. 203.0.113.0/24); the policies' ipBlocks are "
    "always probed.",
)
@click.option(
    "--mode",
    type=click.Choice(["enforce", "log"]),
    default="enforce",
    show_default=True,
    help="log: the policies refuse nothing; each connection they would refuse is logged to "
    "--log FILE (the rollout loop: see what enforcement would break first).",
)
@click.option(
    "--log",
    "log_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="With --mode log: append the lab's log here (and its address table to "
    "FILE.addresses) until `socklock lab down`.",
)
def up_command(
    paths: tuple[str, ...],
    run_dir: Path,
    externals: tuple[str, ...],
    mode: str,
    log_file: Path | None,
) -> int:
    """Build the lab for the workloads and policies in PATH and start the listeners."""
    if (mode == "log") != (log_file is not None):
        click.echo("error: --mode log and --log FILE go together", err=True)
        return EXIT_INPUT_ERROR
    if _unavailable():
        return EXIT_INPUT_ERROR
    from socklock.lab import log, session, state, system

    inventory = _inventory(paths)
    if inventory is None:
        return EXIT_INPUT_ERROR
    names = tuple(n if n.startswith("external:") else f"external:{n}" for n in externals)
    run_id = _run_id(paths, run_dir)
    _down(run_id, run_dir)  # up again replaces the previous lab of the same PATH
    started = session.up(inventory, run_id=run_id, externals=names, mode=mode)
    listeners = dict(started.listeners)
    try:
        if log_file is not None:
            log_file = log_file.resolve()
            table = log_file.with_name(log_file.name + ".addresses")
            table.write_text(log.address_table(started.topology))
            listeners["log"] = log.start(started.topology, log_file, detached=True).pid
        where = state.save(
            state.RunState(
                started.topology,
                started.digest,
                listeners,
                tuple(str(Path(p).resolve()) for p in paths),
                names,
                mode,
                str(log_file) if log_file is not None else None,
            ),
            run_dir,
        )
    except OSError as exc:
        system.stop(list(listeners.values()))
        session.down(started)
        raise system.LabError(f"cannot write the lab's state or log: {exc}") from exc
    except BaseException:
        system.stop(list(listeners.values()))
        session.down(started)
        raise
    topology = started.topology
    click.echo(
        f"lab {run_id} up: {len(topology.pods)} pods of {len(topology.endpoints)} workloads "
        f"in namespaces {topology.prefix}*, {len(started.policies)} policies enforced, "
        f"{len(started.listeners)} listeners (state: {where})"
    )
    if log_file is not None:
        click.echo(
            f"log mode: connections the policies would refuse are logged to {log_file}; "
            f"after `socklock lab down`: socklock audit {log_file} --policy POLICIES "
            f"--cluster {' '.join(paths)} --addresses {log_file}.addresses"
        )
        return EXIT_OK
    click.echo(f"next: socklock lab probe {' '.join(paths)}")
    return EXIT_OK


@lab.command("probe")
@paths_argument
@run_dir_option
@timeout_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--all", "show_all", is_flag=True, help="List every row, not only differences.")
@output_option
def probe_command(
    paths: tuple[str, ...],
    run_dir: Path,
    timeout: float,
    fmt: str,
    show_all: bool,
    output: str | None,
) -> int:
    """Probe every pod from every pod (and outside address); compare with the engine."""
    if _unavailable():
        return EXIT_INPUT_ERROR
    from socklock.lab import session, state, system

    inventory = _inventory(paths)
    if inventory is None:
        return EXIT_INPUT_ERROR
    run_id = _run_id(paths, run_dir)
    saved = state.load(run_id, run_dir)
    if saved is None:
        click.echo(f"error: no lab is up for {' '.join(paths)}: run socklock lab up", err=True)
        return EXIT_INPUT_ERROR
    if saved.mode != "enforce":
        click.echo(
            f"error: the lab of {' '.join(paths)} is in {saved.mode} mode: its policies refuse "
            f"nothing to probe; read what they would refuse with socklock audit {saved.log}",
            err=True,
        )
        return EXIT_INPUT_ERROR
    policies = session.parse(inventory)
    laid_out, rulesets = session.plan(inventory, policies, run_id, externals=saved.externals)
    if session.fingerprint(laid_out, rulesets) != saved.digest:
        click.echo(
            "error: the workloads or policies changed since `socklock lab up`: run it again",
            err=True,
        )
        return EXIT_INPUT_ERROR
    gone = [netns for netns, pid in saved.listeners.items() if not system.is_agent(pid)]
    if gone:
        click.echo(
            f"error: {len(gone)} listener(s) of the lab are gone (e.g. in {gone[0]}): "
            "run socklock lab up again",
            err=True,
        )
        return EXIT_INPUT_ERROR
    # the inventory's own policy objects (session.parse read the same): ANP/BANP included,
    # Calico's by the Calico decider
    connectivity = session.decider(inventory, externals=saved.topology.outside.samples)
    with state.locked(run_id, run_dir, exclusive=False):  # `lab down` waits for us
        comparison = session.check(saved.topology, connectivity, timeout)
    if fmt == "json":
        from socklock.schemas.lab import LabDocument

        document = LabDocument.model_validate(_json(run_id, comparison, show_all))
        text = document.model_dump_json(by_alias=True, indent=2) + "\n"
    else:
        notes = [f"note: {u.reason}" for u in saved.topology.outside.unsampled if not u.whole]
        text = _table(comparison, show_all, notes)
    write_output(text, output)
    return EXIT_OK if comparison.ok else EXIT_FINDINGS


@lab.command("down")
@click.argument("paths", nargs=-1, type=click.Path())
@run_dir_option
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Also delete every socklock namespace that no saved lab owns (labs of other "
    "processes or other run directories), in use or not.",
)
def down_command(paths: tuple[str, ...], run_dir: Path, everything: bool) -> int:
    """Stop the listeners and delete the namespaces of the lab of PATH. Without PATH: of
    every lab saved in the run directory that no process is using."""
    if _unavailable():
        return EXIT_INPUT_ERROR
    from socklock.lab import state, system

    run_ids = [_run_id(paths, run_dir)] if paths else state.saved(run_dir)
    removed: list[str] = []
    busy: list[str] = []
    for run_id in run_ids:
        try:
            removed.extend(_down(run_id, run_dir))
        except state.LabInUse:
            busy.append(run_id)
    if everything:
        removed.extend(system.delete_namespaces(system.PREFIX))
    click.echo(f"removed {len(removed)} namespace(s)")
    for run_id in busy:
        click.echo(f"left lab {run_id} alone: another process is using it", err=True)
    return EXIT_FINDINGS if busy else EXIT_OK


def _down(run_id: str, run_dir: Path) -> list[str]:
    from socklock.lab import state, system

    with state.locked(run_id, run_dir, exclusive=True):
        saved = state.load(run_id, run_dir)
        if saved is not None:
            system.stop(list(saved.listeners.values()))
        removed = system.delete_namespaces(f"{system.PREFIX}{run_id}-")
        state.forget(run_id, run_dir)
    return removed


@lab.command("rules")
@paths_argument
@click.option("--pod", "pods", multiple=True, metavar="NS/NAME", help="Only this workload.")
@click.option(
    "--mode",
    type=click.Choice(["enforce", "log"]),
    default="enforce",
    show_default=True,
    help="log: the rules `lab up --mode log` installs.",
)
def rules_command(paths: tuple[str, ...], pods: tuple[str, ...], mode: str) -> int:
    """Print the nftables script of each pod (nothing is created; no root needed)."""
    from socklock.lab import nft, session

    inventory = _inventory(paths)
    if inventory is None:
        return EXIT_INPUT_ERROR
    policies = session.parse(inventory)
    laid_out, rulesets = session.plan(inventory, policies, "plan")
    if mode == nft.LOG:
        rulesets = nft.compile_all(laid_out, policies, mode)
    chosen = [p for p in laid_out.pods if not pods or p.endpoint in pods]
    write_output("\n".join(rulesets[p.netns] for p in chosen), None)
    return EXIT_OK


def _table(comparison: Comparison, show_all: bool, notes: Sequence[str] = ()) -> str:
    rows = comparison.rows if show_all else comparison.differences
    lines: list[str] = []
    if rows:
        header = ("SOURCE", "TARGET", "PORT", "ENGINE", "KERNEL", "DETAIL")
        cells = [
            (r.source, r.target, f"{r.port}/{r.protocol}", str(r.engine), str(r.kernel), r.detail)
            for r in rows
        ]
        widths = [max(len(c[i]) for c in [header, *cells]) for i in range(5)]
        for cell in [header, *cells]:
            lines.append(
                "  ".join(c.ljust(w) for c, w in zip(cell[:5], widths, strict=True))
                + f"  {cell[5]}"
            )
    reasons: dict[str, int] = {}
    for skipped in comparison.skipped:
        reasons[skipped.reason] = reasons.get(skipped.reason, 0) + 1
    for reason, count in sorted(reasons.items()):
        lines.append(f"skipped {count} row(s): {reason}")
    lines.extend(notes)
    verdict = "the kernel agrees with the engine" if comparison.ok else "DISAGREEMENT"
    lines.append(f"{comparison.summary()}: {verdict}")
    return "\n".join(lines) + "\n"


def _json(run_id: str, comparison: Comparison, show_all: bool) -> dict[str, object]:
    rows = comparison.rows if show_all else comparison.differences
    return {
        "schema": "socklock/lab/v1",
        "run": run_id,
        "ok": comparison.ok,
        "summary": {
            "rows": len(comparison.rows),
            "differences": len(comparison.differences),
            "skipped": len(comparison.skipped),
            "connections": comparison.attempts,
            "seconds": comparison.probe_seconds,
        },
        "rows": [
            {
                "source": r.source,
                "target": r.target,
                "port": r.port,
                "protocol": str(r.protocol),
                "engine": str(r.engine),
                "kernel": str(r.kernel),
                "detail": r.detail,
                "attempts": list(r.denied_attempts),
            }
            for r in rows
        ],
        "skipped": [
            {
                "source": s.source,
                "target": s.target,
                "port": s.port,
                "protocol": str(s.protocol),
                "reason": s.reason,
            }
            for s in comparison.skipped
        ],
    }
