"""Functions defined in one file and the calls to them, for same-file interprocedural values.

When a call target is a parameter (``def get_json(url): urlopen(url)``), the value comes
from the calls of that function in the same file (``get_json(f"{BASE}/x")``). This index
is built once per file, and only when a target needs it: one run of the language's
``calls`` query (every call, bucketed by callee name) and, per function met, its
parameter slots. Calls are matched by name and receiver: a bare call reaches a function,
``self.f()`` / ``this.f()`` a method (Java and C#: either), and in Go any receiver reaches
a method. A constructor (Python ``__init__``, JavaScript ``constructor``, PHP
``__construct``, Ruby ``initialize``) is reached by its class's name: ``Broker("mq")``,
``new Broker("mq")``, ``Broker.new("mq")``.
Nothing is resolved through objects of other classes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tree_sitter import Node, Query

    from socklock.discover.code.definitions import Definition, Definitions
    from socklock.discover.code.syntax import Syntax
    from socklock.discover.code.values import Values

MAX_CALLERS = 64  # calls of one function evaluated per blocked target

# parameter nodes that take every remaining argument (positional binding stops there)
_VARIADIC = frozenset(
    {
        "list_splat_pattern",
        "dictionary_splat_pattern",
        "variadic_parameter_declaration",
        "rest_pattern",
        "spread_parameter",
    }
)
# argument nodes that spread a collection (positional binding stops there)
_SPREAD = frozenset({"list_splat", "dictionary_splat", "spread_element", "variadic_argument"})
_PATTERNS = frozenset(
    {"object_pattern", "array_pattern", "tuple_pattern", "list_pattern", "pattern_list"}
)
_NAME_HOLDERS = {
    "variable_declarator": "name",
    "assignment": "left",
    "assignment_expression": "left",
    "pair": "key",
    "public_field_definition": "name",
    "field_definition": "property",
    "short_var_declaration": "left",  # Go ``get := func(path string) {...}``
}
_NAMES = frozenset(
    {"identifier", "property_identifier", "field_identifier", "private_property_identifier"}
)


class Reach(Enum):
    """Which calls reach a function."""

    BARE = "bare"  # f(...)
    SELF = "self"  # self.f(...), this.f(...)
    EITHER = "either"  # Java and C# methods: f(...) or this.f(...)
    ANY = "any"  # Go methods: x.f(...) on any receiver


@dataclass(frozen=True, slots=True)
class Call:
    node: Node
    name: str
    receiver: str | None  # source text of the object, None for a bare call
    args: Node


@dataclass(frozen=True, slots=True)
class Function:
    """One function: its name, who may call it, and which parameter each argument binds."""

    name: str
    node: Node
    reach: Reach
    slots: tuple[int | None, ...]  # per positional slot: the parameter's key, or None
    positional: int  # slots that take positional arguments
    variadic: bool

    @property
    def key(self) -> int:
        return self.node.start_byte

    def accepts(self, call: Call, self_names: frozenset[str]) -> bool:
        if call.receiver is None:
            return self.reach in (Reach.BARE, Reach.EITHER)
        if self.reach is Reach.ANY:
            return True
        return self.reach in (Reach.SELF, Reach.EITHER) and call.receiver in self_names


Binding = dict[int, "Node | None"]  # parameter key → argument (None: not passed)


class Functions:
    """The functions of one file (found from their parameters) and every call by name."""

    def __init__(self, syntax: Syntax, source: bytes, definitions: Definitions) -> None:
        self._syntax = syntax
        self._source = source
        self._definitions = definitions
        self._calls: dict[str, list[Call]] = {}
        self._by_param: dict[int, Function | None] = {}
        self._by_node: dict[int, Function | None] = {}
        self._by_name: dict[str, list[Function]] | None = None
        self.searched = False  # whether calls were indexed (the syntax has a calls query)

    @classmethod
    def build(
        cls,
        syntax: Syntax,
        source: bytes,
        query: Query | None,
        root: Node,
        definitions: Definitions,
    ) -> Functions:
        found = cls(syntax, source, definitions)
        if query is None:
            return found
        found.searched = True
        from tree_sitter import QueryCursor

        for _, captures in QueryCursor(query).matches(root):
            node = captures["call"][0]
            name = captures["call.name"][0]
            args = captures["call.args"][0]
            receiver = captures.get("call.object")
            found._calls.setdefault(found._text(name), []).append(
                Call(node, found._text(name), found._text(receiver[0]) if receiver else None, args)
            )
        return found

    def param(self, key: int) -> Definition | None:
        return self._definitions.param(key)

    def function_of(self, param_key: int) -> Function | None:
        """The named function whose parameter starts at ``param_key``."""
        if not self.searched:
            return None
        if param_key in self._by_param:
            return self._by_param[param_key]
        definition = self._definitions.param(param_key)
        function: Function | None = None
        if definition is not None:
            current = definition.node.parent
            while current is not None and current.type not in self._syntax.functions:
                current = current.parent
            if current is not None:
                function = self._function(current)
        self._by_param[param_key] = function
        return function

    def calls_to(self, function: Function) -> list[Call]:
        calls = [
            c
            for c in self._calls.get(function.name, ())
            if function.accepts(c, self._syntax.self_names)
            and not (function.node.start_byte <= c.node.start_byte < function.node.end_byte)
        ]
        return calls[:MAX_CALLERS]

    def calls_named(self, name: str) -> list[Call]:
        """Bare calls of ``name`` in this file (a function another file defines)."""
        return [c for c in self._calls.get(name, ()) if c.receiver is None][:MAX_CALLERS]

    def calls_of(self, name: str) -> list[Call]:
        """Every call of ``name`` in this file, on any receiver (a function another file
        defines, called bare or on the module that holds it)."""
        return self._calls.get(name, [])[:MAX_CALLERS]

    def bind(self, function: Function, call: Call, source: bytes | None = None) -> Binding | None:
        """Which argument of ``call`` each parameter of ``function`` takes; None: no match.
        ``source`` is the text of the file ``call`` is in, when it is another file's."""
        positional: list[Node] = []
        keywords: dict[str, Node] = {}
        spread = False
        for child in call.args.named_children:
            if child.is_extra:  # a comment, in any grammar
                continue
            keyword = (
                self._syntax.keyword_arg(child, source or self._source)
                if self._syntax.keyword_arg
                else None
            )
            if keyword is not None:
                keywords[keyword[0]] = keyword[1]
            elif child.type in _SPREAD or spread:
                spread = True
            else:
                positional.append(child)
        if not spread and not function.variadic and len(positional) > function.positional:
            return None  # another overload, or not this function
        binding: Binding = {}
        for index, param in enumerate(function.slots):
            if param is None:
                continue
            if index < function.positional and index < len(positional):
                binding[param] = positional[index]
            elif spread and index < function.positional:
                continue  # its argument is somewhere in the spread: unknown
            else:
                definition = self._definitions.param(param)
                name = definition.name if definition is not None else ""
                binding[param] = keywords.get(name)
        return binding

    def stores_through(
        self, call_node: Node, argument: Node
    ) -> list[tuple[Function, Binding, Definition]]:
        """For ``f(..., &x, ...)``: each ``f`` of this file, the call's binding, the parameter."""
        name_node = call_node.child_by_field_name("function")
        args = call_node.child_by_field_name("arguments")
        if name_node is None or args is None:
            return []
        call = Call(call_node, self._text(name_node), None, args)
        found = []
        for function in self._named(call.name):
            binding = self.bind(function, call)
            if binding is None:
                continue
            for key, bound in binding.items():
                param = self._definitions.param(key)
                if bound is not None and bound.start_byte == argument.start_byte and param:
                    found.append((function, binding, param))
        return found

    def returns(self, call_node: Node) -> list[tuple[Function, Binding, Node]]:
        """For a bare call ``f(...)``: each ``f`` of this file the call binds, with the
        binding and each value ``f`` returns (nested functions' returns are theirs)."""
        name_node = bare_callee(call_node)
        args = call_node.child_by_field_name("arguments")
        if name_node is None or args is None:
            return []
        call = Call(call_node, self._text(name_node), None, args)
        found: list[tuple[Function, Binding, Node]] = []
        for function in self._named(call.name):
            binding = self.bind(function, call) if function.accepts(call, frozenset()) else None
            if binding is None:
                continue
            found.extend((function, binding, value) for value in self._return_values(function))
        return found

    def defines(self, name: str) -> bool:
        """Whether a function of this file may be called as ``name`` from another file."""
        return bool(self._named(name))

    def returns_for(
        self, name: str, arguments: Sequence[Values]
    ) -> list[tuple[Function, dict[int, Values | None], Node]]:
        """For a call of ``name`` made in another file with these positional argument
        values: each function of this file it may be, its binding, each value it returns."""
        found: list[tuple[Function, dict[int, Values | None], Node]] = []
        for function in self._named(name):
            if not function.variadic and len(arguments) > function.positional:
                continue  # another overload
            binding: dict[int, Values | None] = {}
            for index, param in enumerate(function.slots):
                if param is not None:
                    passed = index < function.positional and index < len(arguments)
                    binding[param] = arguments[index] if passed else None
            found.extend((function, binding, value) for value in self._return_values(function))
        return found

    def _return_values(self, function: Function) -> list[Node]:
        found: list[Node] = _expression_body(function.node)
        stack = list(function.node.named_children)
        while stack:
            node = stack.pop()
            if node.type in self._syntax.functions:
                continue
            if node.type == "return_statement":
                values = [c for c in node.named_children if not c.is_extra]
                if len(values) == 1:
                    found.append(values[0])
                continue
            stack.extend(node.named_children)
        return found

    def stores(self, function: Function, param: Definition) -> list[Node]:
        """Values ``function`` assigns through its pointer parameter: ``*param = value``."""
        found: list[Node] = []
        stack = [function.node]
        while stack:
            node = stack.pop()
            if node.type == "assignment_statement":
                found.extend(self._deref_values(node, param.name))
            stack.extend(node.named_children)
        return found

    def _deref_values(self, assignment: Node, name: str) -> list[Node]:
        left = assignment.child_by_field_name("left")
        right = assignment.child_by_field_name("right")
        if left is None or right is None:
            return []
        targets = [c for c in left.named_children if not c.is_extra]
        values = [c for c in right.named_children if not c.is_extra]
        found = []
        for index, target in enumerate(targets):
            operand = target.child_by_field_name("operand")
            if (
                target.type == "unary_expression"
                and operand is not None
                and self._text(operand) == name
                and self._text(target).startswith("*")
            ):
                found.append(values[index] if len(values) == len(targets) else right)
        return found

    def _named(self, name: str) -> list[Function]:
        if self._by_name is None:
            self._by_name = {}
            for key in self._definitions.param_keys():
                function = self.function_of(key)
                if function is not None:
                    group = self._by_name.setdefault(function.name, [])
                    if function not in group:
                        group.append(function)
        return [f for f in self._by_name.get(name, ()) if f.reach is not Reach.SELF]

    def _function(self, node: Node) -> Function | None:
        if node.start_byte in self._by_node:
            return self._by_node[node.start_byte]
        name = self._name(node)
        function = None
        if name is not None:
            function = self._slots(node, name)
            owner = _class_name(node, self._source) if name in self._syntax.constructors else None
            if owner is not None:  # ``def __init__``: called as ``Owner(...)``, ``new Owner``
                function = replace(function, name=owner, reach=Reach.BARE)
        self._by_node[node.start_byte] = function
        return function

    def _name(self, node: Node) -> str | None:
        named = node.child_by_field_name("name")
        declarator = _function_declarator(node)
        if named is None and declarator is not None:  # C++: ``void Client::get(...)``
            named = declarator.child_by_field_name("declarator")
            while named is not None and named.type == "qualified_identifier":
                named = named.child_by_field_name("name")
        if named is None and node.parent is not None:
            holder = node.parent
            if holder.type in ("expression_list", "parenthesized_expression") and holder.parent:
                holder = holder.parent  # Go ``f := func(...)``
            field_name = _NAME_HOLDERS.get(holder.type)
            named = holder.child_by_field_name(field_name) if field_name else None
            if named is not None and named.type == "expression_list" and named.named_children:
                named = named.named_children[0]  # ``a := func(...)``: one name, one value
            if named is not None and named.type not in _NAMES:
                member = named.child_by_field_name("property")  # ``exports.f = ...``
                named = member if member is not None and member.type in _NAMES else None
        if named is None or (
            named.type not in _NAMES and named.type not in self._syntax.identifiers
        ):
            return None
        return self._text(named)

    def _slots(self, node: Node, name: str) -> Function:
        params = node.child_by_field_name("parameters") or node.child_by_field_name("parameter")
        declarator = _function_declarator(node)
        if params is None and declarator is not None:
            params = declarator.child_by_field_name("parameters")
        only: frozenset[str] | None = None
        if params is None:  # Kotlin: an unnamed list, default values beside the parameters
            params = next((c for c in node.named_children if c.type in _PARAMETER_LISTS), None)
            only = frozenset({"parameter"})
        slots: list[Node] = []
        positional: int | None = None
        variadic = False
        if params is not None and params.type in self._syntax.identifiers:
            slots.append(params)
        elif params is not None:
            for child in params.named_children:
                kind = child.type
                if kind == "comment" or kind == "positional_separator":
                    continue
                if only is not None and kind not in only:
                    continue
                if kind == "keyword_separator":
                    positional = len(slots) if positional is None else positional
                    continue
                if kind in _VARIADIC or _is_params_array(child, self._source):
                    positional = len(slots) if positional is None else positional
                    variadic = True
                    continue
                names = (
                    child.children_by_field_name("name") if kind == "parameter_declaration" else []
                )
                slots.extend(names if len(names) > 1 else [child])
        keys = self._slot_keys(slots)
        reach = self._reach(node, slots)
        if reach is Reach.SELF and slots and self._text(slots[0]) in self._syntax.self_names:
            keys = keys[1:]  # Python's ``self``: the receiver, not an argument
            positional = None if positional is None else positional - 1
        return Function(
            name,
            node,
            reach,
            tuple(keys),
            len(keys) if positional is None else positional,
            variadic,
        )

    def _slot_keys(self, slots: list[Node]) -> list[int | None]:
        keys: list[int | None] = []
        for slot in slots:
            inside = self._definitions.params_in(slot.start_byte, slot.end_byte)
            if len(inside) == 1 and slot.type not in _PATTERNS:
                keys.append(inside[0].node.start_byte)
            else:
                keys.append(None)
        return keys

    def _reach(self, node: Node, slots: list[Node]) -> Reach:
        kind = node.type
        if kind == "method_definition":
            return Reach.SELF
        if kind == "method_declaration":
            return Reach.ANY if self._syntax.name == "go" else Reach.EITHER
        if kind == "constructor_declaration":
            return Reach.EITHER
        first = slots[0] if slots else None
        if first is not None and first.type in self._syntax.identifiers:
            return Reach.SELF if self._text(first) in self._syntax.self_names else Reach.BARE
        return Reach.BARE

    def _text(self, node: Node) -> str:
        return self._source[node.start_byte : node.end_byte].decode("utf-8", "replace")


_PARAMETER_LISTS = frozenset({"function_value_parameters"})


_CLASSES = frozenset({"class_definition", "class_declaration", "class"})


_METHODS = frozenset({"function_definition", "method_definition", "method_declaration", "method"})


def _class_name(method: Node, source: bytes) -> str | None:
    """The name of the class whose body holds ``method`` (a constructor)."""
    current = method.parent
    while current is not None and current.type not in _CLASSES:
        if current is not method and current.type in _METHODS:
            return None  # a nested function, not the class's own method
        current = current.parent
    name = current.child_by_field_name("name") if current is not None else None
    return None if name is None else source[name.start_byte : name.end_byte].decode()


def _function_declarator(node: Node) -> Node | None:
    """C and C++ name a function in its declarator: ``int *f(...)``, ``T& A::f(...)``."""
    current = node.child_by_field_name("declarator")
    while current is not None and current.type != "function_declarator":
        current = current.child_by_field_name("declarator")
    return current


def _is_params_array(node: Node, source: bytes) -> bool:
    """C# ``params string[] rest``."""
    return node.type == "parameter" and source[node.start_byte : node.end_byte].startswith(
        b"params "
    )


def bare_callee(call_node: Node) -> Node | None:
    """The name a bare call ``f(...)`` calls: its ``function`` field, or a Java method
    invocation's ``name`` when it has no object (a method of the same class)."""
    found = call_node.child_by_field_name("function")
    if (
        found is None
        and call_node.type == "method_invocation"
        and call_node.child_by_field_name("object") is None
    ):
        found = call_node.child_by_field_name("name")
    return found


def _expression_body(function: Node) -> list[Node]:
    """The value an expression-bodied function returns: C#'s ``=> expr`` member, a
    JavaScript arrow function without braces."""
    for child in function.named_children:
        if child.type == "arrow_expression_clause":
            return [c for c in child.named_children if c.type != "comment"][:1]
    body = function.child_by_field_name("body")
    if function.type == "arrow_function" and body is not None and body.type != "statement_block":
        return [body]
    return []
