"""Render a kustomization with ``kubectl kustomize DIR``, as a user would pipe it.

kubectl is run without a shell, with a time limit and no standard input; its output is
a manifest stream read as ``-`` is, named ``DIR/<kubectl kustomize>`` so that evidence
says which kustomization made an object and the line of the rendered stream. A
kustomization that names a remote base (a git or http URL) is not rendered: kustomize
would fetch it, and socklock reads only what it is given.
"""

# ruff: noqa: PTH100, PTH118, PTH120
# (the display paths the walk gives, joined as strings)

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from socklock.load.limits import MIB, Limits
from socklock.model import Diagnostic, DiagnosticLevel, Location

if TYPE_CHECKING:
    from socklock.load.kustomize import Kustomization

TIMEOUT_SECONDS = 120
MAX_WORKERS = 4  # kubectl processes at once
# Go's collector, for kubectl when the user's environment does not set it: kustomize
# allocates hard on big CRDs, and collecting at 4x the live heap rather than 2x halved its
# CPU time on 12 MB of them (same output); the memory limit makes it collect sooner again
# before a huge rendering's heap passes 1 GiB.
_GO_COLLECTOR = {"GOGC": "400", "GOMEMLIMIT": "1GiB"}
RENDERED = "<kubectl kustomize>"  # the stream's file name, in the kustomization's directory
_KLOG = re.compile(r'^E\d{4} [^\]]*\] "command failed" err="(?P<err>.*)"$')


@dataclass(frozen=True, slots=True)
class Rendered:
    name: str  # DIR/<kubectl kustomize>
    text: bytes
    notes: tuple[Diagnostic, ...] = ()  # templates read in place of missing env files


# kustomize's load restrictor refusing a file outside the kustomization's root
_RESTRICTED = b"is not in or below"


def command(directory: str) -> str:
    """What the user can run instead: the stream socklock would have read."""
    return f"kubectl kustomize {_quoted(directory)} | socklock scan -"


def stream_name(directory: str) -> str:
    return os.path.join(directory, RENDERED)


def kubectl() -> str | None:
    """The kubectl on PATH (Debian's ``kubernetes-client`` has ``kubectl kustomize``)."""
    return shutil.which("kubectl")


def render_all(
    trees: Sequence[Sequence[Kustomization]], limits: Limits, workers: int | None = None
) -> list[Rendered | Diagnostic]:
    """:func:`render` each kustomization (``tree[0]``, with the ones it builds on), in order.

    Each rendering is its own kubectl process, so they run side by side, ``workers`` at a
    time (default: one per CPU, at most :data:`MAX_WORKERS`): overlays of one repository
    often each render the same big CRDs (seconds of kubectl each)."""
    jobs = [
        (
            os.path.dirname(tree[0].file) or ".",
            tree[0].file,
            tuple(r for k in tree for r in k.remote),
            limits,
            tuple(m for k in tree for m in k.missing),
            tree,
        )
        for tree in trees
    ]
    count = min(len(jobs), workers if workers is not None else _cpus())
    if count <= 1:
        return [render(*job) for job in jobs]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda job: render(*job), jobs))


def _cpus() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_WORKERS))


