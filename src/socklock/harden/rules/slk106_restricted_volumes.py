"""Pods may use only the volume types of the restricted profile.

## What it does
Checks that every entry of `spec.volumes` is one of `configMap`, `csi`, `downwardAPI`,
`emptyDir`, `ephemeral`, `image`, `persistentVolumeClaim`, `projected` or `secret` (the
restricted profile). At the restricted level this rule replaces the baseline hostPath
rule (SLK114).

## Why is this bad?
Other inline volume types (`hostPath`, `nfs`, `gitRepo`, cloud disks...) reach outside
the pod's own storage: the node's file system, shared network storage, or a git checkout
run by the kubelet. Storage for a pod belongs in a PersistentVolumeClaim managed by an
administrator.

## Example
```yaml
volumes:
  - name: data
    nfs: {server: nfs.example, path: /exports}
```
Use instead:
```yaml
volumes:
  - name: data
    persistentVolumeClaim: {claimName: data}
```

## Fix safety
Display-only: the replacement storage has to be provisioned by someone.

## References
- Pod Security Standards, restricted: "Volume Types".
- kubernetes/pod-security-admission `policy/check_restrictedVolumes.go`.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import pod_path, pss_reference, quoted
from socklock.harden.rule import Level, PssCheck, WorkloadRule
from socklock.model import Applicability, Finding, Fix, Severity, Workload

REASON = "restricted volume types"
ALLOWED = (
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
)
KNOWN = (
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "storageos",
)


def volume_type(volume: dict[str, object]) -> str | None:
    """The restricted type a volume uses, or None when it is allowed."""
    if any(volume.get(kind) is not None for kind in ALLOWED):
        return None
    for kind in KNOWN:
        if volume.get(kind) is not None:
            return kind
    return "unknown"


class RestrictedVolumes(WorkloadRule):
    id = "SLK106"
    name = "restricted-volumes"
    title = "Volumes must be of the restricted profile's types"
    severity = Severity.MEDIUM
    pss = PssCheck("restrictedVolumes", Level.RESTRICTED, (0,), overrides=("hostPathVolumes",))
    references = pss_reference("Volume Types", "restricted", "check_restrictedVolumes.go")
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        volumes = workload.pod_spec.get("volumes")
        if not isinstance(volumes, list):
            return
        for index, volume in enumerate(volumes):
            if not isinstance(volume, dict):
                continue
            kind = volume_type(volume)
            if kind is None:
                continue
            name = str(volume.get("name", f"#{index}"))
            path = (
                pod_path(workload, "volumes", index, kind)
                if kind != "unknown"
                else pod_path(workload, "volumes", index)
            )
            yield self.object_finding(
                workload.obj,
                path,
                f'{REASON} (volume {quoted(name)} uses restricted volume type "{kind}")',
                Fix(
                    Applicability.DISPLAY_ONLY,
                    f"replace volume {quoted(name)} by a persistentVolumeClaim, emptyDir, "
                    "configMap, secret or projected volume",
                    workload.obj.location.file,
                    (),
                ),
                stable_path=f"volumes[name={name}]",
            )
