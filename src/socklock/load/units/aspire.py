""".NET Aspire AppHost programs: the AppHost *is* the deployment.

Each ``builder.AddX("name")`` is a resource (a workload): ``AddProject<Projects.X>`` runs the
project ``X`` (its directory is the resource's build context), ``AddContainer("name",
"image")``, ``AddRedis``/``AddPostgres``/``AddRabbitMQ``/... run servers on their usual
ports, ``AddNpmApp``/``AddPythonApp``/``AddExecutable`` run a directory's code. ``.Add*`` on a
resource (``postgres.AddDatabase("db")``) names a part of that resource. ``.WithReference(x)``
gives the resource x's address: a call. ``WaitFor`` orders start-up and is not a call;
parameters and connection strings are not workloads. A static helper of the AppHost's files
given the builder (``var sales = Sales.AddResources(builder, sqlServer, rabbitMq)``) is read
where it is called: its parameters are the caller's resources, its ``return`` the variable's.

``.WithReference(x)`` gives env too, as Aspire does: ``ConnectionStrings__<name>`` for a
server (or a database of it), ``services__<x>__<endpoint>__0`` for a project; the code's reads
of those (``AddRedisClient("redis")``, ``GetConnectionString("catalogdb")``) join them.
``.WithEnvironment("Identity__Url", identity.GetEndpoint("https"))`` (or a literal, or a
variable holding an endpoint) is env the resource gets: an endpoint becomes its URL
(``https://identity-api:5243``), a call when the resource's code reads the key.

Endpoints: a project's come from the launch profile it runs (``launchSettings.json``, see
``launch.py``): the one ``AddProject`` names, else the project's profile named as the one the
AppHost itself runs (its own default profile, which Aspire passes down), else the project's
default; a name chosen at run time (``var profile = useHttp ? "http" : "https"``) is taken as
``https`` when that is a choice, as Aspire's templates run by default.
``.WithHttpEndpoint(port: 5000, name: "x")`` / ``.WithHttpsEndpoint`` add or set one
(``targetPort`` when no ``port`` is given). Endpoints are named, as callers name them
(``http://basket-api`` asks for ``http``; a bare reference, as ``https+http://`` does, https
first).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from socklock.load.units import launch
from socklock.load.units.apphost_switches import Switches, configuration
from socklock.load.units.aspire_companions import CompanionCall, companion_calls
from socklock.load.units.aspire_env_methods import EnvMethod, endpoint_methods, env_methods
from socklock.load.units.aspire_routes import Method, blank_comments, extension_methods, routes
from socklock.load.units.dotnet import is_apphost, projects
from socklock.load.units.names import normal, port_of
from socklock.load.units.tree import Tree
from socklock.model import BuildUnit, Diagnostic, Location, UnitEnv, UnitReference

SERVER_PORTS = {
    "redis": 6379,
    "garnet": 6379,
    "valkey": 6379,
    "postgres": 5432,
    "rabbitmq": 5672,
    "kafka": 9092,
    "mongodb": 27017,
    "sqlserver": 1433,
    "mysql": 3306,
    "oracle": 1521,
    "nats": 4222,
    "elasticsearch": 9200,
    "keycloak": 8080,
    "qdrant": 6334,
    "milvus": 19530,
    "seq": 80,
    "ollama": 11434,  # CommunityToolkit.Aspire.Hosting.Ollama
}
# a reference hands over every endpoint; the client asks as Aspire's service discovery
# does by default (``https+http://x``): https when the resource serves it, else http
DISCOVERY = "https+http"
_PROJECT_FILES = (".csproj", ".fsproj", ".vbproj")
_NOT_RESOURCES = frozenset({"parameter", "connectionstring", "servicedefaults", "resource"})
# a statement may open after a block's closing brace (``if (..) { .. }\nvar db = ..``)
# (``var db = pg.AddDatabase(name)``: the variable, and the resource it is made from)
_ASSIGN = re.compile(
    r"^[\s}]*(?:var\s+|IResourceBuilder<[^>]*>\s+)?(\w+)\s*=(?!=)\s*(?:(\w+)\s*\.)?"
)
_ADD = re.compile(
    r"(?:\b(\w+)\s*\.\s*)?\bAdd(\w+)\s*(?:<\s*Projects\.([\w.]+)\s*>)?\s*\(\s*"
    r"(?:name\s*:\s*)?\"([^\"]+)\"(?:\s*,\s*(?:\w+\s*:\s*)?\"([^\"]*)\")?"
)
_DATABASE = re.compile(r"\.\s*AddDatabase\s*\(\s*(?:name\s*:\s*)?(\"[^\"]+\"|\w+)\s*[,)]")
# ``.WithReference(db)``; ``.WithReference(db, connectionName: "orders")`` renames the connection
_REFERENCE = re.compile(
    r"\.\s*WithReference\s*\(\s*(\w+)\s*(?:,\s*(?:connectionName\s*:\s*)?\"([^\"]+)\")?"
)
_TARGET_PORT = re.compile(r"\.\s*With(?:Http|Https)?Endpoint\s*\([^)]*?targetPort\s*:\s*(\d+)")
_ENDPOINT = re.compile(r"\.\s*With(Http|Https)?Endpoint\s*\(([^)]*)\)")
_NAMED_ARG = re.compile(r"\b(port|targetPort|name|scheme)\s*:\s*(\d+|\"[^\"]*\")")
_PROFILE_ARG = re.compile(
    r"\bAddProject\s*<[^>]*>\s*\(\s*(?:name\s*:\s*)?\"[^\"]*\"\s*,\s*"
    r"(?:launchProfileName\s*:\s*)?(\"[^\"]*\"|\w+)\s*[,)]"
)
_STRING_VAR = re.compile(r"^[\s}]*(?:var|string|const\s+string)\s+(\w+)\s*=\s*(.+?)\s*$", re.DOTALL)
_LITERAL = re.compile(r"\"([^\"]*)\"")
# ``var identity = identityApi.GetEndpoint("https")``; ``.WithEnvironment("Identity__Url", x)``
_ENDPOINT_VAR = re.compile(
    r"^[\s}]*var\s+(\w+)\s*=\s*(\w+)\s*\.\s*GetEndpoint\s*\(\s*(\"[^\"]*\"|\w+)\s*\)\s*$"
)
_ENVIRONMENT = re.compile(
    r"\.\s*WithEnvironment\s*\(\s*\"([^\"]+)\"\s*,\s*(?:\"([^\"]*)\"|(\w+)\s*\.\s*GetEndpoint"
    r"\s*\(\s*(\"[^\"]*\"|\w+)\s*\)|(\w+))\s*\)"
)
_CONDITIONAL = re.compile(r"\?\s*\"([^\"]*)\"\s*:\s*\"([^\"]*)\"\s*$")
# ``x.WithY()``, also opening a block: ``if (builder.ExecutionContext.IsRunMode) { x.WithY()``
_SUBJECT = re.compile(
    r"^[\s}]*(?:(?:else\s+)?if\s*\((?:[^()]|\([^()]*\))*\)\s*\{?\s*|else\s*\{?\s*)?(\w+)\s*\."
)
_BUILDER = re.compile(r"(\w+)\s*=\s*DistributedApplication\s*\.\s*CreateBuilder")
_METHOD_CALL = re.compile(r"\.\s*(\w+)\s*\(([\w\s,]*)\)")
_BUILDER_CALL = re.compile(r"^[\s}]*var\s+(\w+)\s*=\s*(\w+)\s*\.\s*(\w+)\s*\(\s*\)\s*$")
# ``IResourceBuilder<ProjectResource>[] group = [a, b]`` (or ``new[] { a, b }``)
_GROUP = re.compile(
    r"^[\s}]*(?:var|[\w<>.]+\s*\[\s*\])\s+(\w+)\s*=\s*(?:new\s*[\w<>.]*\s*\[\s*\]\s*)?"
    r"[\[{]([\w\s,]*)[\]}]\s*$"
)
_FOREACH = re.compile(r"^[\s}]*foreach\s*\(\s*var\s+(\w+)\s+in\s+(\w+)\s*\)\s*\{?")
_RESOURCE_NAME = re.compile(r"^[A-Za-z0-9][\w.-]*$")


@dataclass(slots=True)
class _Resource:
    name: str
    kind: str
    line: int
    sources: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)
    image: str | None = None
    references: list[UnitReference] = field(default_factory=list)
    endpoints: dict[str, int] = field(default_factory=dict)  # endpoint name → port
    env: list[tuple[str, str, Location]] = field(default_factory=list)  # name, value, where
    endpoint_env: list[tuple[str, str, str, Location]] = field(default_factory=list)
    referenced: list[tuple[str, str, Location]] = field(default_factory=list)  # target, name
    server: str | None = None  # the kind of server (``redis``) an ``AddRedis`` runs
    reference_env: list[UnitEnv] = field(default_factory=list)
    profile: list[str] | None = None  # the launch profile(s) AddProject names


@dataclass(frozen=True, slots=True)
class Helper:
    """A static method of the AppHost's files that adds resources to the builder it is given
    (``Sales.AddResources(builder, sqlServer, rabbitMq)``): its parameters and its body."""

    parameters: tuple[str, ...]
    file: Path
    text: str  # the whole file, comments blanked
    start: int  # where the body starts in ``text``
    end: int


_HELPER = re.compile(
    r"\bstatic\s+[\w<>.,\s?]+?\s(\w+)\s*\(\s*(IDistributedApplicationBuilder\s+\w+\s*"
    r"(?:,\s*[\w<>.?\[\]]+(?:<[^>]*>)?\s+\w+\s*)*)\)\s*\{"
)
_CLASS = re.compile(r"\bclass\s+(\w+)")
_HELPER_CALL = re.compile(r"\b(\w+)\s*\.\s*(\w+)\s*\(([\w\s,]*)\)")
_RETURN = re.compile(r"^[\s}]*return\b")


def helpers(files: dict[Path, str]) -> dict[tuple[str, str], Helper]:
    """(class, method) → the static methods of ``files`` (path → text, comments blanked)
    that take the application builder."""
    found: dict[tuple[str, str], Helper] = {}
    for path, code in files.items():
        for match in _HELPER.finditer(code):
            classes = _CLASS.findall(code, 0, match.start())
            if not classes:
                continue
            depth, end = 1, match.end()
            while end < len(code) and depth:
                depth += {"{": 1, "}": -1}.get(code[end], 0)
                end += 1
            parameters = tuple(p.split()[-1] for p in match.group(2).split(",") if p.strip())
            found[(classes[-1], match.group(1))] = Helper(parameters, path, code, match.end(), end)
    return found


class _State:
    """The resources an AppHost program adds, read statement by statement; a helper method it
    calls is read in its own scope, its parameters bound to the caller's resources."""

    def __init__(
        self,
        program: Path,
        code: str,
        builder: str,
        helpers: dict[tuple[str, str], Helper],
        by_class: dict[str, Path],
        methods: dict[str, Method],
        switches: Switches,
    ) -> None:
        self.program, self.code, self.builder = program, code, builder
        self.helpers, self.by_class, self.methods = helpers, by_class, methods
        self.resources: dict[str, _Resource] = {}  # resource name → resource
        self.variables: dict[str, str] = {}  # variable → resource name
        self.connections: dict[str, str] = {}  # variable → its connection name (a database's)
        self.strings: dict[str, list[str]] = {}  # variable → the string(s) it may hold
        self.endpoint_vars: dict[str, tuple[str, str]] = {}  # variable → (resource, endpoint)
        self.tools: list[tuple[str, CompanionCall, Location]] = []  # server, admin tool, where
        self.returned: str | None = None  # the resource a helper's ``return`` gives back
        self.calls = 0  # helpers entered, a bound on recursion
        # the variables it computes from its configuration (``useOpenIddict ? A : B``)
        self.switches = switches
        self.env_methods: dict[str, EnvMethod] = {}  # resource methods that set env
        self.endpoint_methods: dict[str, tuple[str, str]] = {}  # builder methods → endpoint
        self.groups: dict[str, list[str]] = {}  # an array of resources → their names

    def scope(self, helper: Helper, arguments: list[str]) -> _State:
        """A state for ``helper``'s body: its own variables, the caller's resources."""
        inner = _State(
            helper.file,
            helper.text,
            self.builder,
            self.helpers,
            self.by_class,
            self.methods,
            self.switches,
        )
        inner.resources, inner.tools, inner.calls = self.resources, self.tools, self.calls + 1
        inner.env_methods, inner.endpoint_methods = self.env_methods, self.endpoint_methods
        for parameter, argument in zip(helper.parameters, arguments, strict=False):
            if argument == self.builder:
                inner.builder = parameter
            elif argument in self.variables:
                inner.variables[parameter] = self.variables[argument]
                inner.connections[parameter] = self.connections.get(
                    argument, self.variables[argument]
                )
        return inner

    def helper_call(self, statement: str) -> bool:
        """Reads the helper a statement calls (``var db = Sql.AddResources(builder)``) and
        keeps the resource it returns in the statement's variable."""
        if self.calls > 8:
            return False
        for match in _HELPER_CALL.finditer(statement):
            helper = self.helpers.get((match.group(1), match.group(2)))
            if helper is None:
                continue
            arguments = [a.strip() for a in match.group(3).split(",")]
            if self.builder not in arguments:
                continue
            inner = self.scope(helper, arguments)
            inner.walk(helper.start, helper.end)
            assigned = _ASSIGN.match(statement)
            if inner.returned is not None and assigned is not None:
                self.variables[assigned.group(1)] = inner.returned
                self.connections[assigned.group(1)] = inner.returned
            return True
        return False

    def walk(self, begin: int, end: int) -> None:
        offset = begin
        depth = 0  # braces open in a configuration callback of ``enclosing``
        enclosing: _Resource | None = None
        for statement in self.code[begin:end].split(";"):
            start = offset
            offset += len(statement) + 1
            self.switches.read(statement)
            statement = self.switches.taken(statement)  # the branch this run takes
            if self.helper_call(statement):
                continue
            if self.extension_statement(statement, start):
                continue
            _string_variable(statement, self.strings)
            held = _ENDPOINT_VAR.match(statement)
            if held is not None and held.group(2) in self.variables:
                names = _strings_of(held.group(3), self.strings)
                if names:
                    self.endpoint_vars[held.group(1)] = (
                        self.variables[held.group(2)],
                        chosen(names),
                    )
            subject = _statement_resource(
                statement,
                start,
                self.code,
                self.program,
                self.builder,
                self.resources,
                self.variables,
                self.by_class,
                self.connections,
                self.strings,
            )
            if subject is None and depth > 0:
                subject = enclosing
            depth = max(0, depth + statement.count("{") - statement.count("}"))
            enclosing = subject if depth > 0 else None
            if subject is None:
                continue
            if _RETURN.match(statement):
                self.returned = subject.name
            self.configure(subject, statement, start)

    def extension_statement(self, statement: str, start: int) -> bool:
        """``var otlp = builder.AddStack()`` (a builder method that returns an endpoint),
        ``Resource[] group = [a, b]``, ``foreach (var r in group) { r.WithX(otlp)``: read
        here (the loop's first statement, for each resource of the group); False for any
        other statement."""
        called = _BUILDER_CALL.match(statement)
        if called is not None and called.group(2) == self.builder:
            returned = self.endpoint_methods.get(called.group(3))
            if returned is not None:
                self.endpoint_vars[called.group(1)] = returned
                return True
        group = _GROUP.match(statement)
        if group is not None:
            members = [m.strip() for m in group.group(2).split(",") if m.strip()]
            if members and all(m in self.variables for m in members):
                self.groups[group.group(1)] = [self.variables[m] for m in members]
                return True
        loop = _FOREACH.match(statement)
        if loop is None or loop.group(2) not in self.groups:
            return False
        body = re.sub(r"[^\n]", " ", statement[: loop.end()]) + statement[loop.end() :]
        subject = _SUBJECT.match(body)
        if subject is None or subject.group(1) != loop.group(1):
            return True
        for member in self.groups[loop.group(2)]:
            self.configure(self.resources[member], body, start)
        return True

    def configure(self, subject: _Resource, statement: str, start: int) -> None:
        """What a statement on ``subject`` gives it: references, routes, endpoints, env."""
        for reference in routes(
            subject.name,
            statement,
            self.program,
            self.code,
            start,
            self.variables,
            self.methods,
        ):
            if not any(
                r.target == reference.target and r.endpoint == reference.endpoint
                for r in subject.references
            ):
                subject.references.append(reference)
        for call in companion_calls(statement):
            if subject.server in call.companion.servers:
                line = self.code.count("\n", 0, start + call.at) + 1
                self.tools.append((subject.name, call, Location(str(self.program), line, 1)))
        for match in _REFERENCE.finditer(statement):
            target = self.variables.get(match.group(1))
            if target is None or target == subject.name:
                continue
            line = self.code.count("\n", 0, start + match.start()) + 1
            subject.references.append(
                UnitReference(
                    target,
                    Location(str(self.program), line, 1),
                    f"AppHost {subject.name}.WithReference({match.group(1)})",
                    endpoint=DISCOVERY,
                )
            )
            connection = match.group(2) or self.connections.get(match.group(1), target)
            subject.referenced.append((target, connection, Location(str(self.program), line, 1)))
        for match in _TARGET_PORT.finditer(statement):
            port = port_of(match.group(1))
            if port is not None and port not in subject.ports:
                subject.ports.append(port)
        profile = _PROFILE_ARG.search(statement)
        if profile is not None and subject.kind == "project":
            subject.profile = _strings_of(profile.group(1), self.strings)
        for match in _ENDPOINT.finditer(statement):
            _add_endpoint(subject, (match.group(1) or "").lower(), match.group(2))
        for match in _ENVIRONMENT.finditer(statement):
            name, literal, resource, endpoint, variable = match.groups()
            where = Location(
                str(self.program), self.code.count("\n", 0, start + match.start()) + 1, 1
            )
            names = _strings_of(endpoint, self.strings) if endpoint else None
            if literal is not None:
                subject.env.append((name, literal, where))
            elif resource in self.variables and names:
                subject.endpoint_env.append((name, self.variables[resource], chosen(names), where))
            elif variable in self.endpoint_vars:
                subject.endpoint_env.append((name, *self.endpoint_vars[variable], where))
        for used in _METHOD_CALL.finditer(statement):  # ``.WithTelemetry(otlp)``
            method = self.env_methods.get(used.group(1))
            if method is None:
                continue
            arguments = [a.strip() for a in used.group(2).split(",")]
            line = self.code.count("\n", 0, start + used.start()) + 1
            for name, index in method.env:
                held = arguments[index] if index < len(arguments) else None
                if held in self.endpoint_vars:
                    where = Location(str(self.program), line, 1)
                    subject.endpoint_env.append((name, *self.endpoint_vars[held], where))


