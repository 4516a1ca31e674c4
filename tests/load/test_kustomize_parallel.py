"""Top-level kustomizations render side by side (one kubectl each), and the results come
back in the kustomizations' order, the same as one at a time; kubectl's Go collector is
tuned only when the user's environment leaves it alone."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from socklock.load import kustomize_render, load_paths
from socklock.load.kustomize import closure, read_kustomizations, top_level
from socklock.load.kustomize_render import Rendered, render_all
from socklock.load.limits import DEFAULT_LIMITS
from socklock.load.walk import FileKind, walk
from socklock.model import Diagnostic

_WEB = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
    "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
    "    spec: {containers: [{name: web, image: shop/web}]}\n"
)


def _rendered_web(name: str) -> bytes:
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
        f"  name: {name}\nspec:\n  selector:\n    matchLabels:\n      app: web\n"
        "  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n"
        "      containers:\n      - image: shop/web\n        name: web\n"
    ).encode()


def _overlays(root: Path) -> None:
    """A base, three overlays that render, one that fails, one on a remote base."""
    (root / "base").mkdir()
    (root / "base" / "web.yaml").write_text(_WEB)
    (root / "base" / "kustomization.yaml").write_text("resources: [web.yaml]\n")
    for name in ("a", "b", "c"):
        (root / name).mkdir()
        (root / name / "kustomization.yaml").write_text(
            f"resources: [../base]\nnamePrefix: {name}-\n"
        )
    (root / "broken").mkdir()
    (root / "broken" / "kustomization.yaml").write_text("resources: [../base]\npatches: [{}]\n")
    (root / "remote").mkdir()
    (root / "remote" / "kustomization.yaml").write_text(
        "resources: [https://example.com/app.yaml]\n"
    )


def _trees(root: Path) -> list[list[object]]:
    entries = [e for e in walk([str(root)]) if getattr(e, "kind", None) is FileKind.KUSTOMIZATION]
    found = read_kustomizations(entries, DEFAULT_LIMITS, [])  # type: ignore[arg-type]
    paths = [str(e.path) for e in entries]  # type: ignore[union-attr]
    return [list(closure(found, d)) for d in top_level(found, paths)]


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl")
def test_side_by_side_gives_what_one_at_a_time_gives_in_order(tmp_path: Path) -> None:
    _overlays(tmp_path)
    trees = _trees(tmp_path)
    together = render_all(trees, DEFAULT_LIMITS, workers=3)  # type: ignore[arg-type]
    assert together == render_all(trees, DEFAULT_LIMITS, workers=1)  # type: ignore[arg-type]
    assert [os.path.basename(os.path.dirname(t[0].file)) for t in trees] == [  # type: ignore[attr-defined]
        "a",
        "b",
        "broken",
        "c",
        "remote",
    ]
    a, b, broken, c, remote = together
    assert a == Rendered(f"{tmp_path}/a/<kubectl kustomize>", _rendered_web("a-web"))
    assert b == Rendered(f"{tmp_path}/b/<kubectl kustomize>", _rendered_web("b-web"))
    assert c == Rendered(f"{tmp_path}/c/<kubectl kustomize>", _rendered_web("c-web"))
    assert isinstance(broken, Diagnostic)
    assert broken.message.startswith("kubectl kustomize failed")
    assert isinstance(remote, Diagnostic)
    assert remote.message.startswith("not rendered: it builds on https://example.com/app.yaml")


def test_no_kustomization_renders_nothing() -> None:
    assert render_all([], DEFAULT_LIMITS) == []


def _env_printer(tmp_path: Path) -> str:
    """A stand-in kubectl that renders a ConfigMap of the Go settings it was given."""
    program = tmp_path / "kubectl"
    program.write_text(
        "#!/bin/sh\nprintf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: go}\\n"
        'data: {gogc: "%s", limit: "%s"}\\n\' "$GOGC" "$GOMEMLIMIT"\n'
    )
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return str(program)


def _go_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setattr(kustomize_render, "kubectl", lambda: _env_printer(tmp_path))
    app = tmp_path / "app"
    app.mkdir()
    (app / "kustomization.yaml").write_text("resources: []\n")
    (config_map,) = load_paths([str(app)]).config_maps
    return dict(config_map.data)


def test_kubectl_collects_garbage_less_often_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GOGC", raising=False)
    monkeypatch.delenv("GOMEMLIMIT", raising=False)
    assert _go_settings(tmp_path, monkeypatch) == {"gogc": "400", "limit": "1GiB"}


def test_the_users_go_settings_win(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOGC", "50")
    monkeypatch.setenv("GOMEMLIMIT", "300MiB")
    assert _go_settings(tmp_path, monkeypatch) == {"gogc": "50", "limit": "300MiB"}
