"""The few system calls the lab makes: ``ip``, ``nft`` and processes it started itself.

Safety rules, enforced here rather than trusted to callers:

- every name the lab creates (network namespaces, links, the nftables table) starts with
  :data:`PREFIX`; :func:`delete_namespaces` refuses a prefix that does not;
- nothing in the root network namespace is changed: the bridge lives in a namespace of its
  own, so no interface, route, sysctl or nftables table of the machine is touched;
- a process is stopped only by the pid the lab recorded when it started it, and only when
  that pid still runs the lab's agent (a recycled pid is left alone).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from socklock.errors import SocklockError

PREFIX = "socklock-"
AGENT = Path(__file__).with_name("_agent.py")
NETNS_DIR = Path("/run/netns")
ETC_NETNS = Path("/etc/netns")  # per-namespace /etc files that `ip netns exec` mounts


class LabError(SocklockError):
    """The lab could not do what was asked (a command failed, a namespace is missing...)."""


class LabUnavailable(LabError):
    """The machine cannot run the lab: not root, or ``ip``/``nft`` missing."""


def unavailable() -> str | None:
    """Why the lab cannot run here, or None when it can."""
    if sys.platform != "linux":
        return "the lab needs Linux network namespaces"
    if os.geteuid() != 0:
        return "the lab needs root (network namespaces and nftables): run it with sudo"
    missing = [tool for tool in ("ip", "nft") if shutil.which(tool) is None]
    if missing:
        return (
            f"the lab needs {' and '.join(missing)} "
            "(Debian packages iproute2 and nftables: make debs)"
        )
    return None


def require() -> None:
    reason = unavailable()
    if reason is not None:
        raise LabUnavailable(reason)


def run(argv: Sequence[str], stdin: str | None = None, timeout: float = 30.0) -> str:
    """Run a command; its stdout, or :class:`LabError` with its stderr."""
    try:
        done = subprocess.run(
            list(argv), input=stdin, capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LabError(f"{argv[0]}: {exc}") from exc
    if done.returncode != 0:
        command = " ".join(argv[:6]) + (" ..." if len(argv) > 6 else "")
        raise LabError(f"`{command}` failed: {done.stderr.strip() or done.returncode}")
    return done.stdout


def run_all(commands: Sequence[tuple[Sequence[str], str | None]], timeout: float = 30.0) -> None:
    """Run commands concurrently (each ``(argv, stdin)``); the first failure is raised."""
    procs = [
        (
            argv,
            stdin,
            subprocess.Popen(
                list(argv),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            ),
        )
        for argv, stdin in commands
    ]
    errors: list[str] = []
    for argv, stdin, proc in procs:
        try:
            _, err = proc.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            err = "timed out"
        if proc.returncode != 0:
            errors.append(f"`{' '.join(argv[:6])}`: {err.strip()}")
    if errors:
        raise LabError("; ".join(errors))


def netns_exec(namespace: str, argv: Sequence[str]) -> list[str]:
    return ["ip", "netns", "exec", namespace, *argv]


def agent_argv() -> list[str]:
    return [sys.executable, "-I", "-S", str(AGENT)]


def namespaces(prefix: str = PREFIX) -> list[str]:
    """Network namespaces whose name starts with ``prefix`` (always within socklock's)."""
    _check_prefix(prefix)
    if not NETNS_DIR.is_dir():
        return []
    return sorted(p.name for p in NETNS_DIR.iterdir() if p.name.startswith(prefix))


def _check_prefix(prefix: str) -> None:
    if not prefix.startswith(PREFIX):
        raise LabError(f"refusing to touch namespaces outside {PREFIX}*: {prefix!r}")


def namespace_pids(namespace: str) -> list[int]:
    _check_prefix(namespace)
    try:
        out = run(["ip", "netns", "pids", namespace])
    except LabError:
        return []
    return [int(word) for word in out.split() if word.isdigit()]


def is_agent(pid: int) -> bool:
    """True when ``pid`` runs the lab's agent (so it is ours to stop)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return str(AGENT).encode() in cmdline


def stop(pids: Sequence[int], grace: float = 1.0) -> list[int]:
    """SIGTERM the lab's agents among ``pids`` (then SIGKILL); the pids actually stopped."""
    ours = [pid for pid in pids if is_agent(pid)]
    for pid in ours:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for pid in ours:
        while is_agent(pid) and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.01)
        if is_agent(pid):
            _signal(pid, signal.SIGKILL)
        _reap(pid)
    return ours


def _signal(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


def _reap(pid: int) -> None:
    """Collect a child of ours that has exited, so it is not left a zombie."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def etc_netns(namespace: str) -> Path:
    """The folder of ``namespace``'s own /etc files (its hosts file)."""
    _check_prefix(namespace)
    return ETC_NETNS / namespace


def stop_started(processes: Sequence[subprocess.Popen[bytes]], grace: float = 2.0) -> None:
    """Stop processes this process started (their Popen: the pid cannot have been reused,
    they are not reaped yet): SIGTERM, then SIGKILL after ``grace`` seconds."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def delete_namespaces(prefix: str) -> list[str]:
    """Stop the lab's agents inside, then delete every namespace named ``prefix*`` and its
    /etc/netns folder."""
    found = namespaces(prefix)
    pids = [pid for name in found for pid in namespace_pids(name)]
    stop(pids)
    for name in found:
        try:
            run(["ip", "netns", "del", name])
        except LabError:
            continue
    if ETC_NETNS.is_dir():
        for folder in ETC_NETNS.iterdir():
            if folder.name.startswith(prefix) and folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            ETC_NETNS.rmdir()  # only when empty: it may hold other tools' folders
    return found
