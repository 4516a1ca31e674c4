"""Which files and directories code discovery reads: source, not tests, docs or vendored code.

A URL in a test, a README or a vendored library is not a call the deployed program makes,
and skipping those trees is also most of what keeps a scan fast.
"""

# ruff: noqa: PTH118  (string paths: a caller's file is reported the way the scan named it)

from __future__ import annotations

import os
import re

from socklock.load.trees import skip_reason

MAX_LISTED = 2000  # source files listed around one file whose callers are looked for

# Vendored code, caches and build output are judged by socklock.load.trees.skip_reason, the
# rule the manifest walk uses too (by evidence: ``build/`` may hold real code). These are
# the trees whose code exists but is not the deployed program's.
SKIP_DIRS = frozenset(
    {
        "third_party",
        "Pods",
        "coverage",
        "htmlcov",
        # tests and docs
        "test",
        "tests",
        "__tests__",
        "__mocks__",
        "testdata",
        "spec",
        "cypress",  # end-to-end tests: cypress/e2e, cypress/support
        "docs",
    }
)

_TEST_FILE = re.compile(
    r"(?:_test\.go|^test_.*\.py|_test\.py|^conftest\.py|\.(?:test|spec)\.[cm]?[jt]sx?"
    r"|(?:Test|Tests|IT)\.java|Tests?\.cs|_spec\.rb|_test\.rb"
    r"|Test\.php|(?:Test|Tests|Spec)\.kts?|(?:Test|Spec|Suite)\.scala"
    r"|_(?:unit)?test\.(?:cc|cpp|cxx)|_(?:spec|test)\.lua"
    # ExUnit's tests, and Mix's config of the test env (config/test.exs)
    r"|_test\.exs|^test\.exs"
    # test runners' own config: the address of the app under test, not a call of it
    r"|^(?:cypress|playwright|jest|vitest)\.config\.[cm]?[jt]s|^karma\.conf\.[cm]?js)$"
)
_DOC_FILE = re.compile(r"\.(?:md|markdown|rst|adoc|txt)$", re.IGNORECASE)
_GENERATED_FILE = re.compile(
    r"(?:\.pb\.go|_pb2(?:_grpc)?\.py|_pb\.js|_grpc_pb\.js|\.min\.js|\.d\.ts|\.Designer\.cs"
    r"|\.g\.cs|\.pb\.cs|\.bundle\.js)$"
)
_PACKAGING_FILES = frozenset(
    {
        "setup.py",
        "setup.cfg",
        "pyproject.toml",
        "package.json",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "composer.json",
        "Gemfile.lock",
        "Cargo.toml",
    }
)


def skip_dir(path: str, name: str) -> bool:
    """Directories never descended into: hidden ones, tests and docs, and what the shared
    rule finds vendored, cached or built."""
    return name in SKIP_DIRS or name.startswith(".") or skip_reason(path) is not None


def skip_file(name: str) -> bool:
    """Tests, docs, generated code and packaging metadata (project URLs, not calls)."""
    return bool(
        _TEST_FILE.search(name)
        or _DOC_FILE.search(name)
        or _GENERATED_FILE.search(name)
        or name in _PACKAGING_FILES
    )


_LISTINGS: dict[tuple[str, tuple[str, ...], bool], list[str]] = {}


def nearby_sources(top: str, suffixes: tuple[str, ...], *, skip_files: bool = True) -> list[str]:
    """The files under ``top`` whose names end in ``suffixes``, as code discovery walks them
    (directories sorted, :func:`skip_dir` ones left out; :func:`skip_file` ones too unless
    ``skip_files`` is False), at most :data:`MAX_LISTED`; listed once per process."""
    key = (top, suffixes, skip_files)
    if key not in _LISTINGS:
        files: list[str] = []
        for directory, subdirs, names in os.walk(top):
            subdirs[:] = sorted(d for d in subdirs if not skip_dir(os.path.join(directory, d), d))
            files.extend(
                os.path.join(directory, n)
                for n in sorted(names)
                if n.endswith(suffixes) and not (skip_files and skip_file(n))
            )
            if len(files) >= MAX_LISTED:
                break
        _LISTINGS[key] = files[:MAX_LISTED]
    return _LISTINGS[key]


def forget_listings() -> None:
    """Drop what :func:`nearby_sources` listed (files may have changed since)."""
    _LISTINGS.clear()
