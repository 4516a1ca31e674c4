"""Does a file claim to be a Kubernetes manifest or a compose project?

A repository holds far more YAML and JSON than manifests: CI configs, Grafana and
Prometheus provisioning, OpenAPI specs, tsconfig. Only a file that claims to be a
Kubernetes object (a top-level mapping with ``apiVersion`` and ``kind``) or a compose
project is input; a problem in such a file is an error, anything else is skipped and
counted. A file that does not parse is judged on its text:

- it holds ``{{ ... }}``: an unrendered template (Helm, Go, Jinja), not YAML until
  rendered: skipped, whatever it claims;
- it has a top-level ``apiVersion:``, ``kind:`` or ``services:`` line (``"apiVersion":``
  in JSON): it means to be input, so the parse error is an error;
- otherwise it is someone else's broken file: skipped.
"""

from __future__ import annotations

import re
from typing import Any

_TEMPLATE = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_YAML_CLAIM = re.compile(r"^(?:apiVersion|kind|services)[ \t]*:", re.MULTILINE)
_JSON_CLAIM = re.compile(r'"(?:apiVersion|kind)"\s*:')


def is_manifest(value: Any) -> bool:
    """A top-level mapping with ``apiVersion`` and ``kind``: a Kubernetes object."""
    return isinstance(value, dict) and "apiVersion" in value and "kind" in value


def is_template_text(text: str) -> bool:
    return _TEMPLATE.search(text) is not None


def text_claims_input(text: str, *, json: bool) -> bool:
    """The text of a file that does not parse still says it means to be a manifest."""
    return (_JSON_CLAIM if json else _YAML_CLAIM).search(text) is not None


def read_jsonc(text: str) -> Any | None:
    """JSON with comments and trailing commas (tsconfig, devcontainer, appsettings), or None."""
    import pyjson5

    try:
        return pyjson5.decode(text)
    except (pyjson5.Json5Exception, ValueError):
        return None
