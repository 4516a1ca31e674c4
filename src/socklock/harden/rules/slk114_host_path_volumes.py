"""Pods must not mount ``hostPath`` volumes.

## What it does
Checks that no entry of `spec.volumes` is a `hostPath` (the baseline profile). At the
restricted level SLK106 replaces it.

## Why is this bad?
A hostPath volume reads or writes the node's own file system: the kubelet's credentials,
the container runtime's socket, other pods' data.

## Example
```yaml
volumes:
  - name: docker
    hostPath: {path: /var/run/docker.sock}
```
Use instead: an `emptyDir`, a `configMap`/`secret`, or a PersistentVolumeClaim.

## Fix safety
Display-only: what should replace the host's files depends on why they were mounted.

## References
- Pod Security Standards, baseline: "HostPath Volumes".
- kubernetes/pod-security-admission `policy/check_hostPathVolumes.go`.
- CIS Docker Benchmark 1.6.0, 5.6: ensure sensitive host system directories are not
  mounted on containers.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import pod_path, pss_reference, quoted
from socklock.harden.rule import Level, PssCheck, Reference, WorkloadRule
from socklock.model import Applicability, Finding, Fix, Severity, Workload


class HostPathVolumes(WorkloadRule):
    id = "SLK114"
    name = "host-path-volumes"
    title = "Pods must not use hostPath volumes"
    severity = Severity.HIGH
    pss = PssCheck("hostPathVolumes", Level.BASELINE, (0,))
    references = (
        *pss_reference("HostPath Volumes", "baseline", "check_hostPathVolumes.go"),
        Reference(
            "CIS Docker 1.6.0",
            "5.6",
            "Ensure sensitive host system directories are not mounted on containers",
        ),
    )
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        volumes = workload.pod_spec.get("volumes")
        if not isinstance(volumes, list):
            return
        for index, volume in enumerate(volumes):
            if not isinstance(volume, dict) or volume.get("hostPath") is None:
                continue
            name = str(volume.get("name", f"#{index}"))
            yield self.object_finding(
                workload.obj,
                pod_path(workload, "volumes", index, "hostPath"),
                f"hostPath volumes (volume {quoted(name)})",
                Fix(
                    Applicability.DISPLAY_ONLY,
                    f"replace hostPath volume {quoted(name)} by an emptyDir, configMap, secret "
                    "or persistentVolumeClaim",
                    workload.obj.location.file,
                    (),
                ),
                stable_path=f"volumes[name={name}].hostPath",
            )
