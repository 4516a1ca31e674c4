"""``socklock harden``: audit container security settings; show or apply the fixes."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from socklock._cli.common import (
    EXIT_INPUT_ERROR,
    color_wanted,
    exit_code,
    fail_on_option,
    output_option,
    paths_argument,
    write_output,
)
from socklock.files import write_atomic

if TYPE_CHECKING:
    from socklock.harden import AuditResult, Baseline, HardenOptions
    from socklock.harden.config import HardenConfig
    from socklock.harden.fixer import FileChange, Skipped


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@click.command("harden")
@paths_argument
@click.option("--fix", is_flag=True, help="Apply the safe fixes to the files.")
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="With --fix, also apply fixes that can change behaviour; without it, show them.",
)
@click.option(
    "--diff/--no-diff",
    "show_diff",
    default=None,
    help="Show the fixes as a unified diff (default with the table format, without --fix).",
)
@click.option(
    "--level",
    type=click.Choice(["baseline", "restricted"]),
    default=None,
    help="Pod Security Standards profile (default: restricted).",
)
@click.option(
    "--pss-version",
    default=None,
    metavar="VERSION",
    help='Pod Security Standards version: "latest" (v1.36) or "v1.x".',
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "sarif"]),
    default="table",
    show_default=True,
)
@output_option
@fail_on_option(default="low")
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Do not report findings recorded in FILE.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False),
    default=None,
    help="Record the current findings in FILE (for --baseline).",
)
@click.option("--select", multiple=True, help="Run only these rules (ids, names, prefixes).")
@click.option("--ignore", multiple=True, help="Do not run these rules.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="socklock.toml to read (default: the nearest one above the first PATH).",
)
@click.option("--show-suppressed", is_flag=True, help="List suppressed findings too.")
def harden(
    paths: tuple[str, ...],
    fix: bool,
    unsafe_fixes: bool,
    show_diff: bool | None,
    level: str | None,
    pss_version: str | None,
    fmt: str,
    output: str | None,
    fail_on: str,
    baseline_file: str | None,
    write_baseline: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_file: str | None,
    show_suppressed: bool,
) -> int:
    """Audit PATHS (Kubernetes manifests, compose files, Dockerfiles) against the hardening
    rules; show the fixes as a diff, or apply them with --fix.

    Suppress a finding with the annotation (compose: label) `socklock.io/ignore: SLK101
    reason`, or a comment `# socklock: ignore SLK301 reason` on or above its line.
    """
    from socklock import __version__
    from socklock._cli.common import load
    from socklock.errors import UsageError
    from socklock.harden import audit, fix_paths, plan_fixes
    from socklock.harden.run import broken_files

    options = harden_options(config_file, paths, level, pss_version, select, ignore)
    baseline = _baseline(baseline_file)
    inventory = load(paths, render_kustomize=not fix)  # --fix writes the files as written
    diff_wanted = show_diff if show_diff is not None else (fmt == "table" and not fix)
    changes: tuple[FileChange, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    if fix and inventory.streams:
        raise UsageError("--fix cannot write to standard input: drop --fix to see the diff")
    inventory_errors = inventory.errors
    if fix:
        loaded = [inventory]
        del inventory  # fix_paths re-loads after writing: one inventory in memory at a time
        run = fix_paths(
            paths, options, unsafe=unsafe_fixes, baseline=baseline, inventory=loaded.pop()
        )
        result, changes, skipped = run.after, run.changes, run.skipped
        fixed_files = sorted({c.file for c in changes})
        fixed = run.found - len(run.after.findings)
        click.echo(
            f"fixed {fixed} finding{'s' if fixed != 1 else ''} in {len(fixed_files)} "
            f"file{'s' if len(fixed_files) != 1 else ''}"
            + (f" ({run.passes} passes)" if run.passes > 1 else ""),
            err=True,
        )
        inventory_errors = inventory_errors or run.inventory.errors
        del run  # its inventory
    else:
        result = audit(inventory, options, baseline=baseline)
        if diff_wanted:  # planning fixes is most of an audit's time: only when shown
            plan = plan_fixes(
                result.findings,
                unsafe=unsafe_fixes,
                broken_files=broken_files(inventory),
                read=inventory.source_text,
            )
            changes, skipped = plan.changes, plan.skipped
            del plan
        del inventory  # the report needs the findings only
    for skip in skipped:
        click.echo(f"{skip.file}: warning: fixes not applied: {skip.reason}", err=True)
    if write_baseline is not None:
        _write_baseline(write_baseline, result)
    pieces = iter_audit(result, fmt, show_suppressed, __version__, paths)
    if diff_wanted and changes and not fix:
        diff = (piece for change in changes for piece in change.diff_pieces())
        if fmt == "table":
            notes = [_unsafe_notes(result)] if unsafe_fixes else []
            pieces = itertools.chain(diff, ["\n"], pieces, notes)
        else:  # keep stdout a valid JSON/SARIF document
            for piece in diff:
                click.echo(piece, err=True, nl=False)
    write_output(pieces, output)  # in pieces: never the whole report in memory
    if inventory_errors:
        return EXIT_INPUT_ERROR
    return _exit_code(result, fail_on)


def render_audit(
    result: AuditResult, fmt: str, show_suppressed: bool, version: str, fmt_version: object
) -> str:
    return "".join(iter_audit(result, fmt, show_suppressed, version))


def iter_audit(
    result: AuditResult,
    fmt: str,
    show_suppressed: bool,
    version: str,
    paths: Sequence[str] = (),
) -> Iterator[str]:
    """The report in pieces (JSON: one finding each), so stdout gets it without the whole
    text in memory. SARIF locations are relative to the git work tree holding ``paths``,
    else to their common directory."""
    from socklock.harden import format_pss_version

    suppressed = ((s.finding, s.kind, s.reason) for s in result.suppressed)
    if fmt == "json":
        from socklock.schemas.findings import iter_json

        yield from iter_json(
            result.findings,
            suppressed,
            level=result.options.level.value,
            pss_version=format_pss_version(result.options.pss_version),
            rules=[r.id for r in result.rules],
        )
        return
    if fmt == "sarif":
        from socklock.report.sarif import iter_sarif
        from socklock.report.source_root import source_root

        yield from iter_sarif(
            result.findings, suppressed, result.rules, version=version, root=source_root(paths)
        )
        return
    from socklock.report.findings_table import iter_findings_table

    yield from iter_findings_table(result.findings, len(result.suppressed), color=color_wanted())
    if show_suppressed and result.suppressed:
        yield "".join(
            f"{f.location}: {f.rule_id} suppressed by {kind}: {reason or '(no reason)'}\n"
            for f, kind, reason in suppressed
        )


def _unsafe_notes(result: AuditResult) -> str:
    """Why each unsafe fix in the diff may break something."""
    from socklock.model import Applicability

    lines = [
        f"{f.location}: {f.rule_id} unsafe fix: {f.fix.description}: {f.fix.why_unsafe}"
        for f in result.findings
        if f.fix is not None and f.fix.applicability is Applicability.UNSAFE and f.fix.why_unsafe
    ]
    return "".join(line + "\n" for line in lines)


def _exit_code(result: AuditResult, fail_on: str) -> int:
    return exit_code(result.findings, fail_on)


def harden_options(
    config_file: str | None,
    paths: tuple[str, ...],
    level: str | None = None,
    pss_version: str | None = None,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
) -> HardenOptions:
    """The options of socklock.toml (``--config``, else the nearest one above the first
    PATH) under the command line's: harden and scan audit alike."""
    return _options(_config(config_file, paths), level, pss_version, select, ignore)


