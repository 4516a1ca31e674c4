"""C++: gRPC channels and stubs, Thrift sockets, libcurl, ``getenv``, and hosts read from a
JSON config (``config["user-service"]["addr"]``, nlohmann::json style)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.captures import key
from socklock.discover.code.syntax import Strings, Syntax
from socklock.discover.code.values import Env, Hole, concat, single_text

if TYPE_CHECKING:
    from tree_sitter import Node

    from socklock.discover.code.evaluate import Evaluator
    from socklock.discover.code.values import Values

CONFIG_CONFIDENCE = 0.9  # a config key is an address by the key's name
_HOST_KEYS = frozenset({"addr", "address", "host", "hostname"})


def _config_key(node: Node, ev: Evaluator) -> Values:
    """``cfg["user-service"]["addr"]``: a read of a config key, reported by its dotted path.

    The join looks the path up in the application's JSON config (as it looks env vars up
    in the manifests). A host key is joined with its sibling ``port``, as config files are.
    """
    keys: list[str] = []
    current = node
    while current.type == "subscript_expression":
        indices = current.child_by_field_name("indices")
        inner = [c for c in indices.named_children if c.type != "comment"] if indices else []
        if len(inner) != 1:
            return ev.runtime(node)
        found = ev.values(inner[0])
        index = single_text(found)
        if not index:
            # ``config[service_name + "-redis"]``: a helper's parameter names the key; the
            # calls of the helper bind it (engine)
            waiting = tuple(v for v in found if any(isinstance(p, Hole) and p.param for p in v))
            return waiting or ev.runtime(node)
        keys.append(index)
        base = current.child_by_field_name("argument")
        if base is None:
            return ev.runtime(node)
        current = base
    if current.type not in ("identifier", "field_expression", "qualified_identifier"):
        return ev.runtime(node)
    keys.reverse()
    ev.consumed.add(key(node))
    path = ".".join(keys)
    read: Values = ((Env(path, None, CONFIG_CONFIDENCE),),)
    target = ev.captures.targets.get(key(node))
    if keys[-1].lower() in _HOST_KEYS and (target is None or target.port is None):
        port = ".".join([*keys[:-1], "port"])
        return concat([read, ((":",),), ((Env(port, None, CONFIG_CONFIDENCE),),)])
    return read


def _qualified(node: Node, ev: Evaluator) -> Values:
    """``config::kOrdersUrl``: a namespaced constant, looked up by its last name."""
    name = node.child_by_field_name("name")
    while name is not None and name.type == "qualified_identifier":
        name = name.child_by_field_name("name")
    if name is None or name.type != "identifier":
        return ev.runtime(node)
    return ev.name(ev.text(name), node, class_level=True)


def _constructor_arguments(node: Node, ev: Evaluator) -> Values:
    """``std::string url("http://...")`` / ``{"http://..."}``: the one argument's value."""
    inner = [c for c in node.named_children if c.type != "comment"]
    return ev.values(inner[0]) if len(inner) == 1 else ev.runtime(node)


SYNTAX = Syntax(
    name="cpp",
    query_files=("cpp.scm",),
    module="tree_sitter_cpp",
    entry="language",
    suffixes=(".cc", ".cpp", ".cxx", ".c++", ".hpp", ".hh", ".hxx", ".h"),
    strings=Strings(
        types=frozenset({"string_literal", "raw_string_literal", "concatenated_string"}),
        content=frozenset({"string_content", "raw_string_content"}),
    ),
    identifiers=frozenset({"identifier"}),
    numbers=frozenset({"number_literal"}),
    functions=frozenset({"function_definition", "lambda_expression"}),
    conditionals=frozenset(
        {"if_statement", "else_clause", "case_statement", "try_statement", "catch_clause"}
    ),
    members={"field_expression": ("argument", "field")},
    self_names=frozenset({"this"}),
    handlers={
        "subscript_expression": _config_key,
        "qualified_identifier": _qualified,
        "argument_list": _constructor_arguments,
        "initializer_list": _constructor_arguments,
    },
)

ANALYSER = TreeSitterAnalyser(SYNTAX)