def render(
    directory: str,
    file: str,
    remote: tuple[str, ...],
    limits: Limits,
    missing: tuple[str, ...] = (),
    tree: Sequence[Kustomization] = (),
) -> Rendered | Diagnostic:
    """The rendered stream of the kustomization in ``directory`` (``file`` is its
    kustomization file, for messages), or the one line that says why it was not.

    ``tree``: the kustomization and those it builds on; a generator's env file they name
    that a new clone lacks is read from its committed template (:mod:`.kustomize_mirror`).

    ``missing``: files it names that are not there (a ``.env`` a deploy tool writes, a
    chart a CI step renders to ``all.yaml``): kustomize would fail on them, so it is not
    run, and the line says which file is missing rather than kubectl's error."""
    where = Location(file)
    if missing:
        return Diagnostic(
            where,
            f"not rendered: it names {os.path.relpath(missing[0], os.path.dirname(file) or '.')}"
            ", which is not there (made by a build or deploy step?); its files are read as "
            f"written: {command(directory)}",
            DiagnosticLevel.WARNING,
        )
    if remote:
        return Diagnostic(
            where,
            f"not rendered: it builds on {remote[0]}, which kustomize would fetch from the "
            f"network; socklock reads only local files: {command(directory)}",
            DiagnosticLevel.WARNING,
        )
    program = kubectl()
    if program is None:
        return Diagnostic(
            where,
            "not rendered: kubectl is not installed (Debian: apt-get install "
            "kubernetes-client); its files are read as written, without what kustomize "
            f"changes: {command(directory)}",
            DiagnosticLevel.WARNING,
        )
    from socklock.load.kustomize_mirror import copied_bytes, mirrored, stand_ins

    templates = stand_ins(tree)
    if templates and copied_bytes(tree) > limits.max_file_bytes:
        return Diagnostic(
            where,
            f"not rendered: its files are over the {limits.max_file_bytes / MIB:.0f} MiB "
            "limit for a copy with env templates in place; its files are read as written: "
            f"{command(directory)}",
            DiagnosticLevel.WARNING,
        )
    unrestricted = False
    try:
        if templates:
            with mirrored(tree, os.path.abspath(directory)) as copy:
                done = _kustomize(program, copy)
        else:
            done = _kustomize(program, directory)
            if done.returncode != 0 and _RESTRICTED in done.stderr:
                # a file (a symlink) outside the kustomization's root: Flux builds with
                # LoadRestrictionsNone, Argo CD with a build option; read as they render it
                retried = _kustomize(program, directory, unrestricted=True)
                unrestricted = retried.returncode == 0
                done = retried if unrestricted else done
    except subprocess.TimeoutExpired:
        return Diagnostic(
            where,
            f"kubectl kustomize did not finish in {TIMEOUT_SECONDS} s; its files are read as "
            f"written: {command(directory)}",
        )
    except OSError as exc:
        return Diagnostic(where, f"cannot run kubectl: {exc.strerror or exc}")
    if done.returncode != 0:
        old = _old_kubectl(program)
        return Diagnostic(
            where,
            f"kubectl kustomize failed: {_reason(done.stderr)}"
            + (f" ({old})" if old else "")
            + f"; its files are read as written: {command(directory)}",
            DiagnosticLevel.WARNING if old else DiagnosticLevel.ERROR,
        )
    if len(done.stdout) > limits.max_file_bytes:
        return Diagnostic(
            where,
            f"kubectl kustomize printed {len(done.stdout) / MIB:.1f} MiB, over the "
            f"{limits.max_file_bytes / MIB:.0f} MiB limit for one input",
        )
    notes = tuple(
        Diagnostic(
            Location(k.file),
            f"{os.path.relpath(gone, k.directory)} is not there (kept out of git?); rendered "
            f"with the template {os.path.relpath(template, k.directory)} in its place",
            DiagnosticLevel.WARNING,
        )
        for k in tree
        for gone, template in k.stand_ins
    )
    if unrestricted:
        notes += (
            Diagnostic(
                where,
                "rendered with --load-restrictor=LoadRestrictionsNone: it reads a file "
                "outside its directory (a symlink), which kubectl apply -k refuses without it",
                DiagnosticLevel.WARNING,
            ),
        )
    return Rendered(stream_name(directory), done.stdout, notes)


def _kustomize(
    program: str, directory: str, *, unrestricted: bool = False
) -> subprocess.CompletedProcess[bytes]:
    flags = ["--load-restrictor=LoadRestrictionsNone"] if unrestricted else []
    return subprocess.run(  # no shell: the directory is one argument
        [program, "kustomize", *flags, directory],
        stdin=subprocess.DEVNULL,
        env={**_GO_COLLECTOR, **os.environ},
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def _old_kubectl(program: str) -> str | None:
    """Why this kubectl may fail where a newer one would not, or None.

    kubectl before 1.21 (Debian bookworm's ``kubernetes-client`` is 1.20) embeds kustomize
    2.0.3, which knows no ``components``, no directory under ``resources`` and no newer
    patch forms: its failure is the tool's limit, not the input's fault (a warning)."""
    try:
        done = subprocess.run(
            [program, "version", "--client", "-o", "json"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=30,
            check=False,
        )
        version = json.loads(done.stdout)["clientVersion"]
        major, minor = int(version["major"]), int(re.sub(r"\D.*", "", version["minor"]))
    except (OSError, subprocess.TimeoutExpired, ValueError, KeyError, TypeError):
        return None
    if (major, minor) >= (1, 21):
        return None
    return (
        f"kubectl {version.get('gitVersion', f'{major}.{minor}')} embeds kustomize 2.0.3; "
        "kubectl 1.21 or later reads newer kustomizations"
    )


def _reason(stderr: bytes) -> str:
    """The error kubectl printed: its last line that is not a deprecation warning."""
    lines = [
        line.strip()
        for line in stderr.decode("utf-8", "replace").splitlines()
        if line.strip() and not line.startswith("# Warning")
    ]
    if not lines:
        return "no message"
    last = lines[-1]
    match = _KLOG.match(last)
    if match is not None:
        last = match["err"].replace('\\"', '"')
    return last.removeprefix("Error: ")


def _quoted(path: str) -> str:
    import shlex

    return shlex.quote(path)