def _config(config_file: str | None, paths: tuple[str, ...]) -> HardenConfig:
    from socklock.harden.config import HardenConfig, find_config, load_config

    if config_file is not None:
        return load_config(Path(config_file))
    start = Path(paths[0]) if paths else Path.cwd()
    found = find_config(start if start.exists() else Path.cwd())
    return load_config(found) if found is not None else HardenConfig()


def _options(
    config: HardenConfig,
    level: str | None,
    pss_version: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> HardenOptions:
    from socklock.errors import UsageError
    from socklock.harden import HardenOptions, Level, parse_pss_version
    from socklock.harden.context import DEFAULT_UID
    from socklock.harden.engine import active_rules

    chosen_level = level or config.level or "restricted"
    if chosen_level not in ("baseline", "restricted"):
        raise UsageError(f'level must be "baseline" or "restricted", not {chosen_level!r}')
    selected = _split(select) or (list(config.select) if config.select is not None else None)
    options = HardenOptions(
        level=Level(chosen_level),
        pss_version=parse_pss_version(pss_version or config.pss_version or "latest"),
        allowed_registries=config.allowed_registries,
        default_uid=config.default_uid or DEFAULT_UID,
        select=frozenset(selected) if selected is not None else None,
        ignore=frozenset(_split(ignore)) | frozenset(config.ignore),
    )
    active_rules(options)  # unknown rule names fail here, before anything is read
    return options


def _baseline(path: str | None) -> Baseline | None:
    from socklock.errors import InputError
    from socklock.harden import Baseline
    from socklock.model import Location

    if path is None:
        return None
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read baseline: {exc.strerror or exc}", Location(path)) from exc
    except ValueError as exc:
        raise InputError(f"baseline is not JSON: {exc}", Location(path)) from exc
    return Baseline.from_json(data, file.resolve().parent)


def _write_baseline(path: str, result: AuditResult) -> None:
    from socklock.harden import Baseline

    target = Path(path)
    baseline = Baseline(target.resolve().parent)
    everything = [*result.findings, *(s.finding for s in result.suppressed if s.kind == "baseline")]
    text = json.dumps(baseline.to_json(everything), indent=2) + "\n"
    write_atomic(target, text)
    click.echo(f"wrote {len(everything)} findings to {path}", err=True)
