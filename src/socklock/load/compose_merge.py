"""Compose's merge of one service mapping over another (override files, ``extends``), and a
position-keeping deep copy: mappings merged, lists appended, anything else replaced, and a
value tagged ``!override`` or ``!reset`` replacing what it is merged over."""

from __future__ import annotations

from typing import Any

from socklock.model import YMap, YSeq
from socklock.model.document import Position, ReplacingMap, ReplacingSeq

# Keys whose values compose merges as mappings (a list of KEY=VALUE counts as one).
_MAPPING_KEYS = frozenset(
    {
        "environment",
        "labels",
        "annotations",
        "extra_hosts",
        "sysctls",
        "ulimits",
        "healthcheck",
        "deploy",
        "build",
        "logging",
        "networks",
        "depends_on",
        "blkio_config",
        "storage_opt",
    }
)
# Keys whose lists compose appends to (without repeating an entry).
_SEQUENCE_KEYS = frozenset(
    {
        "ports",
        "expose",
        "external_links",
        "links",
        "dns",
        "dns_search",
        "dns_opt",
        "tmpfs",
        "cap_add",
        "cap_drop",
        "devices",
        "volumes",
        "volumes_from",
        "security_opt",
        "env_file",
        "configs",
        "secrets",
        "group_add",
        "device_cgroup_rules",
        "profiles",
    }
)


def copy_tree(value: Any, position: Position | None = None) -> Any:
    """A deep copy keeping positions, or moving every position to ``position``.

    Iterative: a hostile document's depth must not meet Python's recursion limit here."""
    if not isinstance(value, YMap | YSeq):
        return value
    root = _shell(value, position)
    stack: list[tuple[Any, Any]] = [(value, root)]
    while stack:
        source, target = stack.pop()
        items: Any = source.items() if isinstance(source, YMap) else enumerate(source)
        for key, child in items:
            copied = _shell(child, position) if isinstance(child, YMap | YSeq) else child
            if isinstance(target, YMap):
                target[key] = copied
            else:
                target.append(copied)
            if copied is not child:
                stack.append((child, copied))
    return root


def _shell(value: YMap | YSeq, position: Position | None) -> YMap | YSeq:
    """An empty container with ``value``'s positions (or all at ``position``)."""
    if isinstance(value, YMap):
        mapping = type(value)()  # a ReplacingMap stays one
        mapping.position = position or value.position
        mapping.key_positions = (
            dict.fromkeys(value, position) if position else dict(value.key_positions)
        )
        return mapping
    sequence = type(value)()
    sequence.position = position or value.position
    sequence.item_positions = [position] * len(value) if position else list(value.item_positions)
    return sequence


def merge_service(base: YMap, local: YMap) -> YMap:
    """``local`` over ``base``: mappings merged, lists appended, anything else replaced."""
    merged: YMap = copy_tree(base)
    merged.position = local.position
    for key, value in local.items():
        if key == "extends":
            continue
        merged[key] = _merge_value(key, merged[key], value) if key in merged else value
        merged.key_positions[key] = local.key_positions.get(key, local.position)
    return merged


def _merge_value(key: str, base: Any, local: Any) -> Any:
    if isinstance(local, ReplacingMap | ReplacingSeq):  # ``!override`` / ``!reset``
        return local
    if key in _MAPPING_KEYS and isinstance(base, YMap | YSeq) and isinstance(local, YMap | YSeq):
        if isinstance(base, YSeq) and isinstance(local, YSeq) and key != "environment":
            return _appended(base, local)
        out = _as_mapping(key, base)
        for k, v in _as_mapping(key, local).items():
            out[k] = v
        return out
    if key in _SEQUENCE_KEYS and isinstance(base, YSeq) and isinstance(local, YSeq):
        return _appended(base, local)
    return local


def _appended(base: YSeq, local: YSeq) -> YSeq:
    out: YSeq = copy_tree(base)
    seen = {repr(v) for v in base}
    for index, value in enumerate(local):
        if repr(value) not in seen:
            out.append(value)
            out.item_positions.append(
                local.item_positions[index] if index < len(local.item_positions) else (0, 0)
            )
    return out


def _as_mapping(key: str, value: YMap | YSeq) -> YMap:
    if isinstance(value, YMap):
        copied: YMap = copy_tree(value)
        return copied
    out = YMap()
    out.position = value.position
    for index, item in enumerate(value):
        name, sep, rest = str(item).partition("=" if key != "extra_hosts" else ":")
        out[name] = rest if sep else (None if key == "environment" else YMap())
        if index < len(value.item_positions):
            out.key_positions[name] = value.item_positions[index]
    return out
