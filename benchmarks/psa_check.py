"""The Pod Security Standards restricted profile, checked after ``--fix`` by an implementation
that is not ours: checkov's Kubernetes checks that correspond to the profile's controls.

The reference would be the admission library itself (``k8s.io/pod-security-admission``);
it is Go, and this machine has Debian's Go 1.19 and no Go module proxy, so it cannot be
built here. checkov (``make checkov``: its own virtualenv, hash-pinned) is the independent
implementation used instead. Its checks cover the profile in part, and one differs:
checkov compares capability names without case (``drop: [all]`` passes it, not the
admission code); socklock's fix writes ``ALL``, which both accept. The controls with no
checkov check (volume types, procMount, AppArmor, SELinux, sysctls, probe hosts) are not
checked here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

# checkov id -> the restricted-profile control it checks (baseline controls included: the
# restricted profile contains the baseline)
CHECKS = {
    "CKV_K8S_16": "privileged",
    "CKV_K8S_17": "hostPID",
    "CKV_K8S_18": "hostIPC",
    "CKV_K8S_19": "hostNetwork",
    "CKV_K8S_20": "allowPrivilegeEscalation",
    "CKV_K8S_23": "runAsNonRoot",
    "CKV_K8S_26": "hostPort",
    "CKV_K8S_27": "hostPath docker.sock",
    "CKV_K8S_28": "capabilities NET_RAW",
    "CKV_K8S_31": "seccompProfile",
    "CKV_K8S_37": "capabilities drop ALL",
    "CKV_K8S_39": "capabilities SYS_ADMIN",
}
REPO = Path(__file__).resolve().parents[1]


def checkov() -> str | None:
    """The checkov command: ``SOCKLOCK_CHECKOV``, the project's ``.venv-checkov``, or PATH."""
    named = os.environ.get("SOCKLOCK_CHECKOV")
    if named:
        return named if Path(named).exists() else None
    local = REPO / ".venv-checkov" / "bin" / "checkov"
    if local.exists():
        return str(local)
    return shutil.which("checkov")


Key = tuple[str, str]  # (absolute file, "Kind namespace/name")


def failures(paths: Sequence[str], checks: Iterable[str] = CHECKS) -> dict[Key, set[str]]:
    """(file, resource) -> failed check ids, for every manifest under ``paths`` that
    checkov reads."""
    command = checkov()
    if command is None:
        raise FileNotFoundError("checkov is not installed (make checkov)")
    failed: dict[Key, set[str]] = {}
    for path in paths:
        flag = "-d" if Path(path).is_dir() else "-f"
        run = subprocess.run(
            [
                *(command, flag, path, "--framework", "kubernetes", "--check", ",".join(checks)),
                *("--quiet", "--compact", "--skip-download", "-o", "json"),
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": ""},
        )
        if not run.stdout.strip():
            continue
        reports = json.loads(run.stdout)
        for report in reports if isinstance(reports, list) else [reports]:
            results = report.get("results", {}) if isinstance(report, dict) else {}
            for check in results.get("failed_checks", []):
                key = (str(Path(check["file_abs_path"]).resolve()), _ref(check["resource"]))
                failed.setdefault(key, set()).add(check["check_id"])
    return failed


def _ref(resource: str) -> str:
    """checkov's ``Deployment.shop.carts`` (or ``Pod.default.p``) as socklock's object ref."""
    kind, _, rest = resource.partition(".")
    namespace, _, name = rest.partition(".")
    return f"{kind} {namespace}/{name}"


def check_restricted(paths: Sequence[str], objects: set[Key], before: dict[Key, set[str]]) -> str:
    """Of ``objects`` (those whose restricted-profile findings all had a fix), how many
    failed checkov's corresponding checks before the fix (``before``) and how many pass
    them on the fixed files."""
    if not objects:
        return "no workload to check"
    try:
        failed = failures(paths)
    except (OSError, ValueError) as exc:
        return f"not checked ({exc})"
    bad = sorted(key for key in objects if _lookup(failed, key))
    failing_before = sum(1 for key in objects if _lookup(before, key))
    shown = "; ".join(
        f"{ref}: {', '.join(sorted(_lookup(failed, (f, ref))))}" for f, ref in bad[:3]
    )
    verdict = (
        f"checkov: {len(objects) - len(bad)}/{len(objects)} pass "
        f"({failing_before} failed before the fix)"
    )
    return verdict + (f"; still failing: {shown}" if bad else "")


def _lookup(failed: dict[Key, set[str]], key: Key) -> set[str]:
    """checkov names a namespace-less object's namespace ``default``."""
    file, ref = key
    file = str(Path(file).resolve())
    if (file, ref) in failed:
        return failed[(file, ref)]
    kind, _, rest = ref.partition(" ")
    if rest.startswith("/"):
        return failed.get((file, f"{kind} default{rest}"), set())
    return set()
