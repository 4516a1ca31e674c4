"""Which emitter writes which flavour: generation looks the flavour up here instead of
branching on it (an emitter module is imported only when its flavour is asked for)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from socklock.policy.generate.options import Flavor, Mode

if TYPE_CHECKING:
    from socklock.policy.emit import OutputFile
    from socklock.policy.generate.plan import Plan

Emitter = Callable[["Plan"], list["OutputFile"]]


def _kubernetes(plan: Plan) -> list[OutputFile]:
    from socklock.policy.emit.kubernetes import render

    mode = plan.options.mode
    return render(plan, mode.value if mode is not Mode.ENFORCE else "")


def _calico(plan: Plan) -> list[OutputFile]:
    from socklock.policy.emit.calico import render

    return render(plan)


EMITTERS: dict[Flavor, Emitter] = {Flavor.KUBERNETES: _kubernetes, Flavor.CALICO: _calico}
"""The emitter of each flavour that renders a :class:`Plan` (compose sets have their own
network model and are generated apart)."""


def emit(plan: Plan) -> list[OutputFile]:
    """The files of ``plan``'s set, by the emitter of its flavour."""
    return EMITTERS[plan.options.flavor](plan)