def find(tree: Tree, diagnostics: list[Diagnostic]) -> list[BuildUnit]:
    all_projects = projects(tree)
    by_class = {p.stem.replace(".", "_").replace("-", "_"): p.parent for p, _ in all_projects}
    units: list[BuildUnit] = []
    for path, text in all_projects:
        if not is_apphost(text):
            continue
        host = normal(path.stem)
        # the AppHost's C# files (``Resources/Sales.cs`` too), each read once, comments blanked
        code = {
            p: blank_comments(p)
            for p in sorted(path.parent.rglob("*.cs"))
            if not {"bin", "obj"} & set(p.relative_to(path.parent).parts)
        }
        programs = sorted(path.parent.glob("*.cs"))
        methods = {m.name: m for p in programs for m in extension_methods(p, code[p])}
        env_set = {m.name: m for p in programs for m in env_methods(code[p])}
        returning = {n: e for p in programs for n, e in endpoint_methods(code[p]).items()}
        called = helpers(code)  # helper classes, read where they are called
        # the profile the AppHost runs (DOTNET_LAUNCH_PROFILE): a project runs its own
        # profile of that name when it has one
        run = launch.default_profile(launch.profiles(path.parent))
        config = configuration(path.parent)  # what its switches read, once per AppHost
        for program in programs:
            state = _State(
                program,
                code[program],
                _builder(code[program]),
                called,
                by_class,
                methods,
                Switches(config),
            )
            state.env_methods, state.endpoint_methods = env_set, returning
            units.extend(_read_program(state, host, run))
        units[:] = _other_programs_endpoints(units, host)
    return units


