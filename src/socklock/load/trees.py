"""Which directories of a repository hold someone else's files: one rule for every walker.

A directory is skipped for what it holds, not for its name: ``build/``, ``dist/``,
``target/`` and ``env/`` hold real compose files and manifests in real repositories. Only
names that mean one thing everywhere (version control, ``node_modules``, tool caches) are
skipped on sight; the rest needs evidence: ``pyvenv.cfg`` (a virtualenv; one made in place
in a project folder, beside the project's own Dockerfile or sources, skips only its own
``lib/``, ``bin/``... layout), ``CACHEDIR.TAG``
(the cache-directory standard), a Go/PHP/Ruby ``vendor/`` beside its lock file, build
output (compiled classes, archives, source maps) in a directory named like a build
directory. The manifest walk and the code scanner both ask :func:`skip_reason`.
"""

# ruff: noqa: PTH113, PTH118, PTH119, PTH120
# (string paths: this runs once per directory of large trees)

from __future__ import annotations

import os

# Names that mean vendored code, a cache or version control wherever they appear.
ALWAYS_SKIPPED = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "CVS",
        "node_modules",
        "bower_components",
        "jspm_packages",
        "__pycache__",
        "site-packages",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".gradle",
        ".terraform",
    }
)
# Directory names that build tools write to; skipped only with evidence of build output.
_BUILD_DIR_NAMES = frozenset({"target", "build", "out", "bin", "obj", "dist"})
_BUILD_SUBDIRS = frozenset(
    {
        "classes",  # Maven, Gradle, sbt
        "test-classes",
        "maven-status",
        "maven-archiver",
        "generated-sources",
        "intermediates",  # Android
        "Debug",  # .NET bin/ and obj/
        "Release",
    }
)
_BUILD_FILE_SUFFIXES = (
    ".jar",
    ".war",
    ".ear",
    ".class",
    ".whl",
    ".egg",
    ".dll",
    ".exe",
    ".pdb",
    ".so",
    ".o",
    ".map",
    ".min.js",
)
_BUILD_FILES = frozenset({"project.assets.json"})  # .NET obj/
# Lock or manifest files of the package managers that vendor into ``vendor/``.
_VENDORING_PROJECT_FILES = ("go.mod", "composer.json", "Gemfile", "glide.yaml", "Gopkg.toml")
_VENDOR_MARKERS = ("modules.txt", "autoload.php")
# What ``python -m venv``, virtualenv and uv create beside ``pyvenv.cfg``.
_VENV_LAYOUT = frozenset({"bin", "Scripts", "lib", "Lib", "lib64", "include", "Include", "share"})
# Files a virtualenv never holds at its top: a project folder that a venv was made in.
_PROJECT_FILES = frozenset(
    {"Dockerfile", "requirements.txt", "Pipfile", "pyproject.toml", "setup.py"}
)


def skip_reason(path: str) -> str | None:
    """Why the directory at ``path`` holds no input of the user's own, or None to enter it.

    Reads at most the directory's own listing and its parent's; an unreadable listing is
    no evidence (the walker reports the directory itself when it fails to enter it).
    """
    name = os.path.basename(path.rstrip(os.sep))
    if name in ALWAYS_SKIPPED:
        return f"{name} (vendored code, cache or version control)"
    if name == "testdata":
        return "testdata (test inputs, by the Go toolchain's convention)"
    if name.endswith(".egg-info"):
        return "Python packaging metadata (*.egg-info)"
    if os.path.isfile(os.path.join(path, "pyvenv.cfg")) and not _holds_project(path):
        return "a virtualenv (pyvenv.cfg)"
    parent = os.path.dirname(path.rstrip(os.sep))
    if name in _VENV_LAYOUT and os.path.isfile(os.path.join(parent, "pyvenv.cfg")):
        return f"part of a virtualenv ({name}/ beside pyvenv.cfg)"
    if os.path.isfile(os.path.join(path, "CACHEDIR.TAG")):
        return "a cache directory (CACHEDIR.TAG)"
    if name == "vendor":
        return _vendored(path)
    if name in _BUILD_DIR_NAMES:
        return _build_output(path)
    return None


def _holds_project(path: str) -> bool:
    """Whether a folder with ``pyvenv.cfg`` is a project that a virtualenv was made in.

    ``python -m venv .`` in a service's folder leaves ``pyvenv.cfg`` beside its Dockerfile
    and ``app.py``: those are the user's, only the venv's own layout is someone else's.
    """
    try:
        with os.scandir(path) as listing:
            return any(
                entry.name in _PROJECT_FILES or entry.name.endswith(".py")
                for entry in listing
                if not _is_dir(entry)
            )
    except OSError:
        return False


def _vendored(path: str) -> str | None:
    for marker in _VENDOR_MARKERS:
        if os.path.isfile(os.path.join(path, marker)):
            return f"vendored dependencies (vendor/{marker})"
    parent = os.path.dirname(path.rstrip(os.sep))
    for project_file in _VENDORING_PROJECT_FILES:
        if os.path.isfile(os.path.join(parent, project_file)):
            return f"vendored dependencies (vendor/ beside {project_file})"
    return None


def _build_output(path: str) -> str | None:
    try:
        with os.scandir(path) as listing:
            entries = [(entry.name, _is_dir(entry)) for entry in listing]
    except OSError:
        return None
    for entry_name, is_dir in entries:
        if is_dir and entry_name in _BUILD_SUBDIRS:
            return f"build output ({entry_name}/)"
        if not is_dir and (entry_name in _BUILD_FILES or entry_name.endswith(_BUILD_FILE_SUFFIXES)):
            return f"build output ({entry_name})"
    parent = os.path.dirname(path.rstrip(os.sep))
    if os.path.isfile(os.path.join(parent, "package.json")) and any(
        not is_dir and entry_name.endswith((".js", ".mjs", ".cjs"))
        for entry_name, is_dir in entries
    ):
        return "build output (JavaScript beside package.json)"
    return None


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False
