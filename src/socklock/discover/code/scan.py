"""Walk source trees and stream the call sites of every file we can read.

Files are listed first (paths only, so ``progress`` knows the total), then read,
analysed and released one at a time: memory stays bounded by the largest file (per
worker process, when the tree is large enough to spread over the machine's CPUs).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from socklock.discover.code.paths import skip_dir, skip_file
from socklock.discover.code.registry import analyser_for, analyser_named
from socklock.discover.once import per_run

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from multiprocessing.pool import Pool

    from socklock.discover.code.interface import Analyser, Result

MAX_FILE_BYTES = 2 * 1024 * 1024  # larger sources are generated or bundled
PARALLEL_MIN_FILES = 400  # below this, starting worker processes costs more than it saves
MAX_WORKERS = 8
_CHUNK = 16


def scan_tree(
    roots: Sequence[str],
    *,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> Iterator[Result]:
    """Every call site under ``roots``, file by file in path order.

    ``progress(done, total)`` is called after each file. ``workers``: processes to use.
    None picks one per available CPU when the tree is large enough to repay starting
    them and this process is single-threaded (so forking is safe); otherwise 1, which
    starts none. Results are the same, in the same order, whatever the number. An
    explicit count above 1 in a threaded process uses ``spawn``, which needs the main
    module to be importable (the usual ``if __name__ == "__main__"`` guard).
    """
    from socklock.discover.code.go_nested_env import nested_reads
    from socklock.discover.code.links import forget

    forget()  # files may have changed since the last scan in this process
    files = listed(roots)
    started = _take_started(roots) if workers is None else None
    if started is not None:
        results = _finishing(started)
    else:
        jobs = _worker_count(workers, len(files))
        results = _in_processes(files, jobs) if jobs > 1 else map(_analyse, files)
    total = len(files)
    go_reads: list[Result] = []  # struct-tag reads, joined over a package's structs at the end
    for done, found in enumerate(results, start=1):
        yield from found
        go_reads.extend(r for r in found if r.file.endswith(".go"))
        if progress is not None:
            progress(done, total)
    yield from nested_reads(go_reads)


def _analyse(job: tuple[str, Analyser]) -> list[Result]:
    path, analyser = job
    source = _read(path)
    return list(analyser.analyse(path, source)) if source is not None else []


def _analyse_named(job: tuple[str, str]) -> list[Result]:
    """In a worker process: analysers travel by name, results come back pickled."""
    path, name = job
    return _analyse((path, analyser_named(name)))


def _in_processes(files: Sequence[tuple[str, Analyser]], jobs: int) -> Iterator[list[Result]]:
    with _new_pool(files, jobs) as pool:  # leaving the block (or closing us early) stops it
        yield from _submit(pool, files)


def _new_pool(files: Sequence[tuple[str, Analyser]], jobs: int) -> Pool:
    """The workers, forked once the grammars every one of them will need are compiled
    (those of languages with more files than they take at a time, together): compiled
    here once, not in each. A language of fewer files is compiled by the workers that
    get them, if their prefilter lets one through."""
    import multiprocessing
    from collections import Counter

    counts = Counter(analyser.name for _, analyser in files)
    for analyser in {analyser.name: analyser for _, analyser in files}.values():
        warm = getattr(analyser, "warm", None)
        if warm is not None and counts[analyser.name] > _CHUNK * jobs:
            warm()
    method = "fork" if _can_fork() else "spawn"
    return multiprocessing.get_context(method).Pool(jobs)


@dataclass(frozen=True, slots=True)
class _Started:
    """A scan begun ahead of the run that will read it (see :func:`start`)."""

    roots: tuple[str, ...]
    files: tuple[tuple[str, Analyser], ...]
    pool: Pool
    results: Iterator[list[Result]]


_started: _Started | None = None


def start(roots: Sequence[str]) -> None:
    """Begin the scan of ``roots`` in worker processes now, so that it runs while this
    process reads the manifests; :func:`scan_tree` of the same roots later reads its
    results. Why: the manifests are read by this one process and the code by the workers,
    and one after the other they left a CPU idle for the whole load (istio: 1.5 s of 5).
    Started only where :func:`scan_tree` would use workers anyway (a large tree, a process
    that may fork), and before anything else runs, so the workers are forked from a
    process holding nothing of the input: their results are those of a later fork (the
    scan reads only its files; ``links`` is forgotten before every scan)."""
    global _started
    stop_started()
    roots = tuple(roots)
    files = tuple(iter_files(roots))
    jobs = _worker_count(None, len(files))
    if jobs <= 1:
        return
    pool = _new_pool(files, jobs)
    _started = _Started(roots, files, pool, _submit(pool, files))


def stop_started() -> None:
    """Stop a scan begun by :func:`start` that no run read (its workers end now)."""
    global _started
    if _started is not None:
        _started.pool.terminate()
        _started = None


def _take_started(roots: Sequence[str]) -> _Started | None:
    """The scan begun for exactly these roots, now owned by the caller; one begun for
    other roots is stopped."""
    global _started
    if _started is None or _started.roots != tuple(roots):
        stop_started()
        return None
    started, _started = _started, None
    return started


def _finishing(started: _Started) -> Iterator[list[Result]]:
    """The begun scan's results; its workers end when they are read or the reader stops."""
    with started.pool:
        yield from started.results


