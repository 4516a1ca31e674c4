"""Which emitter writes which flavour, and which decider proves it: generation looks the
flavour up here instead of branching on it (an emitter or decider module is imported only
when its flavour is asked for).

A flavour is a plug-in of one pipeline (intent, plan, emit, prove): its emitter renders a
:class:`Plan`, its decider says what the rendered objects allow (the rows the proof compares
with the intent). Compose sets have their own network model and are generated apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from socklock.policy.generate.options import Flavor, Mode

if TYPE_CHECKING:
    from socklock.model import Inventory, K8sObject
    from socklock.policy.emit import OutputFile
    from socklock.policy.generate.options import GenerateOptions
    from socklock.policy.generate.plan import Plan
    from socklock.policy.generate.verify import Reachability

Emitter = Callable[["Plan"], list["OutputFile"]]


@dataclass(frozen=True, slots=True)
class Decision:
    """What a decider says a generated set allows, and how to word the proof."""

    method: str  # "engine", "calico model", ...
    reach: Reachability
    logged: str | None = None  # log mode: what happens to what is not allowed


Decider = Callable[
    ["Inventory", "Sequence[K8sObject]", "Iterable[str]", "GenerateOptions"], Decision
]


def _kubernetes(plan: Plan) -> list[OutputFile]:
    from socklock.policy.emit.kubernetes import render

    mode = plan.options.mode
    return render(plan, mode.value if mode is not Mode.ENFORCE else "")


def _calico(plan: Plan) -> list[OutputFile]:
    from socklock.policy.emit.calico import render

    return render(plan)


def _anp(plan: Plan) -> list[OutputFile]:
    from socklock.policy.emit.anp import render

    return render(plan)


def _cilium(plan: Plan) -> list[OutputFile]:
    from socklock.policy.emit.cilium import render

    return render(plan)


EMITTERS: dict[Flavor, Emitter] = {
    Flavor.KUBERNETES: _kubernetes,
    Flavor.CALICO: _calico,
    Flavor.ANP: _anp,
    Flavor.CILIUM: _cilium,
}
"""The emitter of each flavour that renders a :class:`Plan`."""


def _engine(
    inventory: Inventory,
    policies: Sequence[K8sObject],
    externals: Iterable[str],
    options: GenerateOptions,
) -> Decision:
    from socklock.policy.engine import analyse

    return Decision("engine", analyse(inventory, list(policies), externals=externals))


def _calico_model(
    inventory: Inventory,
    policies: Sequence[K8sObject],
    externals: Iterable[str],
    options: GenerateOptions,
) -> Decision:
    from socklock.policy.calico_model import analyse_calico

    if options.mode is Mode.LOG:
        reach = analyse_calico(inventory, policies, externals=externals, log_as_deny=True)
        return Decision("calico model", reach, "log mode: everything else is logged, then allowed")
    staged = options.mode is Mode.STAGED
    return Decision(
        "calico model", analyse_calico(inventory, policies, externals=externals, staged=staged)
    )


def _admin(
    inventory: Inventory,
    policies: Sequence[K8sObject],
    externals: Iterable[str],
    options: GenerateOptions,
) -> Decision:
    from socklock.policy.admin import analyse_admin

    return Decision("admin decider", analyse_admin(inventory, policies, externals=externals))


def _cilium_decider(
    inventory: Inventory,
    policies: Sequence[K8sObject],
    externals: Iterable[str],
    options: GenerateOptions,
) -> Decision:
    from socklock.policy.cilium import analyse_cilium

    return Decision("cilium decider", analyse_cilium(inventory, policies, externals=externals))


DECIDERS: dict[Flavor, Decider] = {
    Flavor.KUBERNETES: _engine,
    Flavor.CALICO: _calico_model,
    Flavor.ANP: _admin,
    Flavor.CILIUM: _cilium_decider,
}
"""The decider that proves each flavour's sets (the same flavours as :data:`EMITTERS`)."""


def emit(plan: Plan) -> list[OutputFile]:
    """The files of ``plan``'s set, by the emitter of its flavour."""
    return EMITTERS[plan.options.flavor](plan)


def decide(
    inventory: Inventory,
    policies: Sequence[K8sObject],
    externals: Iterable[str],
    options: GenerateOptions,
) -> Decision:
    """What ``policies`` allow over ``inventory``, by the decider of ``options``' flavour."""
    return DECIDERS[options.flavor](inventory, policies, externals, options)
