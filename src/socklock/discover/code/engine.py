"""One parsed file in, its call sites out: the order of work that makes reports unique.

1. Known calls first (``@target``): their arguments are evaluated, through constants
   and env reads, and reported at the argument. What they used is consumed. A target
   that cannot resolve because it is a parameter of a function defined in the file is
   evaluated again for each call of that function there, with the parameters bound to
   that call's arguments, and reported at the argument that supplies it (helpers of
   helpers too, a few levels deep). Unresolved only when no call gives a value.
2. gRPC stubs on a connection that cannot be traced to a dial (or to a dial through
   the callers of the function whose parameter the connection is): unresolved.
3. Listener arguments are evaluated to consume what they use; the port they give is
   declared (``listen-port``: where the unit listens, :mod:`.listen_ports`).
4. Seeds (address-like literals, env reads) not consumed and not inside a message or
   listener region are reported at the largest string expression around them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from socklock.discover.code.captures import collect, key
from socklock.discover.code.clients import client_scheme_at
from socklock.discover.code.interface import (
    ENV_PREFIX,
    CallKind,
    CallSite,
    Declaration,
    UnresolvedCall,
)
from socklock.discover.code.links import Links, file_evaluator
from socklock.discover.code.listen_ports import (
    LISTEN_PORT,
    broker_options,
    listen_ports,
    served_options,
)
from socklock.discover.code.listen_ports import (
    arguments as call_arguments,
)
from socklock.discover.code.render import Context, Resolved, Unknown, render
from socklock.discover.code.unread_entries import unread_entry
from socklock.discover.code.values import Hole, concat, single_text, text

if TYPE_CHECKING:
    from collections.abc import Callable

    from tree_sitter import Node, Tree

    from socklock.discover.code.captures import Captures, Declare, EnvRead, Target
    from socklock.discover.code.evaluate import Evaluator
    from socklock.discover.code.functions import Binding, Functions
    from socklock.discover.code.grammar import Grammar
    from socklock.discover.code.interface import Result
    from socklock.discover.code.syntax import Syntax
    from socklock.discover.code.values import Value, Values

EXPRESSION_LIMIT = 200
_FORM_LEVELS = 3  # string → argument → argument list → call


def analyse_tree(
    path: str,
    source: bytes,
    tree: Tree,
    grammar: Grammar,
    literal_kind: CallKind = CallKind.LITERAL,
) -> list[Result]:
    """Every call site in one parsed file, sorted by position."""
    root = tree.root_node
    captures = collect(grammar.target_matches(root), grammar.settings)
    if captures.reports_nothing:
        return []
    syntax = grammar.syntax
    if syntax.name == "go":
        from socklock.discover.code.dead_code import dead_functions

        for node in dead_functions(path, source, root):  # reported like test code: never
            captures.tests.append(node)
            captures.regions.add(key(node))
    evaluator = file_evaluator(
        path, source, root, grammar, captures, Links(path, source, syntax.name)
    )
    out = _Output(path, source)
    callers = _Callers(evaluator)
    served = [o for r in captures.listens for o in served_options(r, evaluator)]
    brokers = [o for r in captures.listens for o in broker_options(r, evaluator)]
    for target in captures.targets.values():
        if key(target.node) in captures.idle or _in_tests(target.node, captures):
            continue
        if any(_contains(options, target.node) for options in served):
            continue  # a server's own address, in the shape a client's has
        scheme = target.scheme
        if scheme == IMPORTED_SCHEME:  # ``from pymysql import connect``: the driver's
            found = syntax.imported_scheme(target.node, source) if syntax.imported_scheme else None
            if found is None:
                continue  # a ``connect`` of no driver the file imports
            scheme = found
        context = Context(
            call=True,
            weak=target.weak,
            grpc=target.grpc,
            kind=literal_kind,
            scheme=scheme or client_scheme_at(syntax.name, target.node, source),
            bare_host=target.bare_host,
            service=target.service,
            guess=target.guess,
        )
        _call(callers, target, context, out)
    for conn in captures.stubs:
        if not _in_tests(conn, captures):
            _stub(callers, conn, out)
    for declared in captures.declares:
        if not _in_tests(declared.node, captures):
            _declare(evaluator, declared, out)
    for region in captures.listens:
        if _in_tests(region, captures):
            continue
        arguments = call_arguments(region)
        for argument in arguments:
            evaluator.values(argument)
        for node, written in listen_ports(region, evaluator):
            out.declare(node, LISTEN_PORT, written)
    for read in captures.envs.values():  # ``os.environ.get(f"MAYAN_{name}")``
        prefix = _env_prefix(read, evaluator)
        if prefix is not None and not _in_tests(read.node, captures):
            out.declare(read.node, ENV_PREFIX, prefix)
    seeds = list(captures.seeds) + [read.node for read in captures.envs.values()]
    seeds.sort(key=lambda n: n.start_byte)
    seed_context = Context(call=False, kind=literal_kind)
    for seed in seeds:
        if key(seed) in evaluator.consumed:
            continue
        top = _string_expression(seed, captures, syntax)
        if syntax.name == "python" and unread_entry(top, root):
            continue  # a lookup table's entry no read names
        consumed = key(top) in evaluator.consumed
        if consumed or (
            _in_region(seed, captures) and not any(_contains(o, seed) for o in brokers)
        ):
            continue  # a broker transport's options, in a listen call, still are calls
        _seed(callers, top, seed_context, out)
        evaluator.consumed.add(key(top))
    return out.results()


IMPORTED_SCHEME = "imported"  # a pattern's scheme: the one of the driver the file imports
_PREFIX = re.compile(r"^[A-Z][A-Z0-9]+_$")


def _env_prefix(read: EnvRead, evaluator: Evaluator) -> str | None:
    """The literal prefix of an env read whose name is built at run time from it and another
    value (a setting's name, a parameter): ``'MAYAN_{}'.format(name)``, ``"APP_" + key``.
    An upper-case word and ``_``, the same in every value the name may take."""
    if read.style is not None or read.name is None:
        return None
    found = None
    for value in evaluator.values(read.name):
        if len(value) < 2 or not isinstance(value[0], str) or not isinstance(value[1], Hole):
            return None
        if not _PREFIX.match(value[0]):
            return None
        if found not in (None, value[0]):
            return None
        found = value[0]
    return found


def _seed(callers: _Callers, top: Node, context: Context, out: _Output) -> None:
    """A seed; one whose value waits on a parameter is evaluated through the calls that pass
    it: in this file, else in the files that include this one (a C/C++ header's helper), and
    reported at the caller's argument or call."""

    def compute() -> Values:
        return callers.evaluator.values(top)

    def outcome(value: Value) -> Resolved | Unknown | None:
        return render(value, context)

    used = set(callers.evaluator.consumed)  # arguments a call already reported
    values = compute()
    blocked = [v for v in values if _blocking(v, outcome(v)) is not None]
    out.add(top, tuple(v for v in values if v not in blocked), context)
    if not blocked:
        return
    found = callers.through(compute, blocked, outcome)
    for node, resolved in found:
        if key(node) not in used:
            out.emit(node, resolved)
    if not found:
        for path, source, node, resolved in callers.elsewhere(compute, blocked, outcome):
            out.emit_in(path, source, node, resolved)


def _declare(evaluator: Evaluator, declared: Declare, out: _Output) -> None:
    """What the module says about itself: the value when it is known, else nothing."""
    if declared.value is None:
        out.declare(declared.node, declared.what, "true")
        return
    for value in evaluator.values(declared.value):
        if value and all(isinstance(part, str) for part in value):
            out.declare(declared.value, declared.what, "".join(str(part) for part in value))


def _target_values(evaluator: Evaluator, target: Target) -> Values:
    host = evaluator.values(target.node)
    if target.port is None:
        return host
    return concat([host, text(":"), evaluator.values(target.port)])


def _call(callers: _Callers, target: Target, context: Context, out: _Output) -> None:
    """A known call; a target that is a parameter is reported at the calls that pass it."""

    def compute() -> Values:
        return _target_values(callers.evaluator, target)

    def outcome(value: Value) -> Resolved | Unknown | None:
        return render(value, context)

    values = compute()
    topic = single_text(callers.evaluator.values(target.topic)) if target.topic else None
    blocked = [v for v in values if _blocking(v, outcome(v)) is not None]
    out.add(target.node, tuple(v for v in values if v not in blocked), context, topic)
    if not blocked:
        return
    found = callers.through(compute, blocked, outcome)
    for node, resolved in found:
        out.emit(node, resolved, topic)
    if found:
        return
    elsewhere = callers.elsewhere(compute, blocked, outcome)
    for path, source, node, resolved in elsewhere:
        out.emit_in(path, source, node, resolved)
    if not elsewhere:
        for value in blocked:
            out.emit(target.node, Unknown(callers.reason(value)))


def _stub(callers: _Callers, conn: Node, out: _Output) -> None:
    """A stub on a connection we can trace reports nothing: its dial does."""

    def compute() -> Values:
        return callers.evaluator.values(conn)

    def traced(value: Value) -> Resolved | Unknown | None:
        hole_part = _first_hole(value)
        return _TRACED if hole_part is None else Unknown(hole_part.reason)

    blocked: list[Value] = []
    for value in compute():
        missing = _first_hole(value)
        if missing is None:
            continue
        if missing.param is None:
            out.emit(conn, Unknown(f"gRPC connection: {missing.reason}"))
        else:
            blocked.append(value)
    if blocked and not callers.through(compute, blocked, traced):
        for value in blocked:
            out.emit(conn, Unknown(f"gRPC connection: {callers.reason(value)}"))


_TRACED = Resolved(CallKind.GRPC, None, None, None, 1.0)
MAX_LEVELS = 3  # helpers calling helpers


def _first_hole(value: Value) -> Hole | None:
    return next((part for part in value if isinstance(part, Hole)), None)


def _blocking(value: Value, outcome: Resolved | Unknown | None) -> Hole | None:
    """The parameter that keeps ``value`` from resolving, if that is what does."""
    if isinstance(outcome, Resolved):
        return None
    return next((p for p in value if isinstance(p, Hole) and p.param is not None), None)


class _Callers:
    """Values of a target through the calls of the function whose parameter it is."""

    def __init__(self, evaluator: Evaluator) -> None:
        self.evaluator = evaluator

    @property
    def functions(self) -> Functions:
        functions = self.evaluator.functions
        assert functions is not None  # the engine always provides them
        return functions

    def through(
        self,
        compute: Callable[[], Values],
        blocked: list[Value],
        outcome: Callable[[Value], Resolved | Unknown | None],
        bindings: Binding | None = None,
        chain: tuple[int, ...] = (),
    ) -> list[tuple[Node, Resolved]]:
        """Every resolved outcome at the argument of a call that supplies the parameter."""
        found: list[tuple[Node, Resolved]] = []
        done: set[int] = set()
        for value in blocked:
            missing = _blocking(value, None)
            if missing is None or missing.param is None:
                continue
            function = self.functions.function_of(missing.param)
            if function is None or function.key in done or function.key in chain:
                continue
            done.add(function.key)
            if len(chain) >= MAX_LEVELS:
                continue
            for call in self.functions.calls_to(function):
                binding = self.functions.bind(function, call)
                if binding is None:
                    continue
                merged = {**(bindings or {}), **binding}
                with self.evaluator.bound(merged):
                    values = compute()
                    deeper: list[Value] = []
                    for alternative in values:
                        result = outcome(alternative)
                        if isinstance(result, Resolved):
                            found.append((binding.get(missing.param) or call.node, result))
                        elif _blocking(alternative, result) is not None:
                            deeper.append(alternative)
                    if deeper:
                        found += self.through(
                            compute, deeper, outcome, merged, (*chain, function.key)
                        )
        return found

    def elsewhere(
        self,
        compute: Callable[[], Values],
        blocked: list[Value],
        outcome: Callable[[Value], Resolved | Unknown | None],
    ) -> list[tuple[str, bytes, Node, Resolved]]:
        """Resolved outcomes through the calls in other files (the ones that include or
        import this one) of the function whose parameter blocks a value; each at the
        argument that supplies it (at the call when it is not passed)."""
        links = self.evaluator.links
        if links is None:
            return []
        found: list[tuple[str, bytes, Node, Resolved]] = []
        done: set[int] = set()
        for value in blocked:
            missing = _blocking(value, None)
            function = (
                self.functions.function_of(missing.param) if missing and missing.param else None
            )
            if function is None or function.key in done or missing is None:
                continue
            done.add(function.key)
            function_param = missing.param
            for path, source, evaluator, calls in links.callers(function.name):
                for call in calls:
                    binding = self.functions.bind(function, call, source)
                    if binding is None:
                        continue
                    evaluated: dict[int, Node | Values | None] = {
                        param: None if argument is None else evaluator.values(argument)
                        for param, argument in binding.items()
                    }
                    with self.evaluator.bound(evaluated):
                        for alternative in compute():
                            result = outcome(alternative)
                            if isinstance(result, Resolved):
                                at = binding.get(function_param) if function_param else None
                                found.append((path, source, at or call.node, result))
        return found

    def reason(self, value: Value) -> str:
        missing = _first_hole(value)
        if missing is None:
            return "no value"
        if missing.param is not None:
            function = self.functions.function_of(missing.param)
            param = self.functions.param(missing.param)
            if function is not None and param is not None:
                return (
                    f"`{param.name}` is a parameter of {function.name} and no call in this "
                    "file passes it a known value"
                )
        return missing.reason


def _string_expression(node: Node, captures: Captures, syntax: Syntax) -> Node:
    """The largest expression around ``node`` that builds one string from it."""
    top = node
    while True:
        parent = top.parent
        if parent is None:
            return top
        kind = parent.type
        if kind in syntax.wrappers or kind in syntax.strings.interpolations:
            top = parent
            continue
        if kind in syntax.strings.types:
            top = parent  # an interpolation, or part of an implicit concatenation
            continue
        if kind in syntax.binaries and _extends(parent, top, syntax):
            top = parent
            continue
        form = _enclosing_form(top, captures)
        if form is None:
            return top
        top = form


def _extends(binary: Node, operand: Node, syntax: Syntax) -> bool:
    operator = binary.child_by_field_name("operator")
    if operator is None:
        return False
    op = operator.type
    if op == "operator_identifier":  # Scala: ``+`` is a method name
        op = (operator.text or b"").decode("utf-8", "replace")
    if op in syntax.concat_operators or op in syntax.default_operators:
        return True
    left = binary.child_by_field_name("left")
    return op == "%" and syntax.percent_format and left is not None and key(left) == key(operand)


def _enclosing_form(node: Node, captures: Captures) -> Node | None:
    current = node.parent
    for _ in range(_FORM_LEVELS):
        if current is None:
            return None
        if key(current) in captures.forms:
            return current
        current = current.parent
    return None


def _in_tests(node: Node, captures: Captures) -> bool:
    return any(
        test.start_byte <= node.start_byte and node.end_byte <= test.end_byte
        for test in captures.tests
    )


def _in_region(node: Node, captures: Captures) -> bool:
    current: Node | None = node
    while current is not None:
        if key(current) in captures.regions:
            return True
        current = current.parent
    return False


class _Output:
    """Results of one file, deduplicated, with positions in characters."""

    def __init__(self, path: str, source: bytes) -> None:
        self._path = path
        self._source = source
        self._results: dict[Result, None] = {}

    def add(self, node: Node, values: Values, context: Context, topic: str | None = None) -> None:
        for value in values:
            outcome = render(value, context)
            if outcome is not None:
                self.emit(node, outcome, topic)

    def emit(self, node: Node, outcome: Resolved | Unknown, topic: str | None = None) -> None:
        line, column = self._position(node)
        expression = _trim(self._source[node.start_byte : node.end_byte])
        result: Result
        if isinstance(outcome, Unknown):
            result = UnresolvedCall(self._path, line, column, expression, outcome.reason)
        else:
            result = CallSite(
                self._path,
                line,
                column,
                expression,
                outcome.kind,
                outcome.target,
                outcome.env_var,
                outcome.env_default,
                round(outcome.confidence, 3),
                topic or None,
                service=outcome.service,
                other_defaults=outcome.other_defaults,
            )
        self._results.setdefault(result, None)

    def emit_in(self, path: str, source: bytes, node: Node, outcome: Resolved) -> None:
        """A call site found through this file in another one (the caller of a helper)."""
        other = _Output(path, source)
        other.emit(node, outcome)
        for result in other.results():
            self._results.setdefault(result, None)

    def declare(self, node: Node, what: str, value: str) -> None:
        line, column = self._position(node)
        expression = _trim(self._source[node.start_byte : node.end_byte])
        self._results.setdefault(Declaration(self._path, line, column, expression, what, value))

    def results(self) -> list[Result]:
        return sorted(self._results, key=lambda r: (r.line, r.column))

    def _position(self, node: Node) -> tuple[int, int]:
        row, _ = node.start_point
        start = node.start_byte
        line_start = self._source.rfind(b"\n", 0, start) + 1
        column = len(self._source[line_start:start].decode("utf-8", "replace")) + 1
        return row + 1, column


def _trim(raw: bytes) -> str:
    flat = " ".join(raw.decode("utf-8", "replace").split())
    return flat if len(flat) <= EXPRESSION_LIMIT else flat[: EXPRESSION_LIMIT - 1] + "…"


def _contains(outer: Node, inner: Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte
