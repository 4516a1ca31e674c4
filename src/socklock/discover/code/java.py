"""Java: RestTemplate/WebClient/java.net.http, gRPC channels and stubs, JDBC/Mongo/RabbitMQ/Redis,
``System.getenv`` and Spring ``@Value("${...}")``."""

from __future__ import annotations

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.container_test import fielded
from socklock.discover.code.syntax import Strings, Syntax, value_field

SYNTAX = Syntax(
    name="java",
    query_files=("java.scm",),
    module="tree_sitter_java",
    entry="language",
    suffixes=(".java",),
    strings=Strings(
        types=frozenset({"string_literal"}),
        content=frozenset({"string_fragment", "multiline_string_fragment"}),
    ),
    identifiers=frozenset({"identifier"}),
    numbers=frozenset({"decimal_integer_literal"}),
    functions=frozenset(
        {
            "method_declaration",
            "constructor_declaration",
            "lambda_expression",
            "compact_constructor_declaration",
        }
    ),
    conditionals=frozenset(
        {
            "if_statement",
            "switch_block_statement_group",
            "switch_rule",
            "try_statement",
            "catch_clause",
        }
    ),
    members={"field_access": ("object", "field")},
    handlers={"cast_expression": value_field, "ternary_expression": fielded},
)

ANALYSER = TreeSitterAnalyser(SYNTAX)
