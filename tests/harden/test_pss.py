"""Pod Security Standards semantics, as kubernetes/pod-security-admission v0.36 defines them:
levels, versions, overrides, precedence, exemptions."""

from __future__ import annotations

from pathlib import Path

import pytest

from socklock.harden import HardenOptions, Level, active_rules, audit, parse_pss_version
from socklock.load import load_paths

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: ns
  annotations: {annotations}
spec:
{spec}"""

RESTRICTED_OK_CONTAINER = """\
    - name: c
      image: app:1.0
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: {drop: ["ALL"]}
"""


def pss_ids(path: Path, level: str = "restricted", version: str = "latest") -> list[str]:
    options = HardenOptions(level=Level(level), pss_version=parse_pss_version(version))
    result = audit(load_paths([str(path)]), options)
    return sorted({f.rule_id for f in result.findings if f.rule_id.startswith("SLK1")})


def pod(write, spec: str, annotations: str = "{}") -> Path:  # type: ignore[no-untyped-def]
    return write("pod.yaml", POD.format(spec=spec, annotations=annotations))


def test_check_counts_match_the_admission_code() -> None:
    baseline = active_rules(HardenOptions(level=Level.BASELINE))
    restricted = active_rules(HardenOptions(level=Level.RESTRICTED))
    pss_baseline = [r for r in baseline if r.pss is not None]
    pss_restricted = [r for r in restricted if r.pss is not None]
    assert len(pss_baseline) == 12
    # restricted = 7 restricted checks + the 12 baseline ones minus the 4 they override
    assert len([r for r in pss_restricted if r.pss and r.pss.level is Level.RESTRICTED]) == 7
    assert len(pss_restricted) == 7 + 12 - 4


def test_overrides_follow_the_version() -> None:
    def ids(version: str) -> set[str]:
        options = HardenOptions(level=Level.RESTRICTED, pss_version=parse_pss_version(version))
        return {r.pss.check_id for r in active_rules(options) if r.pss is not None}

    assert "capabilities_baseline" in ids("v1.21") and "capabilities_restricted" not in ids("v1.21")
    assert "capabilities_baseline" not in ids("v1.22")
    assert "procMount" in ids("v1.34") and "procMount_restricted" not in ids("v1.34")
    assert "procMount" not in ids("v1.35") and "procMount_restricted" in ids("v1.35")
    assert "runAsUser" not in ids("v1.22") and "runAsUser" in ids("v1.23")
    assert "hostProbesAndHostLifecycle" not in ids("v1.33")
    assert "hostProbesAndHostLifecycle" in ids("latest")


def test_version_parsing() -> None:
    assert parse_pss_version("latest") == 36
    assert parse_pss_version("v1.30") == 30
    assert parse_pss_version("v1.99") == 36  # newer than known: evaluated as latest
    from socklock.errors import UsageError

    with pytest.raises(UsageError):
        parse_pss_version("1.x")


def test_pod_level_run_as_non_root_covers_containers(write) -> None:  # type: ignore[no-untyped-def]
    spec = (
        "  securityContext:\n    runAsNonRoot: true\n    seccompProfile: {type: RuntimeDefault}\n"
    )
    spec += "  containers:\n" + RESTRICTED_OK_CONTAINER
    assert pss_ids(pod(write, spec)) == []


def test_container_level_overrides_pod_level(write) -> None:  # type: ignore[no-untyped-def]
    spec = (
        "  securityContext:\n    runAsNonRoot: true\n    seccompProfile: {type: RuntimeDefault}\n"
    )
    spec += "  containers:\n" + RESTRICTED_OK_CONTAINER + "        runAsNonRoot: false\n"
    assert pss_ids(pod(write, spec)) == ["SLK101"]


def test_host_users_false_relaxes_from_1_35(write) -> None:  # type: ignore[no-untyped-def]
    spec = "  hostUsers: false\n  securityContext:\n    seccompProfile: {type: RuntimeDefault}\n"
    spec += "  containers:\n" + RESTRICTED_OK_CONTAINER + "        runAsUser: 0\n"
    path = pod(write, spec)
    assert pss_ids(path, version="v1.35") == []
    assert pss_ids(path, version="v1.34") == ["SLK101", "SLK102"]


def test_proc_mount_baseline_relaxed_restricted_not(write) -> None:  # type: ignore[no-untyped-def]
    spec = "  hostUsers: false\n  containers:\n    - name: c\n      image: a:1\n"
    spec += "      securityContext: {procMount: Unmasked}\n"
    path = pod(write, spec)
    assert pss_ids(path, level="baseline") == []
    assert "SLK107" in pss_ids(path, level="restricted")
    assert pss_ids(path, level="baseline", version="v1.34") == ["SLK118"]


def test_windows_pods_are_exempt_from_some_restricted_checks(write) -> None:  # type: ignore[no-untyped-def]
    spec = "  os: {name: windows}\n  securityContext: {runAsNonRoot: true}\n"
    spec += "  containers:\n    - name: c\n      image: a:1\n"
    path = pod(write, spec)
    assert pss_ids(path) == []
    assert pss_ids(path, version="v1.24") == ["SLK103", "SLK104", "SLK105"]


def test_lowercase_all_fails_restricted(write) -> None:  # type: ignore[no-untyped-def]
    spec = "  securityContext: {runAsNonRoot: true, seccompProfile: {type: Localhost}}\n"
    spec += "  containers:\n    - name: c\n      image: a:1\n      securityContext:\n"
    spec += "        allowPrivilegeEscalation: false\n        capabilities: {drop: [all]}\n"
    assert pss_ids(pod(write, spec)) == ["SLK104"]


def test_sysctls_allow_list_grows_with_versions(write) -> None:  # type: ignore[no-untyped-def]
    spec = "  securityContext:\n    sysctls: [{name: net.ipv4.tcp_rmem, value: '1 2 3'}]\n"
    spec += "  containers:\n    - name: c\n      image: a:1\n"
    path = pod(write, spec)
    assert pss_ids(path, level="baseline") == []
    assert pss_ids(path, level="baseline", version="v1.31") == ["SLK120"]


def test_selinux_container_engine_t_from_1_31(write) -> None:  # type: ignore[no-untyped-def]
    spec = "  securityContext:\n    seLinuxOptions: {type: container_engine_t}\n"
    spec += "  containers:\n    - name: c\n      image: a:1\n"
    path = pod(write, spec)
    assert pss_ids(path, level="baseline") == []
    assert pss_ids(path, level="baseline", version="v1.30") == ["SLK117"]


def test_seccomp_annotations_before_1_19(write) -> None:  # type: ignore[no-untyped-def]
    spec = "  containers:\n    - name: c\n      image: a:1\n"
    path = pod(write, spec, "{seccomp.security.alpha.kubernetes.io/pod: unconfined}")
    assert pss_ids(path, level="baseline", version="v1.18") == ["SLK119"]
    assert pss_ids(path, level="baseline", version="v1.19") == []


def test_ephemeral_and_init_containers_are_checked(write) -> None:  # type: ignore[no-untyped-def]
    spec = "  containers:\n    - name: c\n      image: a:1\n"
    spec += "  initContainers:\n    - name: i\n      image: a:1\n"
    spec += "      securityContext: {privileged: true}\n"
    spec += "  ephemeralContainers:\n    - name: e\n      image: a:1\n"
    spec += "      securityContext: {capabilities: {add: [SYS_PTRACE]}}\n"
    assert pss_ids(pod(write, spec), level="baseline") == ["SLK112", "SLK113"]


def test_messages_mirror_the_admission_code(write) -> None:  # type: ignore[no-untyped-def]
    spec = "  hostNetwork: true\n  containers:\n    - name: c\n      image: a:1\n"
    spec += "      ports: [{containerPort: 80, hostPort: 80}]\n"
    result = audit(load_paths([str(pod(write, spec))]), HardenOptions(level=Level.BASELINE))
    messages = {f.rule_id: f.message for f in result.findings}
    assert messages["SLK111"] == "host namespaces (hostNetwork=true)"
    assert messages["SLK115"] == 'hostPort (container "c" uses hostPort 80)'
