"""Go config structs read by ``github.com/ardanlabs/conf``: `` `conf:"default:db:5432"` ``,
and by viper's ``Unmarshal`` with ``AutomaticEnv``: `` `mapstructure:"CART_URL"` ``.

``conf.Parse("SALES", &cfg)`` fills each field of ``cfg`` from the env var named after
the prefix and the field's path, its names split where the case changes (``Auth.GRPC.Host``
reads ``SALES_AUTH_GRPC_HOST``, ``Web.APIHost`` reads ``SALES_WEB_API_HOST``), else from
the tag's ``default:``; ``env:NAME`` in the tag names the variable after the prefix. The
structs are usually anonymous and nested in the function that parses them, so the path is
read from the syntax tree around the field, and the prefix from the file's ``conf.Parse``
call (a string, or a constant of the file).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from socklock.discover.code.values import env, hole

if TYPE_CHECKING:
    from tree_sitter import Node

    from socklock.discover.code.values import Values

_TAG = re.compile(r'\bconf:"([^"]*)"')
_PARSE = re.compile(r'\bconf\.Parse\(\s*(?:"([A-Za-z0-9_]*)"|([A-Za-z_]\w*))\s*,')
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_)|[A-Z]?[a-z]+|[A-Z]+|\d+")
MAX_DEPTH = 8  # nested structs followed; real configs use two or three


def conf_tag(tag: str, field: Node, source: bytes) -> Values:
    """The env var (and default) of the struct field ``field`` whose tag is ``tag``."""
    found = _TAG.search(tag)
    if found is None:
        return hole("no conf tag")
    options = _options(found.group(1))
    if "-" in options:
        return hole("the field is not read from the environment")
    path = _path(field, source)
    if not path:
        return hole("the field's name is not known")
    name = options.get("env") or "_".join(_words(path))
    prefix = _prefix(source.decode("utf-8", "replace"))
    variable = f"{prefix}_{name}" if prefix else name
    return env(variable.upper(), options.get("default") or None)


_VIPER_TAG = re.compile(r'\bmapstructure:"([A-Z][A-Z0-9_]*)"')
_AUTOMATIC_ENV = re.compile(r"\bviper\.AutomaticEnv\(\s*\)")
_ENV_NAMING = re.compile(r"\bviper\.(?:SetEnvPrefix|SetEnvKeyReplacer)\(")


def viper_tag(tag: str, source: bytes) -> Values:
    """The env var of a field that ``viper.Unmarshal`` fills, when the same file binds every
    key to the env (``viper.AutomaticEnv()``): the key itself, upper-cased (a flat key spelled
    as an env var). A prefix or key replacer renames it: not followed (fail closed)."""
    found = _VIPER_TAG.search(tag)
    if found is None:
        return hole("no env-style mapstructure key")
    text = source.decode("utf-8", "replace")
    if _AUTOMATIC_ENV.search(text) is None:
        return hole("the config is not bound to the environment (no viper.AutomaticEnv)")
    if _ENV_NAMING.search(text) is not None:
        return hole("viper renames the env vars (SetEnvPrefix or SetEnvKeyReplacer)")
    return env(found.group(1))


def _options(tag: str) -> dict[str, str]:
    """``default:x,mask,env:Y`` as ``{"default": "x", "mask": "", "env": "Y"}``."""
    out: dict[str, str] = {}
    for option in tag.split(","):
        key, _, value = option.partition(":")
        out.setdefault(key.strip(), value.strip())
    return out


def _path(field: Node, source: bytes) -> list[str]:
    """The field names from the outermost struct to ``field`` (``["Auth", "Host"]``)."""
    path: list[str] = []
    node: Node | None = field
    for _ in range(MAX_DEPTH):
        if node is None or node.type != "field_declaration":
            break
        name = node.child_by_field_name("name")
        if name is not None:
            path.insert(0, source[name.start_byte : name.end_byte].decode())
        holder = node.parent  # field_declaration_list
        struct = holder.parent if holder is not None else None
        node = struct.parent if struct is not None and struct.type == "struct_type" else None
    return path


def _words(path: list[str]) -> list[str]:
    """Each name split where its case changes, as conf names variables (``APIHost``:
    ``API``, ``Host``)."""
    return [word for name in path for word in (_CAMEL.findall(name) or [name])]


def _prefix(text: str) -> str:
    """The prefix the file's ``conf.Parse`` gives, or ``""`` when it has none we can read."""
    call = _PARSE.search(text)
    if call is None:
        return ""
    if call.group(1) is not None:
        return call.group(1)
    constant = re.search(
        rf'\b{re.escape(call.group(2))}\s*(?:string\s*)?=\s*"([A-Za-z0-9_]*)"', text
    )
    return constant.group(1) if constant else ""
