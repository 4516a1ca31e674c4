"""Why a connection is allowed or denied: which policies select each side, which rule admits
it (file:line), or why none does.

Written once over any decider that traces (:class:`socklock.policy.trace.Tracer`): the verdict
is the table's (:func:`socklock.policy.table.verdict_of`, the code the listing decides with),
and each side's policies and rules are the decider's own trace of the rules it decides with.
"""

from __future__ import annotations

from dataclasses import dataclass

from socklock.errors import UsageError
from socklock.model import Protocol
from socklock.policy.addresses import AddressSet, is_external
from socklock.policy.api import Direction
from socklock.policy.classset import ClassSet
from socklock.policy.pods import PodClass
from socklock.policy.result import Verdict
from socklock.policy.table import endpoint_of, verdict_of
from socklock.policy.trace import PolicyRef, RuleRef, Tracer


@dataclass(frozen=True, slots=True)
class Side:
    """One direction: the source's egress or the target's ingress."""

    direction: Direction
    workload: str
    isolated: bool
    allowed: bool
    selecting: tuple[PolicyRef, ...]
    admitting: tuple[RuleRef, ...]
    near_misses: tuple[str, ...]  # rules that match the peer but not the port, or the reverse
    reason: str


@dataclass(frozen=True, slots=True)
class Explanation:
    source: str
    target: str
    port: int
    protocol: Protocol
    verdict: Verdict
    egress: Side | None  # None when the source is outside the cluster
    ingress: Side | None  # None when the target is outside the cluster
    note: str = ""


def _classes(decider: Tracer, members: ClassSet) -> list[PodClass]:
    return [decider.cluster.classes[i] for i in members]


def _side(
    decider: Tracer,
    direction: Direction,
    workload: str,
    own: list[PodClass],
    peers: ClassSet | AddressSet,
    destinations: list[PodClass] | None,
    port: int,
    protocol: Protocol,
) -> Side:
    """The verdict of ``direction`` for the pods ``own`` (the target's pods for ingress, the
    source's for egress), towards ``peers`` (classes or addresses) at ``destinations``: every
    pod class's trace, put together."""
    traces = [decider.trace(direction, c, peers, destinations, port, protocol) for c in own]
    selecting = sorted({p for t in traces for p in t.selecting})
    admitting = sorted({r for t in traces for r in t.admitting})
    denying = sorted({r for t in traces for r in t.denying})
    near = sorted({n for t in traces for n in t.near_misses})
    partly = sorted({a for t in traces for a in t.partly})
    isolated_all = all(t.isolated for t in traces)
    allowed_all = all(t.allowed for t in traces)
    way = "ingress" if direction is Direction.INGRESS else "egress"
    if not selecting:
        reason = f"no policy selects {workload} for {way}: {way} is open"
        allowed_all = True
    elif not isolated_all and allowed_all:
        reason = f"some pods of {workload} are not isolated for {way}; the others admit it"
    elif allowed_all:
        reason = f"admitted by {len(admitting)} rule(s)"
    elif admitting:
        reason = f"admitted for some pods or addresses only, by {len(admitting)} rule(s)"
        if partly:
            reason += f"; partially: only through {', '.join(partly)}"
    else:
        reason = (
            f"isolated for {way} by {len(selecting)} policy(ies), and none of their rules "
            f"admits it on {port}/{protocol}"
        )
    if denying:
        reason += "; denied by " + ", ".join(f"{r.policy} {r.rule} ({r.location})" for r in denying)
    return Side(
        direction,
        workload,
        isolated_all,
        allowed_all,
        tuple(selecting),
        tuple(admitting),
        tuple(near),
        reason,
    )


def explain(
    decider: Tracer,
    source: str,
    target: str,
    port: int,
    protocol: Protocol | str = Protocol.TCP,
) -> Explanation:
    """Explain the verdict of ``source -> target`` on ``port``/``protocol``."""
    protocol = Protocol(protocol)
    verdict = verdict_of(decider, source, target, port, protocol)
    if is_external(source) and is_external(target):
        raise UsageError("one side must be a workload")
    egress: Side | None = None
    ingress: Side | None = None
    note = ""
    if is_external(source):
        dst = endpoint_of(decider, target)
        ingress = _side(
            decider,
            Direction.INGRESS,
            target,
            _classes(decider, dst.classes),
            decider.outside(source),
            None,
            port,
            protocol,
        )
        note = "traffic from outside the cluster is decided by the target's ingress alone"
    elif is_external(target):
        src = endpoint_of(decider, source)
        egress = _side(
            decider,
            Direction.EGRESS,
            source,
            _classes(decider, src.classes),
            decider.outside(target),
            None,
            port,
            protocol,
        )
        note = "traffic to outside the cluster is decided by the source's egress alone"
    else:
        src, dst = endpoint_of(decider, source), endpoint_of(decider, target)
        dst_classes = _classes(decider, dst.classes)
        egress = _side(
            decider,
            Direction.EGRESS,
            source,
            _classes(decider, src.classes),
            dst.classes,
            dst_classes,
            port,
            protocol,
        )
        ingress = _side(
            decider,
            Direction.INGRESS,
            target,
            dst_classes,
            src.classes,
            None,
            port,
            protocol,
        )
        if src.id == dst.id:
            note = (
                "a pod always reaches itself"
                if src.single_pod
                else f"between two distinct pods of {src.id}: subject to policy (a pod always "
                "reaches itself)"
            )
    return Explanation(source, target, port, protocol, verdict, egress, ingress, note)


__all__ = ["Explanation", "PolicyRef", "RuleRef", "Side", "explain"]
