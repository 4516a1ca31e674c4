"""Which files of a tree socklock reads, without leaving the tree or entering vendored code.

The walk never stops on a filesystem error: an unreadable directory, a symlink loop, a
file that vanished or a FIFO/socket/device named like an input each become one error, and
the walk goes on. A dangling link named like an input (a git-annex file, a link to an
untracked private file) is a warning: what it would hold is unknown, nothing is read. A
link that leads out of the tree is not followed and is named in a warning. Directories are
skipped by evidence (:mod:`socklock.load.trees`), never by name alone.
"""

# ruff: noqa: PTH115, PTH116, PTH123
# (string paths: this runs once per entry of large trees)

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from socklock.load.dockerfile import is_dockerfile_name
from socklock.load.trees import skip_reason
from socklock.model import Diagnostic, DiagnosticLevel, Location, SkipKind, Skipped

# Files whose format is known and is not a Kubernetes object or a compose project.
NOT_MANIFESTS = frozenset(
    {
        "package.json",
        "package-lock.json",
        "composer.json",
        "composer.lock",
        "yarn.lock",
        "pnpm-lock.yaml",
        "angular.json",
        "Pipfile.lock",
        "renovate.json",
        "pubspec.yaml",
        "mkdocs.yml",
        ".pre-commit-config.yaml",
        ".gitlab-ci.yml",
        ".travis.yml",
        ".drone.yml",
        ".woodpecker.yml",
        ".woodpecker.yaml",
        "bitbucket-pipelines.yml",
        "codecov.yml",
        "dependabot.yml",
        "Chart.yaml",
        "values.yaml",
        "skaffold.yaml",
        "application.yml",
        "application.yaml",
        "bootstrap.yml",
    }
)
# Names a framework's config file takes that a Kubernetes object's file takes too: Spring's
# ``application.yaml`` and Argo CD's (an ``Application`` per folder); one whose top level
# says ``apiVersion:`` and ``kind:`` is a manifest
_SHARED_NAMES = frozenset({"application.yml", "application.yaml"})
_ENVELOPE = re.compile(
    rb"^apiVersion:[ \t]*\S.*^kind:[ \t]*\S|^kind:[ \t]*\S.*^apiVersion:[ \t]*\S", re.M | re.S
)
# Directories whose YAML is a CI system's pipelines, by that system's convention (a
# pipeline's top-level ``services:`` is not compose's)
PIPELINE_DIRECTORIES = frozenset({".woodpecker", ".circleci"})
KUSTOMIZATION_NAMES = frozenset({"kustomization.yaml", "kustomization.yml", "Kustomization"})


class FileKind(StrEnum):
    MANIFEST = "manifest"  # YAML or JSON that may hold Kubernetes objects or a compose project
    DOCKERFILE = "dockerfile"
    KUSTOMIZATION = "kustomization"  # read for the patches it names, which are not objects


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
    if name in KUSTOMIZATION_NAMES:
        return FileKind.KUSTOMIZATION
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        return FileKind.MANIFEST
    return None


def _in_helm_templates(path: Path, root: Path) -> bool:
    """Under a chart's ``templates/`` (the chart has ``Chart.yaml``), at any depth."""
    for parent in path.parents:
        if parent.name == "templates" and (parent.parent / "Chart.yaml").exists():
            return True
        if parent == root:
            return False
    return False


WalkItem = InputFile | Diagnostic | Skipped


def walk(paths: list[str]) -> Iterator[WalkItem]:
    """Input files in a stable order, with a diagnostic for each path that cannot be used
    and a :class:`Skipped` for each file or directory passed over on purpose."""
    for given in paths:
        try:
            mode = os.stat(given).st_mode
        except OSError as exc:
            yield _error(given, _why(exc))
            continue
        root = Path(given)
        if stat.S_ISREG(mode):
            yield InputFile(root, given, classify(root) or FileKind.MANIFEST, explicit=True)
        elif stat.S_ISDIR(mode):
            yield from _walk_tree(root)
        else:
            yield _error(given, f"not a regular file or directory ({_file_type(mode)})")


def _walk_tree(root: Path) -> Iterator[WalkItem]:
    real_root = os.path.realpath(root)
    stack = [str(root)]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            yield _error(directory, f"cannot read directory: {_why(exc)}")
            continue
        subdirs: list[str] = []
        for entry in entries:
            item = _entry(entry, root, real_root, subdirs)
            if item is not None:
                yield item
        stack.extend(reversed(subdirs))


def _entry(
    entry: os.DirEntry[str], root: Path, real_root: str, subdirs: list[str]
) -> WalkItem | None:
    """What one directory entry gives; a directory to enter is appended to ``subdirs``."""
    path = Path(entry.path)
    shown = str(path)  # "x.yaml", not "./x.yaml", as the user's shell would show it
    link = False
    try:
        link = entry.is_symlink()
        mode = entry.stat(follow_symlinks=True).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _error(shown, "symlink loop, not followed")
        if link and exc.errno == errno.ENOENT:
            if classify(path) is None:
                return None
            # a link to a file the checkout does not hold (git-annex, an untracked private
            # file): its content is unknown, so nothing is read, and it is named
            return Diagnostic(
                Location(shown),
                f"dangling symlink to {_link_target(entry.path)}, not read",
                DiagnosticLevel.WARNING,
            )
        if exc.errno == errno.ENOENT:
            if classify(path) is None:
                return None
            return _error(shown, "vanished while the tree was read")
        return _error(shown, f"cannot read: {_why(exc)}")
    if link and not _inside(entry.path, real_root):
        if stat.S_ISDIR(mode) or classify(path) is not None:
            return Diagnostic(
                Location(shown),
                f"symlink to {os.path.realpath(entry.path)}, outside {root}: not followed",
                DiagnosticLevel.WARNING,
            )
        return None
    if link:
        return None  # inside the tree: a file or directory is read where it really is
    if stat.S_ISDIR(mode):
        reason = skip_reason(entry.path)
        if reason is not None:
            return Skipped(shown, SkipKind.DIRECTORY, reason)
        subdirs.append(entry.path)
        return None
    kind = classify(path)
    if kind is None:
        return None
    if not stat.S_ISREG(mode):
        return _error(shown, f"not a regular file ({_file_type(mode)}), not read")
    if (
        entry.name in NOT_MANIFESTS and not _enveloped(entry.name, entry.path)
    ) or path.parent.name in PIPELINE_DIRECTORIES:
        return Skipped(shown, SkipKind.KNOWN_CONFIG)
    if kind is FileKind.MANIFEST and _in_helm_templates(path, root):
        return Skipped(shown, SkipKind.HELM_TEMPLATE)
    return InputFile(path, shown, kind, explicit=False)


def _enveloped(name: str, path: str) -> bool:
    """Whether a file of a shared name (:data:`_SHARED_NAMES`) holds a Kubernetes object."""
    if name not in _SHARED_NAMES:
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(8192)
    except OSError:
        return False
    return _ENVELOPE.search(head) is not None


def _link_target(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "a path that cannot be read"


def _inside(path: str, real_root: str) -> bool:
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _error(path: str, message: str) -> Diagnostic:
    return Diagnostic(Location(path), message)


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    return (exc.strerror or str(exc)).lower() if exc.strerror else str(exc)


def _file_type(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "a special file"
