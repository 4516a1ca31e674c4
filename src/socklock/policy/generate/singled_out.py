"""Namespaces left unlocked because a workload there cannot be singled out by labels.

A policy names pods by labels. When a workload's pods carry no label set that selects them
and nothing else of their namespace (two Jobs with the same labels, copies of one
Deployment with different templates), no exact rule can admit or confine it, and a default
deny around it would cut its calls. Refusing the whole set for that would leave every
other namespace open too, so the set is generated without the namespaces such a workload
touches: its own, and the namespace of every workload it calls or is called by (their
rules would have to name it). Each one left out is an error note naming the workloads and
why; a namespace left out gets no policy at all, so nothing in it changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from socklock.model import Inventory, Location
from socklock.policy.generate.intent import Intent, Note, NoteLevel
from socklock.policy.generate.selectors import Selectors


def unlockable(intent: Intent, selectors: Selectors) -> dict[str, list[tuple[str, str]]]:
    """The namespaces of the intent's scope that cannot be locked, each with why: (workload,
    line) per workload that cannot be singled out, or per call that names one."""
    needed = set(intent.scope)
    for call in intent.calls:
        needed.update((call.source, call.target))
    lost = {w for w in needed if not selectors.select(w).ok}
    if not lost:
        return {}
    namespace_of = selectors.namespace_of
    why: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for workload in sorted(lost):
        source = selectors.select(workload).source
        line = f"{workload} cannot be singled out: {source}"
        why[namespace_of[workload]].append((workload, line))
    for call in intent.calls:
        for end, other in ((call.source, call.target), (call.target, call.source)):
            if other in lost and end not in lost:
                reason = (end, f"{end} talks to {other}, which cannot be singled out")
                if reason not in why[namespace_of[end]]:
                    why[namespace_of[end]].append(reason)
    in_scope = set(intent.namespaces)
    return {ns: lines for ns, lines in sorted(why.items()) if ns in in_scope}


def unlocked_notes(
    why: Mapping[str, list[tuple[str, str]]], inventory: Inventory
) -> tuple[Note, ...]:
    """One error note per namespace left out, at the manifest of its first workload that
    cannot be singled out (or that talks to one)."""
    where: dict[str, Location] = {}
    for workload in inventory.workloads:
        where.setdefault(workload.id, workload.location)
    return tuple(
        Note(
            NoteLevel.ERROR,
            f"namespace {namespace}",
            "not locked down (no policy generated for it): "
            + "; ".join(line for _, line in reasons)
            + "; give each workload a distinguishing pod template label "
            "(e.g. app.kubernetes.io/name)",
            where.get(reasons[0][0]),
        )
        for namespace, reasons in why.items()
    )
