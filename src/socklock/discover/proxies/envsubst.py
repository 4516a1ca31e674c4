"""Fill an envsubst template as a container entrypoint does before the proxy starts.

The official nginx image runs ``envsubst`` over ``/etc/nginx/templates/*.template`` with
the names of the variables the container defines: ``${VAR}`` and ``$VAR`` are replaced when
``VAR`` is defined and left alone otherwise (then nginx sees its own ``$var``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_REFERENCE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
TEMPLATE_WORDS = frozenset({"template", "tmpl", "tpl"})


def is_template(path: str) -> bool:
    """``default.conf.template``, ``envoy.tmpl.yaml``, anything in a ``templates/`` directory
    (where the nginx image looks for them)."""
    parts = path.replace("\\", "/").split("/")
    return bool(TEMPLATE_WORDS & set(parts[-1].lower().split(".")[1:])) or (
        len(parts) > 1 and parts[-2] == "templates"
    )


def fill(text: str, env: Mapping[str, str]) -> tuple[str, list[str]]:
    """``text`` with defined variables replaced, and the braced names left unset.

    Only braced references count as unset: ``$host`` is nginx's own variable, while
    ``${UPSTREAM}`` in a template is meant for envsubst.
    """
    unset: list[str] = []

    def one(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name in env:
            return env[name]
        if match.group(1) and name not in unset:
            unset.append(name)
        return match.group(0)

    return _REFERENCE.sub(one, text), unset