def _builder(code: str) -> str:
    """The variable an AppHost program keeps its application builder in."""
    found = _BUILDER.search(code)
    return found.group(1) if found else "builder"


def _read_program(state: _State, host: str, run: str | None) -> list[BuildUnit]:
    """The resources of one AppHost program (``state``: ready to walk it)."""
    program = state.program
    state.walk(0, len(state.code))
    resources, tools = state.resources, state.tools
    _add_companions(resources, tools)
    for resource in resources.values():
        if resource.kind == "project" and resource.sources:
            _launch_endpoints(resource, Path(resource.sources[0]), run)
    for resource in resources.values():
        for target, connection, where in resource.referenced:
            resource.reference_env.extend(_reference_env(resources[target], connection, where))
        for name, target, endpoint, where in resource.endpoint_env:
            if target not in resources:  # added by another file: :func:`_other_programs_endpoints`
                resource.env.append((name, f"{_ELSEWHERE}{target}:{endpoint}", where))
                continue
            port = resources[target].endpoints.get(endpoint)
            scheme = endpoint if endpoint in ("http", "https") else "http"
            address = f"{scheme}://{target}" + (f":{port}" if port is not None else "")
            resource.env.append((name, address, where))
    return [
        BuildUnit(
            name=resource.name,
            kind=f"aspire-{resource.kind}",
            sources=tuple(resource.sources),
            names=tuple(sorted({normal(n) for n in [resource.name, *resource.names] if normal(n)})),
            ports=tuple(dict.fromkeys([*resource.ports, *resource.endpoints.values()])),
            location=Location(str(program), resource.line, 1),
            host=host,
            image=resource.image,
            references=tuple(resource.references),
            endpoints=tuple(resource.endpoints.items()),
            env=(
                *(UnitEnv(n, v, w) for n, v, w in resource.env),
                *resource.reference_env,
            ),
        )
        for resource in resources.values()
    ]


