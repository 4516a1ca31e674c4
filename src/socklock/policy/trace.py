"""Which rules decided: what a decider reports about one direction of one pod class.

``explain`` asks the verdict of the table (:func:`socklock.policy.table.verdict_of`) and, for
the words, each decider's :meth:`Tracer.trace`: the policies that select the pod class, the
rules that admitted or denied the peer, and the near misses. Each decider traces with the
same rule lists and matching functions it decides with (union of rules for Kubernetes,
first match in order for Calico).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol as TypingProtocol

from socklock.model import Location, Protocol
from socklock.policy.addresses import AddressSet
from socklock.policy.api import Direction
from socklock.policy.classset import ClassSet
from socklock.policy.pods import PodClass
from socklock.policy.table import Decider


@dataclass(frozen=True, slots=True, order=True)
class PolicyRef:
    policy: str  # namespace/name
    location: Location


@dataclass(frozen=True, slots=True, order=True)
class RuleRef:
    policy: str
    rule: str  # spec.ingress[0]
    location: Location
    peers: str  # what the rule admits, in words
    ports: str


@dataclass(frozen=True, slots=True)
class ClassTrace:
    """One direction of one pod class, towards some peers on one port."""

    isolated: bool  # some policy selects the class for the direction
    allowed: bool  # every peer is admitted (over every address family, for partial matches)
    selecting: tuple[PolicyRef, ...] = ()
    admitting: tuple[RuleRef, ...] = ()  # rules that admitted (some of) the peers
    denying: tuple[RuleRef, ...] = ()  # rules that decided a denial (Calico Deny, Log as Deny)
    near_misses: tuple[str, ...] = ()  # rules that match the peer but not the port, or reverse
    partly: tuple[str, ...] = ()  # addresses through which ipBlocks match pods only in part


OPEN = ClassTrace(isolated=False, allowed=True)
"""A class no policy selects for the direction: everything is admitted."""


class Tracer(Decider, TypingProtocol):
    """A decider that can say which of its rules decided."""

    def outside(self, endpoint: str) -> AddressSet:
        """The addresses an ``external:...`` endpoint stands for, in this decider's terms."""
        ...

    def trace(
        self,
        direction: Direction,
        own: PodClass,
        peers: ClassSet | AddressSet,
        destinations: Sequence[PodClass] | None,
        port: int,
        protocol: Protocol,
    ) -> ClassTrace:
        """``direction`` of the pods of ``own`` (the target's for ingress, the source's for
        egress) towards ``peers`` (the source's classes for ingress, the destination's for
        egress, or addresses); ``destinations``: the destination's classes for egress to
        pods (named ports resolve there), else None."""
        ...


def near_miss(ref: RuleRef, peer_ok: bool) -> str:
    """A rule that admits the peer on other ports (``peer_ok``) or the port to other peers."""
    if peer_ok:
        return f"{ref.policy} {ref.rule} ({ref.location}) admits the peer, but on {ref.ports} only"
    return f"{ref.policy} {ref.rule} ({ref.location}) covers the port, but admits {ref.peers} only"
