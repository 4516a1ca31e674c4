"""consul-template renders a proxy's config from the Consul catalog.

``consul-template -template "site.ctmpl:/etc/apache2/sites-enabled/site.conf:reload"`` with
a template that loops ``{{range services}}`` over every service writes a backend (a
``BalancerMember``, an nginx ``server``) for each registered service: the proxy reaches
every service registered in Consul, as a Zuul proxy does every one in Eureka.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from socklock.discover.commands import words

_EVERY_SERVICE = re.compile(r"\{\{-?\s*range\s+services\b")
# what a proxy's config forwards with: httpd, nginx, HAProxy
_FORWARDS = re.compile(r"\b(?:ProxyPass|BalancerMember|proxy_pass|server)\b")
_MAX_BYTES = 256 * 1024
LABEL = "consul-template"


def every_service_template(command: str | list[str], context: Path) -> Path | None:
    """The template (in the build ``context``) that a ``consul-template`` command renders
    into a proxy config for every Consul service; None when the command renders none."""
    parts = words(command)  # a quoted ``-template "src:dest:reload cmd"`` stays one word
    for index, word in enumerate(parts):
        if PurePosixPath(word).name != LABEL:
            continue
        for source in _templates(parts[index + 1 :]):
            found = _in_context(context, PurePosixPath(source).name)
            if found is not None and _renders_every_service(found):
                return found
    return None


def _templates(arguments: list[str]) -> list[str]:
    """The source paths of ``-template SRC[:DEST[:COMMAND]]`` (also ``-template=...``)."""
    found: list[str] = []
    for index, word in enumerate(arguments):
        name, equals, value = word.lstrip("-").partition("=")
        if name != "template" or not word.startswith("-"):
            continue
        spec = value if equals else (arguments[index + 1] if index + 1 < len(arguments) else "")
        if spec:
            found.append(spec.split(":", 1)[0])
    return found


def _in_context(context: Path, name: str) -> Path | None:
    candidate = context / name
    if candidate.is_file():
        return candidate
    return next((p for p in sorted(context.rglob(name)) if p.is_file()), None)


def _renders_every_service(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            text = handle.read(_MAX_BYTES).decode("utf-8", "replace")
    except OSError:
        return False
    return bool(_EVERY_SERVICE.search(text)) and bool(_FORWARDS.search(text))
