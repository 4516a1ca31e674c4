"""``generate(inventory, graph, options)``: the least-privilege set, proven before it is given.

The stages: the intent (graph → the exact connections to allow, :mod:`.intent`), the plan
(per workload: peers, ports, evidence, :mod:`.plan`), the emitter of the flavour (text with
comments, read back into objects, :mod:`socklock.policy.emit`), the proof (:mod:`.verify`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from socklock.model import Inventory, K8sObject, ServiceGraph
from socklock.policy.emit import OutputFile
from socklock.policy.generate.intent import Intent, Note, NoteLevel, PortNames, build_intent
from socklock.policy.generate.options import Flavor, GenerateOptions
from socklock.policy.generate.plan import GenerationError, Plan, build_plan
from socklock.policy.generate.selectors import Selectors
from socklock.policy.generate.verify import (
    Verification,
    compare,
    externals_for,
    proof_inventory,
)
from socklock.policy.pods import Cluster, build_cluster


@dataclass(frozen=True, slots=True)
class LabelPatch:
    """Labels to set on a workload's pod template (caller-declared mode)."""

    workload: str
    labels: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class GeneratedSet:
    options: GenerateOptions
    files: tuple[OutputFile, ...]  # relative paths under the output directory
    policies: tuple[K8sObject, ...]  # every object of the files, read back
    notes: tuple[Note, ...]
    # the intent the set allows (once proven, the proof's own, equal to the plan's); the
    # plan itself is not kept: the proof runs without it (about 0.5 KB a workload)
    intent: Intent | None = None
    label_patches: tuple[LabelPatch, ...] = ()  # caller-declared mode
    verification: Verification | None = None
    over_permissive: tuple[str, ...] = ()  # compose: what networks cannot restrict

    @property
    def caller_labels(self) -> dict[str, Mapping[str, str]]:
        return {p.workload: p.labels for p in self.label_patches}


class VerificationError(GenerationError):
    """The generated set does not allow exactly the intent: nothing is written."""

    def __init__(self, verification: Verification) -> None:
        super().__init__(
            f"the generated policies do not match the service graph ({verification.summary()})",
            verification.details(),
        )
        self.verification = verification


def _selectors(inventory: Inventory, cluster: Cluster) -> Selectors:
    members = {e.id: [cluster.classes[i].labels for i in e.classes] for e in cluster.endpoints}
    namespace_of = {e.id: e.namespace for e in cluster.endpoints}
    return Selectors(members, namespace_of, inventory.services)


def generate(
    inventory: Inventory,
    graph: ServiceGraph,
    options: GenerateOptions | None = None,
    *,
    verify: bool = True,
) -> GeneratedSet:
    """The least-privilege policy set of ``graph`` over ``inventory``'s workloads.

    With ``verify`` (the default), the set is proven before it is returned and
    :class:`VerificationError` is raised when it does not allow exactly the intent.
    """
    options = options or GenerateOptions()
    graph, hint_notes = _without_hints(graph, options.include_hints)
    generated = _generate(inventory, graph, options, verify=verify)
    if not hint_notes:
        return generated
    return replace(generated, notes=(*generated.notes, *hint_notes))


def _without_hints(graph: ServiceGraph, include: bool) -> tuple[ServiceGraph, tuple[Note, ...]]:
    """The graph generation works from, and one note per start-order hint for review.

    ``depends_on``/``links`` say start order, not calls: an edge with only that evidence is
    allowed only when the caller asks (``include_hints``), and named either way."""
    hints = graph.hints
    if not hints:
        return graph, ()
    if include:
        message = (
            "allowed from start-order evidence only (depends_on/links), as asked "
            "(--include-hints): check that it is a call"
        )
    else:
        message = (
            "not allowed: start-order evidence only (depends_on/links), no call found; "
            "review it, and allow it with --include-hints if it is a call"
        )
    notes = tuple(
        Note(
            NoteLevel.INFO if include else NoteLevel.WARNING,
            f"{edge.source} -> {edge.target}" + (f":{edge.port}" if edge.port else ""),
            message,
            edge.evidence[0].location,
        )
        for edge in hints
    )
    if include:
        return graph, notes
    return replace(graph, edges=graph.calls), notes