_ELSEWHERE = "\0endpoint:"  # env whose endpoint's resource another file of the AppHost adds


def _other_programs_endpoints(units: list[BuildUnit], host: str) -> list[BuildUnit]:
    """Env set to the endpoint of a resource another file of the AppHost adds (a builder
    extension method's container), as its URL; env naming no such resource is dropped."""
    endpoints = {u.name: dict(u.endpoints) for u in units if u.host == host}
    out: list[BuildUnit] = []
    for unit in units:
        if unit.host != host or not any(e.value.startswith(_ELSEWHERE) for e in unit.env):
            out.append(unit)
            continue
        env: list[UnitEnv] = []
        for item in unit.env:
            if not item.value.startswith(_ELSEWHERE):
                env.append(item)
                continue
            target, _, endpoint = item.value.removeprefix(_ELSEWHERE).rpartition(":")
            if target not in endpoints:
                continue
            port = endpoints[target].get(endpoint)
            scheme = endpoint if endpoint in ("http", "https") else "http"
            address = f"{scheme}://{target}" + (f":{port}" if port is not None else "")
            env.append(dataclasses.replace(item, value=address))
        out.append(dataclasses.replace(unit, env=tuple(env)))
    return out


def _statement_resource(
    statement: str,
    start: int,
    code: str,
    program: Path,
    builder: str,
    resources: dict[str, _Resource],
    variables: dict[str, str],
    by_class: dict[str, Path],
    connections: dict[str, str],
    strings: dict[str, list[str]],
) -> _Resource | None:
    """The resource a statement creates (``builder.AddX("name")``) or configures; records the
    variable it is kept in."""
    assigned = _ASSIGN.match(statement)
    added = _ADD.search(statement)
    resource: _Resource | None = None
    if added is not None:
        receiver, method, project, name, second = added.groups()
        kind = method.lower()
        if kind.endswith("container") and kind.removesuffix("container") in SERVER_PORTS:
            kind = kind.removesuffix("container")  # Aspire 8 previews: AddRedisContainer
        if kind in _NOT_RESOURCES or kind.startswith("azure") or not _RESOURCE_NAME.match(name):
            return None
        if receiver not in variables and receiver != builder:
            return None  # ``yarp.AddRoute("/api/..")`` in a configuration callback
        if receiver in variables:  # postgres.AddDatabase("db"): a part of that server
            resource = resources[variables[receiver]]
        else:
            line = code.count("\n", 0, start + added.start()) + 1
            resource = resources.setdefault(name, _Resource(name, "container", line))
            if project is not None:
                resource.kind = "project"
                directory = by_class.get(project.replace(".", "_"))
                resource.sources = [str(directory)] if directory is not None else []
                resource.names.append(project)
            elif kind == "project" and second and second.endswith(_PROJECT_FILES):
                resource.kind = "project"  # AddProject("api", "../Api/Api.csproj")
                path = program.parent / second.replace("\\", "/")
                resource.sources = [str(path.resolve().parent)]
            elif kind == "container" or kind == "dockerfile":
                resource.image = second if kind == "container" else None
                if kind == "dockerfile" and second:
                    resource.sources = [str((program.parent / second).resolve())]
            elif kind in ("npmapp", "nodeapp", "pythonapp", "uvicornapp", "executable", "javaapp"):
                resource.kind = "app"
                if second:
                    resource.sources = [str((program.parent / second).resolve())]
            elif kind in SERVER_PORTS:
                resource.ports.append(SERVER_PORTS[kind])
                resource.server = kind
            resource.names.append(name)
    else:
        subject = _SUBJECT.match(statement)
        held = subject.group(1) if subject else assigned.group(2) if assigned else None
        if held in variables:
            resource = resources[variables[held]]
    if resource is not None and assigned is not None:
        variables[assigned.group(1)] = resource.name
        # ``AddPostgres("pg").AddDatabase("db")``, ``pg.AddDatabase(dbName)``
        databases = _DATABASE.findall(statement)
        named = added.group(4) if added is not None else None
        if databases:
            named = chosen(_strings_of(databases[-1], strings) or [""])
        connections[assigned.group(1)] = named or resource.name
    return resource


