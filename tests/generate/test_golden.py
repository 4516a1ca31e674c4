"""The demo shop in every flavour and mode, byte for byte against the checked-in outputs.

Refresh after an intended change: ``SOCKLOCK_UPDATE_GOLDEN=1 pytest tests/generate``
(then read the diff before committing it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.conftest import REPO

from socklock.discover import discover
from socklock.load import load_paths
from socklock.model import Inventory, ServiceGraph
from socklock.policy.emit.caller_labels import patch_caller_labels
from socklock.policy.generate import Flavor, GeneratedSet, GenerateOptions, Mode, generate

GOLDEN = REPO / "tests" / "fixtures" / "generate" / "sockshop"
UPDATE = os.environ.get("SOCKLOCK_UPDATE_GOLDEN") == "1"
CASES = {
    "kubernetes-enforce": GenerateOptions(),
    "kubernetes-caller-labels": GenerateOptions(mode=Mode.CALLER_LABELS),
    "calico-enforce": GenerateOptions(flavor=Flavor.CALICO),
    "calico-log": GenerateOptions(flavor=Flavor.CALICO, mode=Mode.LOG),
    "calico-staged": GenerateOptions(flavor=Flavor.CALICO, mode=Mode.STAGED),
    "calico-caller-labels": GenerateOptions(flavor=Flavor.CALICO, mode=Mode.CALLER_LABELS),
    "anp-enforce": GenerateOptions(flavor=Flavor.ANP),
    "cilium-enforce": GenerateOptions(flavor=Flavor.CILIUM),
    "compose-enforce": GenerateOptions(flavor=Flavor.COMPOSE),
    "compose-segments": GenerateOptions(flavor=Flavor.COMPOSE, preset="segments"),
}


@pytest.fixture(scope="module")
def shop() -> tuple[Inventory, ServiceGraph]:
    cwd = Path.cwd()
    os.chdir(REPO)  # evidence paths in the outputs are relative to the repository
    try:
        inventory = load_paths(["examples/sockshop"])
        return inventory, discover(inventory, code=False)
    finally:
        os.chdir(cwd)


def rendered(case: str, inventory: Inventory, generated: GeneratedSet) -> dict[str, str]:
    out = {f.path: f.text for f in generated.files}
    lines = [generated.verification.summary()] if generated.verification else []
    lines += [str(n) for n in generated.notes]
    out["summary.txt"] = "\n".join(lines) + "\n"
    if generated.options.mode is Mode.CALLER_LABELS:
        cwd = Path.cwd()
        os.chdir(REPO)
        try:
            patches, skipped = patch_caller_labels(inventory, generated.caller_labels)
        finally:
            os.chdir(cwd)
        assert not skipped
        out["caller-labels.diff"] = "".join(p.diff() for p in patches)
    return out


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(case: str, shop: tuple[Inventory, ServiceGraph]) -> None:
    inventory, graph = shop
    generated = generate(inventory, graph, CASES[case])
    assert generated.verification is not None and generated.verification.ok
    files = rendered(case, inventory, generated)
    folder = GOLDEN / case
    if UPDATE:
        for old in folder.rglob("*"):
            if old.is_file():
                old.unlink()
        for path, text in files.items():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    expected = {
        str(p.relative_to(folder)): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    assert sorted(files) == sorted(expected), "files differ (SOCKLOCK_UPDATE_GOLDEN=1 refreshes)"
    for path, text in files.items():
        assert text == expected[path], f"{case}/{path} differs (SOCKLOCK_UPDATE_GOLDEN=1 refreshes)"


def test_kubernetes_summary_line(shop: tuple[Inventory, ServiceGraph]) -> None:
    inventory, graph = shop
    generated = generate(inventory, graph)
    assert generated.verification is not None
    # 14 calls + 13 workloads x DNS over UDP and TCP + front-end from outside (two address
    # families) and from the DNS pod added for the proof (no policy restricts its egress).
    assert generated.verification.summary() == (
        "verified: 43 connections allowed, 0 missing, 0 excess"
    )
    # the default deny, 13 egress policies, 12 ingress ones (queue-master is never called)
    assert len(generated.policies) == 1 + 13 + 12