def _generate(
    inventory: Inventory, graph: ServiceGraph, options: GenerateOptions, *, verify: bool
) -> GeneratedSet:
    if options.flavor is Flavor.COMPOSE:
        from socklock.policy.emit.compose import generate_compose

        return generate_compose(inventory, graph, options)
    generated = _emitted(_plan(inventory, graph, options))
    if not verify:
        return generated
    generated = replace(generated, intent=None)  # the proof recomputes it, not trusting it
    verification, intent = _verified(inventory, graph, generated)
    if not verification.ok:
        raise VerificationError(verification)
    return replace(generated, verification=verification, intent=intent)


def _emitted(plan: Plan) -> GeneratedSet:
    """The set the plan's flavour renders; the plan is let go when this returns, before the
    proof builds its own cluster and engine."""
    from socklock.policy.emit.table import emit

    files = emit(plan)
    return GeneratedSet(
        options=plan.options,  # with the namespaces left unlocked, for the proof
        files=tuple(files),
        policies=tuple(o for f in files for o in f.objects),
        notes=plan.notes,
        intent=plan.intent,
        label_patches=tuple(LabelPatch(w, labels) for w, labels in plan.caller_labels.items()),
    )


def _plan(inventory: Inventory, graph: ServiceGraph, options: GenerateOptions) -> Plan:
    """The plan of ``graph``; the cluster it is built on is let go here, before the proof
    builds its own (two at once cost about 0.8 KB a workload). Namespaces where a workload
    cannot be singled out are left out of the scope (the plan's options say which, so the
    proof recomputes the same intent) and named in error notes."""
    from socklock.policy.generate.singled_out import unlockable, unlocked_notes

    cluster = build_cluster(inventory)
    names = PortNames(inventory, cluster)
    selectors = _selectors(inventory, cluster)
    intent = build_intent(inventory, graph, cluster, options, names)
    why = unlockable(intent, selectors)
    if not why:
        return build_plan(intent, cluster, selectors, options)
    options = replace(options, unlocked=(*options.unlocked, *why))
    intent = build_intent(inventory, graph, cluster, options, names)
    plan = build_plan(intent, cluster, selectors, options)
    return replace(plan, notes=(*unlocked_notes(why, inventory), *plan.notes))


def _intent(inventory: Inventory, graph: ServiceGraph, options: GenerateOptions) -> Intent:
    """The intent of ``graph``, recomputed for the proof; the cluster it is built on is let
    go before the engine builds its own."""
    cluster = build_cluster(inventory)
    return build_intent(inventory, graph, cluster, options, PortNames(inventory, cluster))


def verify_generated(
    inventory: Inventory, graph: ServiceGraph, generated: GeneratedSet
) -> Verification:
    """What ``generated`` allows (by its flavour's decider: the engine, the Calico model, the
    admin or the Cilium decider) against the intent, recomputed from ``graph``: the proof
    does not trust the plan."""
    return _verified(inventory, graph, generated)[0]


def _verified(
    inventory: Inventory, graph: ServiceGraph, generated: GeneratedSet
) -> tuple[Verification, Intent]:
    """:func:`verify_generated`, and the intent it recomputed (``generated``'s own is not
    read, so the caller may have let it go)."""
    options = generated.options
    if options.flavor is Flavor.COMPOSE:
        raise GenerationError("compose sets are checked by their network model, not the engine")
    graph, _ = _without_hints(graph, options.include_hints)
    intent = _intent(inventory, graph, options)
    proof, added = proof_inventory(
        inventory, options.dns, options.ingress_namespace, generated.caller_labels
    )
    externals = externals_for(intent)
    from socklock.policy.emit.table import decide

    decision = decide(proof, generated.policies, externals, options)
    verification = compare(
        decision.method, decision.reach, intent, options.dns, added, decision.logged
    )
    return verification, intent
