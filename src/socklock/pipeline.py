"""``socklock.scan(paths)``: the whole pipeline as one library call.

The result holds everything ``socklock scan`` prints and writes: the inventory, the chosen
deployment, the service graph, the hardening audit, the verdict on the input's
NetworkPolicies, and the policy sets (generated on demand, one at a time, so that a caller
that writes each and lets it go never holds them all: on a large input each is large).

The module is not named ``scan``: a submodule of that name would replace the function
``socklock.scan`` on the package as soon as it was imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from socklock.model import Finding, Inventory, ServiceGraph

if TYPE_CHECKING:
    from socklock.discover.deployments import Selection
    from socklock.harden import AuditResult, HardenOptions
    from socklock.harden.rule import Rule
    from socklock.policy.generate import GeneratedSet
    from socklock.policy.rules import NetworkRule
    from socklock.report.policy_verdict import ExistingPolicies

# The policy sets a scan writes, in order: (flavour, mode).
FLAVORS: tuple[tuple[str, str], ...] = (
    ("kubernetes", "enforce"),
    ("kubernetes", "caller-labels"),
    ("calico", "log"),
    ("compose", "enforce"),
)


@dataclass(frozen=True, slots=True)
class PolicySet:
    flavor: str
    mode: str
    generated: GeneratedSet

    @property
    def name(self) -> str:
        return f"{self.flavor}-{self.mode}"


@dataclass(frozen=True, slots=True)
class SkippedSet:
    flavor: str
    mode: str
    reason: str

    @property
    def name(self) -> str:
        return f"{self.flavor}-{self.mode}"


@dataclass(frozen=True, slots=True)
class Result:
    inventory: Inventory  # everything read
    graph: ServiceGraph
    deployment: Inventory | None = None  # the input narrowed to the chosen deployment
    selection: Selection | None = None  # which deployment, and the others
    audit: AuditResult | None = None  # hardening findings (None: scan(..., harden=False))
    existing: ExistingPolicies | None = None  # None: not asked for

    def findings(self) -> Iterator[Finding]:
        """Every finding, one at a time (the audit's are stored compressed: a tuple of them
        all would undo that on a big input): hardening (with SLK209 for unprotected
        workloads), then the connections the input's policies would break or leave open."""
        from socklock.report.policy_verdict import PolicyVerdict

        if self.audit is not None:
            yield from self.audit.findings
        if isinstance(self.existing, PolicyVerdict):
            yield from self.existing.findings

    @property
    def rules(self) -> tuple[type[Rule] | NetworkRule, ...]:
        """The rules that ran: the hardening rules, and the network rules when the input's
        policies were judged."""
        from socklock.policy.rules import STILL_OPEN, WOULD_BREAK
        from socklock.report.policy_verdict import PolicyVerdict

        hardening = self.audit.rules if self.audit is not None else ()
        network = (WOULD_BREAK, STILL_OPEN) if isinstance(self.existing, PolicyVerdict) else ()
        return (*hardening, *network)

    def policy_sets(self) -> Iterator[PolicySet | SkippedSet]:
        """Each flavour of :data:`FLAVORS`, generated and proven when asked for (the
        previous one can be let go first), or skipped with the reason."""
        from socklock.policy.generate import Flavor, GenerateOptions, Mode, generate

        inventory = self.deployment if self.deployment is not None else self.inventory
        for flavor, mode in FLAVORS:
            compose = flavor == "compose"
            if not (inventory.compose_projects if compose else inventory.workloads):
                needs = "compose file" if compose else "Kubernetes workload"
                yield SkippedSet(flavor, mode, f"no {needs} in the input")
                continue
            options = GenerateOptions(flavor=Flavor(flavor), mode=Mode(mode))
            yield PolicySet(flavor, mode, generate(inventory, self.graph, options))


def scan(
    paths: Sequence[str],
    *,
    code: bool = True,
    deployment: str | None = None,
    harden: HardenOptions | None = None,
) -> Result:
    """Load ``paths`` and run the pipeline (see :func:`scan_inventory`)."""
    from socklock.load import load_paths

    return scan_inventory(load_paths(list(paths)), code=code, deployment=deployment, harden=harden)


def scan_inventory(
    inventory: Inventory,
    *,
    code: bool = True,
    deployment: str | None = None,
    harden: HardenOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Map the chosen deployment, audit everything read, and judge the input's
    NetworkPolicies against the graph."""
    from socklock.discover import discover
    from socklock.discover.deployments import select_deployment
    from socklock.harden import HardenOptions, audit
    from socklock.report.policy_verdict import check_existing

    selection = select_deployment(inventory, deployment)
    chosen = selection.inventory
    graph = discover(chosen, code=code, progress=progress)
    audited = audit(inventory, harden or HardenOptions())
    return Result(
        inventory=inventory,
        graph=graph,
        deployment=chosen,
        selection=selection,
        audit=audited,
        existing=check_existing(inventory, graph),
    )
