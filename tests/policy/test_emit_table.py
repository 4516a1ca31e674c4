"""Generation picks its emitter from a table: every flavour rendered from a plan has one."""

from __future__ import annotations

from socklock.policy.emit.table import EMITTERS
from socklock.policy.generate.options import Flavor


def test_every_plan_flavour_has_an_emitter() -> None:
    assert sorted(EMITTERS) == [Flavor.CALICO, Flavor.KUBERNETES]
    assert sorted(set(Flavor) - set(EMITTERS)) == [Flavor.COMPOSE]
