"""Which files of a tree socklock reads, without leaving the tree or entering vendored code."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from socklock.load.dockerfile import is_dockerfile_name

SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "vendor",
        "bower_components",
        ".venv",
        "venv",
        "env",
        ".env",
        ".tox",
        ".nox",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "site-packages",
        "target",
        "dist",
        "build",
        ".gradle",
        ".idea",
        ".terraform",
    }
)
NOT_MANIFESTS = frozenset(
    {
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        "composer.json",
        "composer.lock",
        "yarn.lock",
        "pnpm-lock.yaml",
        ".eslintrc.json",
        "angular.json",
        "Pipfile.lock",
        "launch.json",
        "settings.json",
        "renovate.json",
        "pubspec.yaml",
        "mkdocs.yml",
        ".pre-commit-config.yaml",
        ".gitlab-ci.yml",
        ".travis.yml",
        "codecov.yml",
        "dependabot.yml",
        "Chart.yaml",
        "values.yaml",
        "kustomization.yaml",
        "skaffold.yaml",
        "application.yml",
        "application.yaml",
        "bootstrap.yml",
    }
)


class FileKind(StrEnum):
    MANIFEST = "manifest"  # YAML or JSON that may hold Kubernetes objects or a compose project
    DOCKERFILE = "dockerfile"


@dataclass(frozen=True, slots=True)
class InputFile:
    path: Path
    display: str  # how the user will see it in messages
    kind: FileKind
    explicit: bool  # named on the command line rather than found by walking


def classify(path: Path) -> FileKind | None:
    name = path.name
    if is_dockerfile_name(name):
        return FileKind.DOCKERFILE
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        return FileKind.MANIFEST
    return None


def _is_virtualenv(path: Path) -> bool:
    return (path / "pyvenv.cfg").is_file()


def _in_helm_templates(path: Path, root: Path) -> bool:
    return path.parent.name == "templates" and (path.parent.parent / "Chart.yaml").exists()


def walk(paths: list[str]) -> Iterator[InputFile | tuple[str, str]]:
    """Input files in a stable order, or ``(path, message)`` for a path that cannot be used."""
    for given in paths:
        root = Path(given)
        if root.is_file():
            yield InputFile(root, given, classify(root) or FileKind.MANIFEST, explicit=True)
            continue
        if not root.is_dir():
            yield (given, "no such file or directory")
            continue
        real_root = root.resolve()
        for directory, dirnames, filenames in os.walk(root, followlinks=False):
            here = Path(directory)
            dirnames[:] = sorted(
                d
                for d in dirnames
                if d not in SKIPPED_DIRS
                and not d.endswith(".egg-info")
                and not _is_virtualenv(here / d)
            )
            for name in sorted(filenames):
                path = here / name
                kind = classify(path)
                if kind is None or name in NOT_MANIFESTS:
                    continue
                if path.is_symlink():
                    target = path.resolve()
                    if not target.is_relative_to(real_root) or not target.is_file():
                        continue
                if kind is FileKind.MANIFEST and _in_helm_templates(path, root):
                    continue
                yield InputFile(path, str(path), kind, explicit=False)
