"""Least-privilege policy generation from the service graph (issue 4).

``generate(inventory, graph, options) -> GeneratedSet`` builds the set in the chosen flavour
(Kubernetes NetworkPolicy, Calico, a BaselineAdminNetworkPolicy with NetworkPolicies,
Cilium, docker-compose networks) and proves it with its flavour's decider before returning
it; ``verify_generated`` repeats the proof; ``write_set`` writes the files atomically
without ever overwriting a file socklock did not write.
"""

from __future__ import annotations

from socklock.policy.generate.api import (
    GeneratedSet,
    LabelPatch,
    VerificationError,
    generate,
    verify_generated,
)
from socklock.policy.generate.intent import Intent, Note, NoteLevel
from socklock.policy.generate.options import (
    CallerType,
    DnsTarget,
    Flavor,
    GenerateOptions,
    Mode,
    UnknownPorts,
    load_config,
)
from socklock.policy.generate.output import WriteConflict, WriteResult, write_set
from socklock.policy.generate.plan import GenerationError
from socklock.policy.generate.verify import Row, Verification

__all__ = [
    "CallerType",
    "DnsTarget",
    "Flavor",
    "GenerateOptions",
    "GeneratedSet",
    "GenerationError",
    "Intent",
    "LabelPatch",
    "Mode",
    "Note",
    "NoteLevel",
    "Row",
    "UnknownPorts",
    "Verification",
    "VerificationError",
    "WriteConflict",
    "WriteResult",
    "generate",
    "load_config",
    "verify_generated",
    "write_set",
]
