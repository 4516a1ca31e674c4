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
from socklock.load.kustomize_render import RENDERED, Rendered, render
from socklock.load.limits import DEFAULT_LIMITS, Limits
from socklock.load.text import decode_text, read_text
from socklock.load.units import find_units
from socklock.load.walk import FileKind, InputFile, walk
from socklock.load.yamlread import Document, load_json, load_yaml
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
    left_to_kustomize, patches = _kustomizations(
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
        problems, skip = _load_file(entry, limits, k8s, compose_files, dockerfiles, given, streams)
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
) -> tuple[dict[str, str], frozenset[str]]:
    """Render the top-level kustomizations; their streams join ``inputs`` and ``given``.

    Gives the files the rendered ones read (absolute path -> which rendering holds them),
    and the patch files of every kustomization (never objects of their own)."""
    entries = [e for e in inputs if e.kind is FileKind.KUSTOMIZATION]
    if not entries:
        return {}, frozenset()
    found = read_kustomizations(entries, limits, diagnostics)
    patches = frozenset(p for k in found.values() for p in k.patches)
    left: dict[str, str] = {}
    for directory in top_level(found, [str(e.path) for e in entries]) if render_kustomize else ():
        tree = list(closure(found, directory))
        shown = os.path.dirname(tree[0].file) or "."  # noqa: PTH120
        remote = tuple(r for k in tree for r in k.remote)
        missing = tuple(m for k in tree for m in k.missing)
        result = render(shown, tree[0].file, remote, limits, missing, tree)
        if not isinstance(result, Rendered):
            diagnostics.append(result)
            continue
        diagnostics.extend(n for n in result.notes if n not in diagnostics)
        given[result.name] = result.text
        inputs.append(InputFile(Path(result.name), result.name, FileKind.MANIFEST, explicit=True))
        for kustomization in tree:
            for file in kustomization.reads:
                left.setdefault(file, f"rendered in {result.name}")
    return left, patches


def _load_file(
    entry: InputFile,
    limits: Limits,
    k8s: KubernetesObjects,
    compose_files: list[ComposeFile],
    dockerfiles: list[Dockerfile],
    given: dict[str, bytes] | None = None,
    streams: dict[str, str] | None = None,
) -> tuple[list[Diagnostic], SkipKind | None]:
    """Read one file; give its problems, or why it is not input (see :mod:`.claims`)."""
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
    reader = load_json if is_json else load_yaml
    documents: list[Document] = []
    problems: list[Diagnostic] = []
    for item in reader(text.text, entry.display, limits):
        if isinstance(item, Diagnostic):
            problems.append(item)
        else:
            documents.append(item)
    if not is_json and is_ytt_template(text.text):
        return [], SkipKind.TEMPLATE
    if any(p.message.startswith(("invalid YAML", "invalid JSON")) for p in problems):
        skip = _unparsable(
            text.text, is_json=is_json, explicit=entry.explicit, name=entry.path.name
        )
        if skip is not None:
            return [], skip
    values = [d.value for d in documents]
    claims = [is_manifest(v) for v in values]  # once a document: the test is not free
    if any(claim and has_placeholder_identity(v) for claim, v in zip(claims, values, strict=True)):
        return [], SkipKind.TEMPLATE
    if any(claims):
        lines: list[str] | None = None
        for claim, document in zip(claims, documents, strict=True):
            if claim and document.value["kind"] == CRD_KIND:
                lines = lines if lines is not None else text.text.splitlines()
                restore_schema_strings(document.value, lines)
            if looks_like_manifest(document.value):
                add_document(document.value, entry.display, k8s)
            elif is_compose(document.value):
                compose_files.append(ComposeFile(entry.display, document.value, document.line))
        return problems, None
    compose_values = [d for d in documents if is_compose(d.value) or _compose_v1(entry, d.value)]
    if compose_values:
        for document in compose_values:
            compose_files.append(ComposeFile(entry.display, document.value, document.line))
        return problems, None
    if problems:  # a parse error or an alias bomb in a file that claims nothing: still said
        return problems, None
    if entry.explicit:
        line = documents[0].line if documents else 1
        problems.append(
            Diagnostic(
                Location(entry.display, line),
                "not a Kubernetes manifest or compose file (no apiVersion/kind, no services)",
            )
        )
        return problems, None
    if any(isinstance(v, dict) and "apiVersion" in v and "kind" in v for v in values):
        return [], SkipKind.TOOL_CONFIG
    return [], SkipKind.JSON_NO_KIND if is_json else SkipKind.NO_KIND


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
