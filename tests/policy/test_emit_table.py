"""Generation picks its emitter and its decider from tables: every flavour rendered from a
plan has one of each, and compose (its own network model) has neither."""

from __future__ import annotations

from socklock.policy.emit.table import DECIDERS, EMITTERS
from socklock.policy.generate.options import Flavor


def test_every_plan_flavour_has_an_emitter_and_a_decider() -> None:
    plan_flavours = [Flavor.ANP, Flavor.CALICO, Flavor.CILIUM, Flavor.KUBERNETES]
    assert sorted(EMITTERS) == plan_flavours
    assert sorted(DECIDERS) == plan_flavours
    assert sorted(set(Flavor) - set(EMITTERS)) == [Flavor.COMPOSE]
