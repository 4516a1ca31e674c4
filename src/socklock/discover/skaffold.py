"""A Skaffold config as a deployment: the manifests ``skaffold dev``/``run`` deploys.

A ``skaffold.yaml`` (``apiVersion: skaffold/...``, ``kind: Config``) names the files of a
deployment: ``manifests.rawYaml`` globs and ``manifests.kustomize.paths`` (v3, v4beta), or
``deploy.kubectl.manifests`` globs and ``deploy.kustomize.paths`` (v1, v2), relative to the
config's directory; a kustomize section without paths renders that directory. Every
document of the file counts (a multi-config file); profiles (``-p``) and remote manifests
are not read. Named only (``--deployment skaffold.yaml``): a config beside the manifests is
one way of running them, not a reason to pass over the default.
"""

from __future__ import annotations

import glob
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from socklock.model import Inventory, Location

if TYPE_CHECKING:
    from socklock.discover.deployments import Deployment

MAX_CONFIG_BYTES = 1 << 20


def skaffold_deployment(inventory: Inventory, wanted: str, base: Path) -> list[Deployment]:
    """The deployment of the Skaffold config ``wanted`` names (none when it names no such
    file, or one that deploys no workload of the input)."""
    from socklock.discover.deploy_scripts import Applied
    from socklock.discover.deployments import KUBERNETES, Deployment, _relative
    from socklock.discover.scripted import applied_files, resolved_files

    config = _config_file(wanted, base)
    if config is None:
        return []
    documents = _documents(config)
    if not documents:
        return []
    object_files = sorted(set(resolved_files(inventory).values()))
    files: set[str] = set()
    here = Location(str(config))
    for target, kustomize in _targets(documents, config.parent):
        applied = Applied(target, None, kustomize, False, here)
        files.update(applied_files(applied, object_files))
    from socklock.discover.deployments import workloads_in

    names = workloads_in(inventory, files)
    if not names:
        return []
    return [
        Deployment(
            _relative(config, base),
            KUBERNETES,
            str(config),
            frozenset(names),
            frozenset(files),
            listed=True,
        )
    ]


def _config_file(wanted: str, base: Path) -> Path | None:
    for candidate in (base / wanted, Path(wanted)):
        path = candidate.resolve()
        if path.is_file() and path.suffix in {".yaml", ".yml"}:
            return path
    return None


def _documents(path: Path) -> list[dict[str, Any]]:
    """The Skaffold configs of ``path`` (none when it is not one, or cannot be read)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
        if len(data) > MAX_CONFIG_BYTES or b"skaffold/" not in data:
            return []
        loaded = list(yaml.safe_load_all(data.decode("utf-8", "replace")))
    except (OSError, yaml.YAMLError):
        return []
    return [
        d
        for d in loaded
        if isinstance(d, dict)
        and str(d.get("apiVersion", "")).startswith("skaffold/")
        and d.get("kind") == "Config"
    ]


def _targets(documents: list[dict[str, Any]], directory: Path) -> Iterator[tuple[str, bool]]:
    """(absolute path, rendered by kustomize) of each file or kustomization deployed."""
    for document in documents:
        manifests = _mapping(document.get("manifests"))
        deploy = _mapping(document.get("deploy"))
        globs = [*_strings(manifests.get("rawYaml"))]
        globs += _strings(_mapping(deploy.get("kubectl")).get("manifests"))
        for pattern in globs:
            if "://" in pattern:
                continue  # a remote manifest: not in the input
            # Skaffold's globs may climb out of the config's directory (``../k8s/*``)
            found = glob.glob(str(directory / pattern), recursive=True)  # noqa: PTH207
            for match in sorted(found):
                if Path(match).is_file():
                    yield str(Path(match).resolve()), False
        for holder in (manifests, deploy):
            if "kustomize" not in holder:
                continue
            paths = _strings(_mapping(holder["kustomize"]).get("paths")) or ["."]
            for path in paths:
                yield str((directory / path).resolve()), True


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