def _add_companions(
    resources: dict[str, _Resource], tools: list[tuple[str, CompanionCall, Location]]
) -> None:
    """The admin tools the servers add (``WithPgAdmin()``): a container each, or one per
    AppHost (named by the first call) connected to every server of its kinds, as Aspire
    configures them; see ``aspire_companions``."""
    made: set[str] = set()  # the shared tools (by method) already made
    for server, call, where in tools:
        companion = call.companion
        if companion.shared and call.method in made:
            continue  # Aspire configures the one it made
        name = call.name or f"{server}-{companion.suffix}"
        if name in resources or not _RESOURCE_NAME.match(name):
            continue
        made.add(call.method)
        tool = _Resource(name, "container", where.line, ports=[companion.listens])
        tool.names.append(name)
        targets = (
            [r.name for r in resources.values() if r.server in companion.servers]
            if companion.shared
            else [server]
        )
        for target in targets:
            tool.references.append(
                UnitReference(
                    target,
                    where,
                    f"AppHost {server}.{call.method}(): {name} connects to {target}",
                    port=companion.port,
                )
            )
        resources[name] = tool


def _string_variable(statement: str, strings: dict[str, list[str]]) -> None:
    """``var profile = "https"`` or ``= cond ? "http" : "https"``: the strings it may hold."""
    found = _STRING_VAR.match(statement)
    if found is None:
        return
    value = found.group(2)
    choice = _CONDITIONAL.search(value)
    if choice is not None:
        strings[found.group(1)] = [choice.group(1), choice.group(2)]
    elif (literal := _LITERAL.fullmatch(value)) is not None:
        strings[found.group(1)] = [literal.group(1)]


