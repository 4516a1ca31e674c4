"""Bounds that keep memory and time finite whatever the input."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = 64 * MIB  # one manifest/compose/Dockerfile; larger files are refused
    max_expanded_nodes: int = 2_000_000  # YAML nodes after alias expansion, per document
    alias_expansion_ratio: int = 10  # expansion over distinct nodes that marks an alias bomb
    # Nesting of mappings and sequences: PyYAML's C composer recurses per level and
    # crashes the process (not an exception) near 50,000; its constructors hit Python's
    # recursion limit near 330. Real manifests and CRD schemas stay well under 100.
    max_depth: int = 200


DEFAULT_LIMITS = Limits()
