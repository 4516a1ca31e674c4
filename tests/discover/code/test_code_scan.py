"""scan_tree: which files it reads, what it skips, and that parallel runs change nothing."""

from __future__ import annotations

import os
from pathlib import PurePath
from types import GeneratorType
from typing import TYPE_CHECKING, Any

import pytest

from socklock.discover import once
from socklock.discover.code import scan
from socklock.discover.code.interface import CallSite
from socklock.discover.code.registry import ANALYSERS, analyser_for
from socklock.discover.code.scan import iter_files, scan_tree

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

CALL = 'import requests\nrequests.get("http://orders:80/orders")\n'


def _tree(root: Path) -> None:
    files = {
        "app/client.py": CALL,
        "app/node_modules/lib/index.js": 'fetch("http://vendored:80")\n',
        "app/vendor/x/client.go": 'package x\nvar u = "http://vendored:80"\n',
        "app/vendor/modules.txt": "# example.com/x v1.0.0\n",  # the evidence of Go vendoring
        "app/.venv/lib/site.py": CALL,
        "app/env/pyvenv.cfg": "home = /usr\n",
        "app/env/lib/x.py": CALL,
        "app/tests/test_client.py": CALL,
        "app/test_client.py": CALL,
        "app/client_test.py": CALL,
        "svc/main_test.go": 'package main\nvar u = "http://test:80"\n',
        "web/api.test.js": 'fetch("http://test:80")\n',
        "web/api.spec.ts": 'fetch("http://test:80")\n',
        "java/src/test/java/ClientTest.java": 'class T { String u = "http://test:80"; }\n',
        "php/CheckoutTest.php": '<?php $u = "http://test:80";\n',
        "kotlin/OrdersTest.kt": 'val u = "http://test:80"\n',
        "scala/GatewaySpec.scala": 'object T { val u = "http://test:80" }\n',
        "cpp/client_test.cc": 'const char* u = "http://test:80";\n',
        "lua/compose_spec.lua": 'local u = "http://test:80"\n',
        "docs/guide.py": CALL,
        "README.md": "call http://orders:80\n",
        "build/gen.py": CALL,
        "build/app.jar": "PK",  # the evidence of build output (build/ alone is not)
        "web/app.js": 'fetch("http://catalogue:80/catalogue");\n',
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_reads_source_and_skips_tests_docs_vendored_and_build_output(tmp_path: Path) -> None:
    _tree(tmp_path)
    read = sorted(os.path.relpath(path, tmp_path) for path, _ in iter_files([str(tmp_path)]))
    assert read == ["app/client.py", "web/app.js"]
    targets = sorted(str(r.target) for r in scan_tree([str(tmp_path)]) if isinstance(r, CallSite))
    assert targets == ["http://catalogue:80/catalogue", "http://orders:80/orders"]


def test_a_root_inside_a_skipped_name_is_still_read(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "client.py").write_text(CALL, encoding="utf-8")
    assert len(list(scan_tree([str(tmp_path / "tests")]))) == 1
    assert len(list(scan_tree([str(tmp_path / "tests" / "client.py")]))) == 1


def test_symlinks_out_of_the_tree_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text(CALL, encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    (root / "linked_dir").symlink_to(outside, target_is_directory=True)
    (root / "linked.py").symlink_to(outside / "secret.py")
    (root / "real.py").write_text(CALL, encoding="utf-8")
    (root / "alias.py").symlink_to(root / "real.py")
    read = sorted(os.path.basename(path) for path, _ in iter_files([str(root)]))
    assert read == ["alias.py"] or read == ["real.py"]


def test_overlapping_roots_read_each_file_once(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "client.py").write_text(CALL, encoding="utf-8")
    roots = [str(tmp_path), str(tmp_path / "a"), str(tmp_path / "a" / "client.py")]
    assert len(list(iter_files(roots))) == 1


def test_progress_counts_every_file(tmp_path: Path) -> None:
    _tree(tmp_path)
    seen: list[tuple[int, int]] = []
    list(scan_tree([str(tmp_path)], progress=lambda done, total: seen.append((done, total))))
    assert seen == [(1, 2), (2, 2)]


def test_worker_processes_give_the_same_results(tmp_path: Path) -> None:
    for index in range(30):
        folder = tmp_path / f"svc{index}"
        folder.mkdir()
        (folder / "client.py").write_text(CALL.replace("orders", f"orders{index}"), "utf-8")
        (folder / "app.js").write_text(f'fetch("http://cat{index}:80/x");\n', "utf-8")
    alone = list(scan_tree([str(tmp_path)], workers=1))
    shared = list(scan_tree([str(tmp_path)], workers=2))
    assert alone == shared
    assert len(alone) == 60


def _mixed_tree(root: Path) -> None:
    """Languages interleaved in path order."""
    for index in range(12):
        folder = root / f"svc{index:02}"
        folder.mkdir()
        (folder / "a.js").write_text(f'fetch("http://web{index}:80/x");\n', "utf-8")
        (folder / "b.py").write_text(CALL.replace("orders", f"orders{index}"), "utf-8")
        (folder / "c.go").write_text(f'package c\nvar u = "http://go{index}:80"\n', "utf-8")


def test_workers_give_the_results_back_in_the_files_order(tmp_path: Path) -> None:
    _mixed_tree(tmp_path)
    alone = list(scan_tree([str(tmp_path)], workers=1))
    shared = list(scan_tree([str(tmp_path)], workers=2))
    assert shared == alone
    assert [r.file for r in shared] == [  # every file's result, in the files' order
        str(tmp_path / f"svc{index:02}" / name)
        for index in range(12)
        for name in ("a.js", "b.py", "c.go")
    ]


def test_the_suffix_table_picks_the_analyser_asking_each_would() -> None:
    names = [f"x{suffix}" for a in ANALYSERS for suffix in getattr(a, "suffixes", ())]
    names += [f"X{suffix.upper()}" for a in ANALYSERS for suffix in getattr(a, "suffixes", ())]
    names += ["application.yml", "config/app.json", "log4j2.xml", ".env", "a.txt", "Makefile"]
    names += ["config/settings.py", "app.properties.example", "h.hpp", "d.d.ts", "x.tsx"]
    for name in names:
        path = PurePath("/repo", name)
        expected = next((a for a in ANALYSERS if a.handles(path)), None)
        assert analyser_for(path) is expected, name


def test_stopping_early_is_clean(tmp_path: Path) -> None:
    for index in range(20):
        (tmp_path / f"c{index}.py").write_text(CALL, encoding="utf-8")
    results = scan_tree([str(tmp_path)], workers=2)
    assert isinstance(results, GeneratorType)
    assert next(results).line == 2
    results.close()


def test_test_runners_config_and_end_to_end_trees_are_tests(tmp_path: Path) -> None:
    files = {
        "web/cypress.config.ts": "const base = `http://${process.env.WEB_ADDR}`;\n",
        "web/playwright.config.mjs": 'export default { baseURL: "http://test:80" };\n',
        "web/cypress/e2e/home.cy.ts": 'cy.visit("http://test:80");\n',
        "web/config.ts": 'fetch("http://config:80");\n',  # a config module, not a runner's
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    read = sorted(os.path.relpath(path, tmp_path) for path, _ in iter_files([str(tmp_path)]))
    assert read == ["web/config.ts"]


def test_a_minified_bundle_is_not_read_as_source(tmp_path: Path) -> None:
    """A built bundle (``static/js/main.3f2a.js``: a few lines of thousands of bytes) is not
    the program's source; a long source file of ordinary lines is."""
    call = 'fetch("http://orders:8080/api");'
    bundle = (("var a=1;" * 400 + call) + "\n") * 20
    ordinary = "".join(f"const x{i} = {i};\n" for i in range(2_000)) + call + "\n"
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static" / "js" / "main.3f2a.js").write_text(bundle)
    (tmp_path / "app.js").write_text(ordinary)
    targets = {
        (os.path.basename(r.file), r.target)
        for r in scan_tree([str(tmp_path)])
        if isinstance(r, CallSite)
    }
    assert targets == {("app.js", "http://orders:8080/api")}


@pytest.fixture
def few_files_use_workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The trees here are small: let 8 files start workers; a scan a test leaves is stopped."""
    monkeypatch.setattr(scan, "PARALLEL_MIN_FILES", 8)
    yield
    scan.stop_started()


def test_a_scan_begun_ahead_gives_what_a_scan_then_gives(
    tmp_path: Path, few_files_use_workers: None
) -> None:
    _mixed_tree(tmp_path)  # 36 files, over the lowered threshold
    alone = list(scan_tree([str(tmp_path)], workers=1))
    scan.start([str(tmp_path)])
    begun = scan._started
    assert begun is not None and begun.roots == (str(tmp_path),)
    workers = _workers(begun.pool)
    with once.run():
        assert scan.listed([str(tmp_path)]) is begun.files  # listed once, by the begun scan
        assert list(scan_tree([str(tmp_path)])) == alone
        assert scan._started is None  # the run took it; its workers ended with the reading
        assert scan.listed([str(tmp_path)]) is begun.files  # and the run keeps the listing
    assert not any(worker.is_alive() for worker in workers)


def test_a_scan_begun_for_other_roots_is_stopped_not_read(
    tmp_path: Path, few_files_use_workers: None
) -> None:
    _mixed_tree(tmp_path)  # 36 files, over the lowered threshold
    only = tmp_path / "svc00"
    alone = list(scan_tree([str(only)], workers=1))
    scan.start([str(tmp_path)])
    begun = scan._started
    assert begun is not None
    workers = _workers(begun.pool)
    assert list(scan_tree([str(only)])) == alone
    assert scan._started is None
    assert not any(worker.is_alive() for worker in workers)


def test_a_small_tree_begins_no_scan_and_an_unread_one_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _mixed_tree(tmp_path)  # 36 files: under PARALLEL_MIN_FILES, no workers are worth it
    scan.start([str(tmp_path)])
    assert scan._started is None
    monkeypatch.setattr(scan, "PARALLEL_MIN_FILES", 8)
    scan.start([str(tmp_path)])
    begun = scan._started
    assert begun is not None
    workers = _workers(begun.pool)
    scan.stop_started()
    assert scan._started is None
    assert not any(worker.is_alive() for worker in workers)


def _workers(pool: object) -> list[Any]:
    """The pool's worker processes, taken while it runs (a stopped pool may drop them)."""
    workers = list(pool._pool)  # type: ignore[attr-defined]
    assert workers
    return workers
