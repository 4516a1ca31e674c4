"""The story as text: the before/after matrix, the kernel against the engine, and what the
log-mode policies would drop."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from socklock.flows.audit import Drop
from socklock.rollout import Shopping, Story


def _table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  ".join(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)) + "  " + r[-1]
        for r in rows
    ]


def _shopping(shopping: Shopping) -> str:
    if shopping.ok:
        return "ok"
    failed = [s for s in shopping.steps if not s.ok]
    return f"FAILED ({failed[0].name}: {failed[0].detail})" if failed else "FAILED"


def _where(location_file: str, line: int, policies: Path) -> str:
    path = Path(location_file)
    shown = path if path.is_absolute() else policies / path
    return f"{shown}:{line}"


def _drop(drop: Drop, policies: Path) -> list[str]:
    source, target, port, protocol = drop.flow
    seen = drop.seen
    lines = [
        f"  {source} -> {target} {port}/{protocol}: {seen.count} log record(s) "
        f"({', '.join(sorted(seen.verdicts))})"
    ]
    for decider in drop.deciders:
        named = ", ".join(
            f"{name} ({_where(where.file, where.line, policies)})"
            for name, where in decider.policies
        )
        lines.append(f"    {decider.direction} of {decider.workload}: {decider.reason}: {named}")
    return lines


def text(story: Story) -> str:
    lines = ["", "The shop in the lab: its own programs, one network namespace per pod", ""]
    rows: list[tuple[str, ...]] = [
        ("", "", "before (no policy)", "after (socklock policies)", "the engine, after")
    ]
    before = {s.name: s for s in story.shopper_before.steps}
    for step in story.shopper_after.steps:
        was = before.get(step.name)
        rows.append(
            (
                "shopper",
                step.name,
                "ok" if was is not None and was.ok else "FAILED",
                "ok" if step.ok else f"FAILED: {step.detail}",
                "",
            )
        )
    name = story.compromised.partition("/")[2]
    for first, then in zip(story.attacks_before, story.attacks_after, strict=True):
        target = then.target
        rows.append(
            (
                f"attacker in {name}",
                f"{target.label} ({target.host}:{target.port})",
                "reachable" if first.reachable else f"blocked ({first.outcome})",
                "REACHABLE" if then.reachable else f"blocked ({then.outcome})",
                then.engine + ("" if then.agrees and first.agrees else " (DISAGREES)"),
            )
        )
    lines.extend(_table(rows))
    if story.comparison is not None:
        verdict = "the kernel agrees with the engine" if story.comparison.ok else "DISAGREEMENT"
        lines += ["", f"full probe: {story.comparison.summary()}: {verdict}"]
    edge = story.left_out
    files = story.files
    lines += [
        "",
        f"Rollout: the policies generated from the map without {edge.source} -> {edge.target} "
        f"{edge.port}/{edge.protocol}, in log mode",
        f"shopper: {_shopping(story.shopper_log_mode)}",
        f"socklock audit {files['log']} --policy {files['policies']} "
        + "".join(f"--cluster {c} " for c in story.cluster)
        + f"--addresses {files['addresses']}:",
    ]
    if story.would_drop:
        lines.append("would be dropped:")
        for drop in story.would_drop:
            lines.extend(_drop(drop, files["policies"]))
    else:
        lines.append("nothing would be dropped")
    for gap in story.missing:
        lines.append(f"missing from the map: {gap[0]} -> {gap[1]} {gap[2]}/{gap[3]}")
    t = story.timings
    lines += [
        "",
        f"timings: lab up {t.get('lab_up_s')}s, shopper and attacker {t.get('open_s')}s open "
        f"and {t.get('enforced_s')}s enforced, full probe {t.get('probe_s', '-')}s, log mode "
        f"{t.get('log_mode_s')}s, down {t.get('lab_down_s')}s; total {t.get('total_s')}s",
        "the story: " + ("as it should be" if story.ok else "NOT as it should be"),
    ]
    return "\n".join(lines) + "\n"
