"""Objects defined twice: the same kind, namespace and name in two places of the input.

A cluster keeps one object per name, the one applied last; socklock reads every copy, so
a map or a verdict can differ from the cluster's. Said once per pair of files, naming the
first object and how many more of the same two files collide.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from socklock.model import Diagnostic, DiagnosticLevel, K8sObject

ObjectKey = tuple[str, str, str | None, str]


def object_key(obj: K8sObject) -> ObjectKey:
    """API group (not version: apps/v1 and apps/v1beta2 name the same object), kind,
    namespace, name."""
    group = obj.api_version.rsplit("/", 1)[0] if "/" in obj.api_version else ""
    return (group, obj.kind, obj.namespace, obj.name)


def duplicate_objects(
    objects: Iterable[K8sObject], variants: frozenset[str] = frozenset()
) -> Iterator[Diagnostic]:
    """One warning per pair of files that define the same objects, at the later copy.

    Two of ``variants`` (renderings of kustomize overlays) repeat objects by design: they
    are alternative deployments, which :mod:`socklock.discover.deployments` chooses from."""
    first: dict[ObjectKey, K8sObject] = {}
    pairs: dict[tuple[str, str], list[tuple[K8sObject, K8sObject]]] = {}
    for obj in objects:
        seen = first.setdefault(object_key(obj), obj)
        if seen is not obj and not {seen.location.file, obj.location.file} <= variants:
            pairs.setdefault((seen.location.file, obj.location.file), []).append((seen, obj))
    for (_, _), found in pairs.items():
        original, again = found[0]
        more = f", and {len(found) - 1} more object(s) of that file here too" if found[1:] else ""
        yield Diagnostic(
            again.location,
            f"{again.ref} is defined again (first at {original.location}){more}: a cluster "
            "keeps only the copy applied last; socklock reads every copy",
            DiagnosticLevel.WARNING,
        )