def _strings_of(argument: str, strings: dict[str, list[str]]) -> list[str] | None:
    literal = _LITERAL.fullmatch(argument)
    if literal is not None:
        return [literal.group(1)]
    return strings.get(argument)


def chosen(choices: list[str]) -> str:
    """One of the strings a run-time choice may give: ``https`` when it is one of them (what
    Aspire's templates run by default), else the first."""
    return "https" if "https" in choices else choices[0]


def _add_endpoint(resource: _Resource, scheme: str, arguments: str) -> None:
    """``.WithHttpEndpoint(port: 5000, targetPort: 80, name: "x")``: endpoint ``name`` (the
    scheme by default) at ``port``, else at ``targetPort``."""
    named = {m.group(1): m.group(2).strip('"') for m in _NAMED_ARG.finditer(arguments)}
    port = port_of(named.get("port")) or port_of(named.get("targetPort"))
    if not scheme:  # ``.WithEndpoint(port: 4317, targetPort: 4317, scheme: "http", name: ..)``:
        # a named endpoint of the container, where the container listens (its target port)
        port = port_of(named.get("targetPort")) or port
        scheme = named.get("scheme") or "tcp"
        if "name" not in named:
            return  # ``WithEndpoint("http", e => ..)`` configures one, or is unknown
    if port is not None:
        resource.endpoints[named.get("name") or scheme] = port