def _submit(pool: Pool, files: Sequence[tuple[str, Analyser]]) -> Iterator[list[Result]]:
    """Each file's results, in the files' order. The files go out in path order too: a
    worker keeps the files it parsed for cross-file lookups (``links``), and what it has
    kept changes how far those lookups go (argo-cd's Go packages: 5 CPU s of workers in
    path order, 150 s with the files sent out language by language)."""
    named = [(path, analyser.name) for path, analyser in files]
    return pool.imap(_analyse_named, named, chunksize=_CHUNK)


def listed(roots: Sequence[str]) -> tuple[tuple[str, Analyser], ...]:
    """:func:`iter_files` of ``roots`` as a tuple, listed once per discovery run (the code
    scan, the attribution of its files and the config-key lookup all ask): the tree does
    not change under one run. A scan begun by :func:`start` has listed them already."""
    return _listed(tuple(roots))


@per_run
def _listed(roots: tuple[str, ...]) -> tuple[tuple[str, Analyser], ...]:
    if _started is not None and _started.roots == roots:
        return _started.files
    return tuple(iter_files(roots))


def _can_fork() -> bool:
    """Forking is cheap and safe only while this process runs a single thread."""
    import multiprocessing
    import threading

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _worker_count(requested: int | None, files: int) -> int:
    if requested is not None:
        return max(1, requested)
    if files < PARALLEL_MIN_FILES or not _can_fork():
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_WORKERS))


def iter_files(roots: Sequence[str]) -> Iterator[tuple[str, Analyser]]:
    """Files to analyse with their analyser; a root file is taken as given."""
    seen: set[str] = set()
    for root in roots:
        if Path(root).is_file():
            analyser = analyser_for(PurePath(root))
            if analyser is not None and _first_time(root, seen):
                yield root, analyser
            continue
        yield from _walk(root, os.path.realpath(root), seen)


def _walk(root: str, real_root: str, seen: set[str]) -> Iterator[tuple[str, Analyser]]:
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            continue
        subdirs: list[str] = []
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not skip_dir(entry.path, entry.name):
                        subdirs.append(entry.path)
                    continue
                if not entry.is_file() or skip_file(entry.name):
                    continue
                link = entry.is_symlink()
                if link and not _inside(entry.path, real_root):
                    continue
            except OSError:
                continue
            analyser = analyser_for(PurePath(entry.path))
            if analyser is not None and _first_time(entry.path, seen, resolve=link):
                yield entry.path, analyser
        stack.extend(reversed(subdirs))


def _inside(path: str, real_root: str) -> bool:
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _first_time(path: str, seen: set[str], *, resolve: bool = True) -> bool:
    """Overlapping roots and links inside the tree yield each file once."""
    real = os.path.realpath(path) if resolve else os.path.abspath(path)  # noqa: PTH100 (str)
    if real in seen:
        return False
    seen.add(real)
    return True


def _read(path: str) -> bytes | None:
    file = Path(path)
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            return None
        data = file.read_bytes()
    except OSError:
        return None
    return None if is_minified(data) else data


def is_minified(data: bytes) -> bool:
    """A bundle or minified file (``main.7416479b.js``, a vendored ``jquery.min.js`` under
    another name): built from sources, not one; its few huge lines also make every lookup
    in it slow. Lines of 2,000 bytes or more that hold most of the text say so."""
    if len(data) < 20_000:
        return False
    long_lines = sum(len(line) for line in data.split(b"\n") if len(line) >= 2_000)
    return long_lines * 2 > len(data)
