"""Go: ``net/http``, gRPC dials and stubs, database and broker clients, ``os.Getenv``."""

from __future__ import annotations

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.syntax import Strings, Syntax

SYNTAX = Syntax(
    name="go",
    query_files=("go.scm",),
    module="tree_sitter_go",
    entry="language",
    suffixes=(".go",),
    strings=Strings(
        types=frozenset({"interpreted_string_literal", "raw_string_literal"}),
        content=frozenset({"interpreted_string_literal_content", "raw_string_literal_content"}),
    ),
    identifiers=frozenset({"identifier"}),
    numbers=frozenset({"int_literal"}),
    functions=frozenset({"function_declaration", "method_declaration", "func_literal"}),
    conditionals=frozenset(
        {"if_statement", "expression_case", "default_case", "type_case", "communication_case"}
    ),
    members={"selector_expression": ("operand", "field")},
    self_names=frozenset(),
    lists=frozenset({"expression_list"}),
)

ANALYSER = TreeSitterAnalyser(SYNTAX)