def _launch_endpoints(resource: _Resource, directory: Path, run: str | None) -> None:
    """The project's Kestrel endpoints, else those of the launch profile it runs (those set
    in the AppHost win): the one ``AddProject`` names, else the project's profile named as
    the one the AppHost runs (``run``), else its default."""
    kestrel = launch.kestrel_endpoints(directory)
    if kestrel:
        for endpoint, port in kestrel.items():
            resource.endpoints.setdefault(endpoint, port)
        return
    found = launch.profiles(directory)
    name: str | None
    if resource.profile:
        name = chosen(resource.profile)
    elif run is not None and run in found:
        name = run
    else:
        name = launch.default_profile(found)
    profile = found.get(name or "")
    if profile is None:
        return
    for endpoint, port in launch.endpoints(profile).items():
        resource.endpoints.setdefault(endpoint, port)


def _reference_env(target: _Resource, connection: str, where: Location) -> list[UnitEnv]:
    """The env ``WithReference(target)`` gives: a server's connection string under the name
    referenced (``ConnectionStrings__catalogdb`` for a database of it), a project's endpoints
    for service discovery (``services__basket-api__http__0``). Written as URLs."""
    if target.server is not None:
        address = f"{target.server}://{target.name}:{SERVER_PORTS[target.server]}"
        return [UnitEnv(f"ConnectionStrings__{connection}", address, where, reference=True)]
    return [
        UnitEnv(
            f"services__{target.name}__{name}__0",
            f"{name if name in ('http', 'https') else 'http'}://{target.name}:{port}",
            where,
            reference=True,
        )
        for name, port in target.endpoints.items()
    ]
