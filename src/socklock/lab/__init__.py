"""The lab: real enforcement in Linux network namespaces, so real packets confirm the engine.

One namespace per pod on a bridge with no uplink (:mod:`.topology`); the NetworkPolicies
compiled to nftables in each pod's namespace (:mod:`.nft`), from the policies themselves and
never from the engine's answers; listeners and probes (:mod:`.probe`); the kernel's verdict
next to the engine's, row by row (:mod:`.compare`). Needs root, ``ip`` and ``nft``::

    from socklock.lab import running, check
    from socklock.policy import analyse

    with running(inventory) as lab:
        comparison = check(lab, analyse(inventory))
    comparison.differences          # rows where the kernel and the engine disagree
"""

from __future__ import annotations

from socklock.lab.compare import Comparison, RowResult, compare
from socklock.lab.probe import Observation, Observed, ObservedRow, SkippedRow
from socklock.lab.session import Lab, check, down, observe, parse, plan, running, up
from socklock.lab.system import LabError, LabUnavailable, unavailable
from socklock.lab.topology import LabPod, Outside, Topology

__all__ = [
    "Comparison",
    "Lab",
    "LabError",
    "LabPod",
    "LabUnavailable",
    "Observation",
    "Observed",
    "ObservedRow",
    "Outside",
    "RowResult",
    "SkippedRow",
    "Topology",
    "check",
    "compare",
    "down",
    "observe",
    "parse",
    "plan",
    "running",
    "unavailable",
    "up",
]
