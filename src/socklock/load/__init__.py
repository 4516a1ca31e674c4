"""Read inputs into an :class:`Inventory`: Kubernetes YAML/JSON, compose files, Dockerfiles.

Problems never stop the load: each becomes a :class:`Diagnostic` naming file:line, and the
rest of the input is still read. Memory stays bounded by the per-file limit.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from socklock.gcpause import paused_gc
from socklock.load.argocd import destination_namespace
from socklock.load.claims import (
    has_placeholder_identity,
    is_manifest,
    is_template_text,
    is_ytt_template,
    read_jsonc,
    text_claims_input,
)
from socklock.load.compose import (
    is_compose,
    is_compose_file_name,
    is_compose_include,
    is_compose_v1,
)
from socklock.load.compose_project import ComposeFile, assemble_projects
from socklock.load.crd import restore_schema_strings
from socklock.load.dockerfile import load_dockerfile
from socklock.load.duplicates import duplicate_objects
from socklock.load.helm import chart_notices
from socklock.load.kubernetes import KubernetesObjects, add_document, looks_like_manifest
from socklock.load.kustomize import closure, read_kustomizations, top_level
from socklock.load.kustomize_render import RENDERED, Rendered, render_all
from socklock.load.limits import DEFAULT_LIMITS, Limits
from socklock.load.text import decode_text, read_text
from socklock.load.units import find_units
from socklock.load.walk import FileKind, InputFile, walk
from socklock.load.yamlread import Document, Restart, load_json, stream_yaml
from socklock.model import (
    Diagnostic,
    Dockerfile,
    Inventory,
    Location,
    SkipKind,
    Skipped,
)

__all__ = ["STDIN", "Limits", "load_paths"]

CRD_KIND = "CustomResourceDefinition"
STDIN = "-"  # the path argument that means standard input
STDIN_DISPLAY = "<stdin>"


def load_paths(
    paths: Sequence[str],
    limits: Limits = DEFAULT_LIMITS,
    *,
    stdin: bytes | None = None,
    streams: Mapping[str, bytes] | None = None,
    problems: Sequence[Diagnostic] = (),
    render_kustomize: bool = True,
) -> Inventory:
    """Load every input under ``paths`` (files or directories).

    ``-`` among the paths is ``stdin``: a manifest stream (``helm template ... | socklock
    map -``), shown as ``<stdin>`` in messages; it holds no code and no build units.
    ``streams`` are more manifest streams by the name messages give them (a live
    cluster's objects, see :mod:`.cluster`); ``problems`` met while reading them.
    Top-level kustomizations are rendered with ``kubectl kustomize`` unless
    ``render_kustomize`` is false (``harden --fix`` reads the files as written).

    Python's cyclic garbage collector is paused meanwhile: loading builds millions of small
    acyclic objects, and the collector's passes over them doubled the load time.
    """
    with paused_gc():
        given = dict(streams or {})
        if STDIN in paths:
            given[STDIN_DISPLAY] = stdin or b""
        inventory = _load_paths(
            [p for p in paths if p != STDIN], limits, given, render_kustomize=render_kustomize
        )
        if not problems:
            return inventory
        return replace(
            inventory,
            diagnostics=tuple(
                sorted([*inventory.diagnostics, *problems], key=lambda d: d.location)
            ),
        )


def _load_paths(
    paths: Sequence[str], limits: Limits, given: dict[str, bytes], *, render_kustomize: bool
) -> Inventory:
    k8s = KubernetesObjects()
    dockerfiles: list[Dockerfile] = []
    diagnostics: list[Diagnostic] = []
    skipped: list[Skipped] = []
    files: list[str] = []
    compose_files: list[ComposeFile] = []
    inputs: list[InputFile] = []
    streams: dict[str, str] = {}
    for name in given:  # first, in the order given: they name no directory
        inputs.append(InputFile(Path(name), name, FileKind.MANIFEST, explicit=True))
    for entry in walk(list(paths)):
        if isinstance(entry, Diagnostic):
            diagnostics.append(entry)
        elif isinstance(entry, Skipped):
            skipped.append(entry)
        else:
            inputs.append(entry)
    left_to_kustomize, patches, trees = _kustomizations(
        inputs, limits, given, diagnostics, render_kustomize=render_kustomize
    )
    skipped_before = len(skipped)
    for entry in inputs:
        if entry.kind is FileKind.KUSTOMIZATION:
            skipped.append(Skipped(entry.display, SkipKind.KNOWN_CONFIG, "kustomization"))
            continue
        if not entry.explicit and entry.display not in given:
            where = os.path.abspath(entry.path)  # noqa: PTH100
            if where in patches:
                skipped.append(Skipped(entry.display, SkipKind.KUSTOMIZE_PATCH))
                continue
            if where in left_to_kustomize:
                skipped.append(
                    Skipped(entry.display, SkipKind.KUSTOMIZE_INPUT, left_to_kustomize[where])
                )
                continue
        files.append(entry.display)
        # a rendered stream comes after every file: the Argo CD Applications are read
        namespace = destination_namespace(k8s.objects, trees.get(entry.display, ()))
        problems, skip = _load_file(
            entry, limits, k8s, compose_files, dockerfiles, given, streams, namespace or "default"
        )
        diagnostics.extend(problems)
        if skip is not None:
            skipped.append(Skipped(entry.display, skip))
    diagnostics.extend(chart_notices(skipped[:skipped_before]))
    compose, compose_problems = assemble_projects(compose_files, limits, paths)
    diagnostics.extend(compose_problems)
    diagnostics.extend(k8s.diagnostics)
    rendered = frozenset(n for n in given if n.endswith(RENDERED))
    diagnostics.extend(duplicate_objects(k8s.objects, rendered))
    units, problems = find_units(paths)
    diagnostics.extend(problems)
    return Inventory(
        objects=tuple(k8s.objects),
        workloads=tuple(k8s.workloads),
        services=tuple(k8s.services),
        namespaces=tuple(k8s.namespaces),
        network_policies=tuple(k8s.network_policies),
        ingresses=tuple(k8s.ingresses),
        config_maps=tuple(k8s.config_maps),
        secrets=tuple(k8s.secrets),
        service_accounts=tuple(k8s.service_accounts),
        compose_projects=tuple(compose),
        dockerfiles=tuple(dockerfiles),
        units=tuple(units),
        files=tuple(files),
        roots=tuple(paths),
        diagnostics=tuple(sorted(diagnostics, key=lambda d: d.location)),
        skipped=tuple(skipped),
        streams=streams,
    )


def _kustomizations(
    inputs: list[InputFile],
    limits: Limits,
    given: dict[str, bytes],
    diagnostics: list[Diagnostic],
    *,
    render_kustomize: bool,
) -> tuple[dict[str, str], frozenset[str], dict[str, tuple[str, ...]]]:
    """Render the top-level kustomizations; their streams join ``inputs`` and ``given``.

    Gives the files the rendered ones read (absolute path -> which rendering holds them),
    the patch files of every kustomization (never objects of their own), and the
    directories of the kustomizations each rendered stream holds, by its name."""
    entries = [e for e in inputs if e.kind is FileKind.KUSTOMIZATION]
    if not entries:
        return {}, frozenset(), {}
    found = read_kustomizations(entries, limits, diagnostics)
    patches = frozenset(p for k in found.values() for p in k.patches)
    left: dict[str, str] = {}
    held: dict[str, tuple[str, ...]] = {}
    tops = top_level(found, [str(e.path) for e in entries]) if render_kustomize else []
    trees = [list(closure(found, directory)) for directory in tops]
    for tree, result in zip(trees, render_all(trees, limits), strict=True):
        if not isinstance(result, Rendered):
            diagnostics.append(result)
            continue
        diagnostics.extend(n for n in result.notes if n not in diagnostics)
        given[result.name] = result.text
        held[result.name] = tuple(k.directory for k in tree)
        inputs.append(InputFile(Path(result.name), result.name, FileKind.MANIFEST, explicit=True))
        for kustomization in tree:
            for file in kustomization.reads:
                left.setdefault(file, f"rendered in {result.name}")
    return left, patches, held


def _load_file(
    entry: InputFile,
    limits: Limits,
    k8s: KubernetesObjects,
    compose_files: list[ComposeFile],
    dockerfiles: list[Dockerfile],
    given: dict[str, bytes] | None = None,
    streams: dict[str, str] | None = None,
    namespace: str = "default",
) -> tuple[list[Diagnostic], SkipKind | None]:
    """Read one file; give its problems, or why it is not input (see :mod:`.claims`).
    ``namespace``: where its objects that name none land."""
    if given is not None and entry.display in given:
        text = decode_text(given[entry.display], entry.display, limits)
        if not isinstance(text, Diagnostic) and streams is not None:
            streams[entry.display] = text.text
    else:
        text = read_text(entry.path, entry.display, limits)
    if isinstance(text, Diagnostic):
        return [text], None
    if entry.kind is FileKind.DOCKERFILE:
        dockerfiles.append(load_dockerfile(text.text, entry.display))
        return [], None
    # a stream is YAML whatever its name ends with (an object may be named "app.json")
    is_json = entry.path.suffix.lower() == ".json" and not (given and entry.display in given)
    if not is_json and is_ytt_template(text.text):
        return [], SkipKind.TEMPLATE
    read = _FileDocuments(entry, text.text, namespace)
    for item in (
        load_json(text.text, entry.display, limits)
        if is_json
        else stream_yaml(text.text, entry.display, limits)
    ):
        read.take(item)
    problems = read.problems
    if any(p.message.startswith(("invalid YAML", "invalid JSON")) for p in problems):
        skip = _unparsable(
            text.text, is_json=is_json, explicit=entry.explicit, name=entry.path.name
        )
        if skip is not None:
            return [], skip
    if read.placeholder:
        return [], SkipKind.TEMPLATE
    if read.claimed:
        k8s.extend(read.objects)
        for document in read.others:
            if not looks_like_manifest(document.value) and is_compose(
                document.value, file_name=entry.path.name
            ):
                compose_files.append(ComposeFile(entry.display, document.value, document.line))
        return problems, None
    compose_values = [
        d
        for d in read.others
        if is_compose(d.value, file_name=entry.path.name) or _compose_v1(entry, d.value)
    ]
    if compose_values:
        for document in compose_values:
            compose_files.append(ComposeFile(entry.display, document.value, document.line))
        return problems, None
    if problems:  # a parse error or an alias bomb in a file that claims nothing: still said
        return problems, None
    if entry.explicit:
        line = read.first_line or 1
        problems.append(
            Diagnostic(
                Location(entry.display, line),
                "not a Kubernetes manifest or compose file (no apiVersion/kind, no services)",
            )
        )
        return problems, None
    if read.enveloped:
        return [], SkipKind.TOOL_CONFIG
    return [], SkipKind.JSON_NO_KIND if is_json else SkipKind.NO_KIND


class _FileDocuments:
    """One file's documents as they are read: each manifest is added to the file's own
    objects at once (kept compact from there, see model/compact.py), so a big file is never
    held whole as parsed trees; the objects join the inventory only once the whole file is
    known to be manifests. Other documents (compose candidates) are kept as read."""

    def __init__(self, entry: InputFile, text: str, namespace: str = "default") -> None:
        self.entry = entry
        self.text = text
        self.namespace = namespace  # where an object that names none lands
        self.lines: list[str] | None = None
        self.start()

    def start(self) -> None:
        """Nothing read yet (again, after a :class:`Restart`)."""
        self.problems: list[Diagnostic] = []
        self.objects = KubernetesObjects()
        self.others: list[Document] = []  # not manifests, or compose files that look like one
        self.waiting: list[Document] = []  # look like manifests, before any document claims
        self.claimed = False  # a document is a manifest (apiVersion and kind)
        self.placeholder = False  # a manifest's identity is a template placeholder
        self.enveloped = False  # a document has apiVersion and kind (a manifest or not)
        self.first_line: int | None = None

    def take(self, item: Document | Diagnostic | Restart) -> None:
        if isinstance(item, Restart):  # the stream is read again: what came is void
            self.start()
            return
        if isinstance(item, Diagnostic):
            self.problems.append(item)
            return
        if self.first_line is None:
            self.first_line = item.line
        value = item.value
        if isinstance(value, dict) and "apiVersion" in value and "kind" in value:
            self.enveloped = True
        if is_manifest(value):
            self.claimed = True
            if has_placeholder_identity(value):
                self.placeholder = True
                self.objects = KubernetesObjects()  # the file is not used: nothing to keep
                self.waiting = []
            if value["kind"] == CRD_KIND:
                self.lines = self.lines if self.lines is not None else self.text.splitlines()
                restore_schema_strings(value, self.lines)
        looks = looks_like_manifest(value)
        name = self.entry.path.name
        if not looks or is_compose(value, file_name=name) or _compose_v1(self.entry, value):
            self.others.append(item)
        if not looks or self.placeholder:
            return
        if not self.claimed:  # kept as read until a document says the file is manifests
            self.waiting.append(item)
            return
        for waiting in self.waiting:
            add_document(waiting.value, self.entry.display, self.objects, self.namespace)
        self.waiting = []
        add_document(value, self.entry.display, self.objects, self.namespace)


def _unparsable(text: str, *, is_json: bool, explicit: bool, name: str) -> SkipKind | None:
    """Why a file that does not parse is not input, or None when its errors stand."""
    if is_template_text(text):
        return SkipKind.TEMPLATE
    if is_json:
        value = read_jsonc(text)
        if value is not None and not is_manifest(value):
            return SkipKind.JSONC
    if explicit or text_claims_input(text, json=is_json, name=name):
        return None
    return SkipKind.UNPARSABLE


def _compose_v1(entry: InputFile, value: object) -> bool:
    """A version-1 file, or one that only ``include``s others, named like a compose file."""
    return is_compose_file_name(entry.path.name) and (
        is_compose_v1(value) or is_compose_include(value)
    )
