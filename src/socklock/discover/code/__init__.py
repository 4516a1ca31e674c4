"""Outbound calls found in source code and application config files.

Importing this package is cheap: tree-sitter is loaded only when a file is analysed.
Entry point: :func:`socklock.discover.code.scan.scan_tree`.
"""

from __future__ import annotations

from socklock.discover.code.interface import (
    Analyser,
    CallKind,
    CallSite,
    Result,
    UnresolvedCall,
)

__all__ = ["Analyser", "CallKind", "CallSite", "Result", "UnresolvedCall"]
