"""One identity per service across every source: a build unit, an image, a compose service,
a Kubernetes workload and an Aspire resource that are the same service are one workload.

Names a workload answers to: its own name, its images' names, the executable its command
runs (``entrypoint: OrdersService``: a CMake target of that name builds it), the Kubernetes
Services that select it, compose network aliases, and the names of the build units matched
to it. A build unit is matched to a workload by build context (a compose ``build:``
directory or an Aspire ``AddProject`` that is the unit's directory), else by one of its
names naming exactly one workload. Units with no twin become workloads of their own,
``code/<name>``, when the input has no deployment at all or only a compose file of public
images that builds none of them (the databases and brokers beside code run on the host);
otherwise they are listed, not drawn: the deployment says what runs, and a unit it does not
run (a tool, a service left out of the manifests, or one named differently, which
``socklock.toml [code.owners]`` fixes) is reported for review.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from socklock.discover.name_table import NameTable
from socklock.discover.resolve import ComposeResolver, KubernetesResolver
from socklock.model import BuildUnit, ComposeService, Inventory
from socklock.model.kubernetes import ContainerRole

CODE_NAMESPACE = "code"


@dataclass(frozen=True, slots=True)
class Named:
    """The workload a bare service name reaches, and the port it listens on when known."""

    workload: str
    port: int | None
    via: str


def unit_id(unit: BuildUnit) -> str:
    """``<apphost>/<resource>`` for an Aspire resource, ``code/<name>`` for a build unit."""
    return f"{unit.host or CODE_NAMESPACE}/{unit.name}"


def normal(name: str) -> str:
    """The key a name is matched by: ``api-gateway``, ``apiGateway`` and ``api_gateway`` are
    one (compose files and build files often spell one service differently)."""
    from socklock.load.units.names import normal as spelled

    return spelled(name).replace("-", "")


class Identities:
    """The workloads of the graph, the names each answers to, and the units matched to them."""

    def __init__(self, inventory: Inventory, aliases: dict[str, str]) -> None:
        self.names = NameTable()
        self.primary = NameTable()  # a workload's own name
        self.ports: dict[str, list[int]] = {}  # only the graph ids that have ports
        self._added = False  # whether any workload was added
        self.where: dict[str, str] = {}  # graph id → the file that declares it
        self.endpoints: dict[str, dict[str, int]] = {}  # graph id → endpoint name → port
        self.commanded: set[str] = set()  # graph ids that override their image's command
        # names that say which code a workload runs but that no client dials: its
        # containers' names (a Deployment ``frontend`` whose container is ``php-redis``)
        self.code_names = NameTable()
        self.images = NameTable()  # an image's name → the workloads that run it
        # an image as written with its tag (``shop/main:orders``) → the workloads that run it
        self.tagged = NameTable()
        self.copies: dict[str, list[str]] = {}  # graph id → the compose services built alike
        self._core_names: NameTable | None = None
        self._kubernetes(inventory)
        self._compose(inventory, aliases)
        for unit in inventory.units:
            if unit.host is not None:
                self._add(unit_id(unit), [unit.name, *unit.names], unit.ports, unit.location.file)
                if unit.endpoints:
                    self.endpoints[unit_id(unit)] = dict(unit.endpoints)
        self.deployed = self._added or bool(self.names)
        self.twins: dict[BuildUnit, str] = {}  # unit → the workload it builds
        self.own: list[BuildUnit] = []  # units that are workloads of their own (code/...)
        self.unmatched: list[BuildUnit] = []  # units no deployment runs
        self.shared: list[BuildUnit] = []  # units whose build context several workloads use
        self.versions: dict[BuildUnit, list[str]] = {}  # unit → the workloads that are its versions
        contexts = self._contexts(inventory, aliases)
        by_name: list[BuildUnit] = []
        for unit in inventory.units:
            if unit.host is not None:
                continue
            twin = self._twin(unit, contexts, by_name)
            if (
                twin is None
                and unit.directory
                and len(contexts.get(Path(unit.directory).resolve(), ())) > 1
            ):
                self.shared.append(unit)  # one image, several services (entrypoints.py)
            elif twin is not None:
                self.twins[unit] = twin
            elif versions := self._versions(unit):
                self.versions[unit] = versions
            elif self.deployed:
                self.unmatched.append(unit)
            else:
                self.own.append(unit)
        self._nearest(by_name)
        for unit, twin in list(self.twins.items()):
            if len(self.copies.get(twin, ())) > 1:  # copies of one build: it runs in each
                self.versions[unit] = self.copies[twin]
                del self.twins[unit]
        if self.unmatched and _infrastructure_only(inventory, self):
            self.own, self.unmatched = self.unmatched, []  # the code runs beside it, on the host
        for unit, twin in self.twins.items():
            if twin in self.endpoints:
                continue  # an Aspire project listens where its launch profile says
            known = self.ports.setdefault(twin, [])
            known.extend(p for p in unit.ports if p not in known)
        for unit in self.own:
            ports = (*unit.ports, *_server_port(unit, inventory, unit.ports))
            self._add(unit_id(unit), [unit.name, *unit.names], ports, unit.location.file)
        for unit, twin in self.twins.items():
            for name in (unit.name, *unit.names):
                if not self.names.get(normal(name)):
                    self.names.add(normal(name), twin)

    def workload_units(self) -> dict[str, list[BuildUnit]]:
        """Graph id → the build units that are that workload (its twins, the unit it is a
        version of, or itself)."""
        found: dict[str, list[BuildUnit]] = defaultdict(list)
        for unit, twin in self.twins.items():
            found[twin].append(unit)
        for unit, versions in self.versions.items():
            for workload in versions:
                found[workload].append(unit)
        for unit in self.own:
            found[unit_id(unit)].append(unit)
        return dict(found)

    def lookup(self, name: str) -> Named | None:
        """The one workload ``name`` (``account-service``, ``Catalog.API``) names, or None
        when it names none or several."""
        found = self._owners(name) or self._cores().get(_core(name))  # go-app ↔ go-service
        if len(found) != 1:
            return None
        (workload,) = found
        ports = self.ports.get(workload, [])
        return Named(workload, ports[0] if ports else None, f"service name {name} → {workload}")

    def endpoint_port(self, workload: str, names: str) -> int | None:
        """The port of the endpoint ``names`` asks for: an endpoint name, or a service
        discovery scheme (``http`` for ``http://basket-api``; ``https+http``: the first of
        them the workload has)."""
        found = self.endpoints.get(workload)
        if not found or not names:
            return None
        return next((found[n] for n in names.lower().split("+") if n in found), None)

    def _owners(self, name: str) -> frozenset[str]:
        """Workloads whose own name ``name`` is, else those it is another name of."""
        key = normal(name)
        return self.primary.get(key) or self.names.get(key)

    def _nearest(self, by_name: list[BuildUnit]) -> None:
        """Several units matched one workload by name (a repository holding copies of an
        application): the ones nearest to the workload's manifest are it, the rest are not."""
        groups: dict[str, list[BuildUnit]] = defaultdict(list)
        for unit in by_name:
            groups[self.twins[unit]].append(unit)
        for twin, units in groups.items():
            if len(units) < 2 or twin not in self.where:
                continue
            anchor = Path(self.where[twin]).resolve().parts

            def shared(unit: BuildUnit, anchor: tuple[str, ...] = anchor) -> int:
                parts = Path(unit.directory or "").resolve().parts
                return next(
                    (i for i, (a, b) in enumerate(zip(parts, anchor, strict=False)) if a != b),
                    min(len(parts), len(anchor)),
                )

            best = max(shared(u) for u in units)
            for unit in units:
                if shared(unit) < best:
                    del self.twins[unit]
                    self.unmatched.append(unit)

    def _versions(self, unit: BuildUnit) -> list[str]:
        """Workloads that each run ``unit``: the unit's name reaches several workloads (a
        Service named like it selects them all) and each workload's own name is the unit's
        name and a suffix (``reviews`` → ``reviews-v1``, ``reviews-v2``; ``orders`` →
        ``orders-canary``): versions, canaries or blue/green copies of one service; or
        each runs the image the unit builds (its own command left in place: ``_twin``)."""
        from socklock.load.units.names import image_name

        for name in (unit.name, *unit.names):
            owners = self._owners(name)
            key = normal(name)
            if len(owners) > 1 and all(_own_name(w).startswith(key) for w in owners):
                return sorted(owners)
        if _component_tag(unit.image):
            return []  # ``shop/main:orders``: the tag names one component, not versions
        if unit.image and len(runners := self.images.get(normal(image_name(unit.image) or ""))) > 1:
            return sorted(runners)
        return []

    def _add(
        self,
        graph_id: str,
        names: list[str | None],
        ports: tuple[int, ...] | list[int],
        where: str | None = None,
    ) -> None:
        if where is not None:
            self.where.setdefault(graph_id, where)
        if names and names[0] and normal(names[0]):
            self.primary.add(normal(names[0]), graph_id)
            self._core_names = None  # made again from the names known now
        for name in names:
            if name and normal(name):
                self.names.add(normal(name), graph_id)
                self._core_names = None
        self._added = True
        if ports:
            known = self.ports.setdefault(graph_id, [])
            known.extend(p for p in ports if p not in known)

    def _kubernetes(self, inventory: Inventory) -> None:
        from socklock.discover.entrypoints import command_line, program_name
        from socklock.load.units.names import image_name

        resolver = KubernetesResolver(inventory)
        for workload in inventory.workloads:
            if workload.owner is None:
                names = [workload.name, *(image_name(c.image) for c in workload.containers)]
                for container in workload.containers:
                    if normal(image := image_name(container.image) or ""):
                        self.images.add(normal(image), workload.id)
                    if tagged := _component_tag(container.image):
                        self.tagged.add(tagged, workload.id)
                names += [
                    program_name(command_line(c.run, "command", "")) for c in workload.containers
                ]
                ports = [p.container_port for p in workload.ports]
                self._add(workload.id, names, ports, workload.location.file)
                if any(
                    _runs_another(command_line(c.run, "command", "command"))
                    for c in workload.containers
                ):
                    self.commanded.add(workload.id)
                for container in workload.containers:
                    if container.role == ContainerRole.CONTAINER and normal(container.name):
                        self.code_names.add(normal(container.name), workload.id)
        for service in inventory.services:
            if not service.selector:
                continue
            for workload in resolver.selected(service):
                self.names.add(normal(service.name), workload.id)

    def _compose(self, inventory: Inventory, aliases: dict[str, str]) -> None:
        from socklock.discover.entrypoints import command_line, program_name
        from socklock.load.units.names import image_name

        builds: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for project in inventory.compose_projects:
            resolver = ComposeResolver(project)
            for service in project.services:
                graph_id = aliases.get(service.id, service.id)
                if service.build_context:
                    builds[_build_key(service)].append(graph_id)
                names: list[str | None] = [service.name, image_name(service.image)]
                if normal(image := image_name(service.image) or ""):
                    self.images.add(normal(image), graph_id)
                if tagged := _component_tag(service.image):
                    self.tagged.add(tagged, graph_id)
                names.append(program_name(command_line(service.body, "entrypoint", "command")))
                names += [n for n, s in resolver.by_name.items() if s is service]
                self._add(graph_id, names, resolver.service_ports(service), project.file)
                if _runs_another(command_line(service.body, "entrypoint", "command")):
                    self.commanded.add(graph_id)
        for alike in builds.values():
            if len(alike) > 1:
                self.copies.update((graph_id, sorted(alike)) for graph_id in alike)

    def _contexts(self, inventory: Inventory, aliases: dict[str, str]) -> dict[Path, set[str]]:
        """Build directories of the deployment's workloads: compose ``build:`` contexts and
        Dockerfile directories, Aspire project directories."""
        from socklock.discover.attribution import built_programs

        found: dict[Path, set[str]] = defaultdict(set)
        for project in inventory.compose_projects:
            shared: set[Path] = set()
            for service in project.services:
                server = server_build(inventory, service)
                if server is not None:  # a server's image: its Dockerfile's directory only
                    found[server].add(aliases.get(service.id, service.id))
                    continue
                if service.build_context:
                    graph_id = aliases.get(service.id, service.id)
                    context = Path(service.build_context).resolve()
                    shared.update([context] if context in found else [])
                    found[context].add(graph_id)
                    if service.dockerfile:
                        found[(context / service.dockerfile).parent.resolve()].add(graph_id)
            for context in shared:  # one context, a program each: the directory it builds
                for service_id, program in built_programs(inventory, project, context).items():
                    found[program.resolve()].add(aliases.get(service_id, service_id))
        for unit in inventory.units:
            if unit.host is not None and unit.directory:
                found[Path(unit.directory).resolve()].add(unit_id(unit))
        from socklock.discover.attribution import running_image
        from socklock.discover.build_scripts import script_builds

        for image, built in script_builds(tuple(inventory.roots)):  # ``docker build -t``
            directory = Path(built).resolve()
            if directory not in found:
                found[directory].update(running_image(inventory, aliases, image))
        return found

    def _twin(
        self, unit: BuildUnit, contexts: dict[Path, set[str]], by_name: list[BuildUnit]
    ) -> str | None:
        for source in unit.sources[:1]:
            context_owners = contexts.get(Path(source).resolve(), set())
            if len(context_owners) == 1:
                return next(iter(context_owners))
        for name in (unit.name, *unit.names):
            owners = self._owners(name)
            if len(owners) > 1:  # one image, several services: the others run other commands
                owners = owners - self.commanded if owners & self.commanded else owners
            if len(owners) == 1:
                by_name.append(unit)
                return next(iter(owners))
        tagged = _component_tag(unit.image)
        owners = self.tagged.get(tagged) if tagged else frozenset()
        if len(owners) == 1:  # the one workload that runs the image as the unit tags it
            return next(iter(owners))
        for name in (unit.name, *unit.names):  # a container named like the unit
            owners = self.code_names.get(normal(name))
            if len(owners) == 1:
                by_name.append(unit)
                return next(iter(owners))
        stem = _stem(unit.name)  # ``guestbook-go`` → ``guestbook``
        owners = self.primary.get(stem) if stem else frozenset()
        if len(owners) == 1:
            by_name.append(unit)
            return next(iter(owners))
        owners = self._cores().get(_core(unit.name))  # ``sale`` ↔ ``saleapp``
        if len(owners) == 1:
            by_name.append(unit)
            return next(iter(owners))
        return None

    def _cores(self) -> NameTable:
        """Workloads by any of their names without a trailing program word
        (``productcatalogapp`` → ``productcatalog``), their containers' names among them
        (``converter-api`` runs ``converter``); a core two workloads share names neither."""
        if self._core_names is None:
            self._core_names = NameTable()
            for table in (self.primary, self.names, self.code_names):
                for name, owners in table.items():
                    self._core_names.update(_core(name), owners)
        return self._core_names


def _build_key(service: ComposeService) -> tuple[str, ...]:
    """What a compose service's container runs: its build (context, Dockerfile, build args,
    target) and its command. Services alike in all of it are copies of one program (``api``
    and ``api_clone`` behind a balancer): the build unit it compiles runs in each."""
    from socklock.discover.entrypoints import command_line

    build = service.body.get("build")
    extra = build if isinstance(build, dict) else {}
    return (
        str(Path(service.build_context or "").resolve()),
        service.dockerfile or "",
        repr(extra.get("args")),
        repr(extra.get("target")),
        repr(command_line(service.body, "entrypoint", "entrypoint")),
        repr(command_line(service.body, "command", "command")),
    )


def _infrastructure_only(inventory: Inventory, identities: Identities) -> bool:
    """Whether the deployment runs none of the input's code: compose files only, whose
    services all run public images (no ``build:``) or build a database's own image with its
    init scripts (:func:`_server_builds`), none of them another build unit's twin. Such a
    file starts the databases and brokers the services use, while the services themselves
    run on the host (``mvn spring-boot:run``) and reach them through published ports."""
    if inventory.workloads or not inventory.compose_projects:
        return False
    if identities.versions or identities.shared:
        return False
    if any(unit.host is not None for unit in inventory.units):
        return False
    servers = _server_builds(inventory)
    if any(
        (not unit.directory or Path(unit.directory).resolve() not in servers)
        and not _builds_a_server(unit, inventory)
        for unit in identities.twins
    ):
        return False
    services = [service for project in inventory.compose_projects for service in project.services]
    units = _unit_names(inventory)
    return all(
        Path(service.build_context).resolve() in servers
        if service.build_context
        else _public_image(service.image, units)
        for service in services
    )


def _server_builds(inventory: Inventory) -> set[Path]:
    """The compose build contexts whose Dockerfile builds on a database's or a broker's
    public image (``FROM postgres`` adding ``init.sql``): a server's own program with the
    repository's schema or config, not the repository's code."""

    by_path = {Path(d.path).resolve(): d for d in inventory.dockerfiles}
    found: set[Path] = set()
    for project in inventory.compose_projects:
        for service in project.services:
            if not service.build_context:
                continue
            context = Path(service.build_context).resolve()
            dockerfile = by_path.get(context / (service.dockerfile or "Dockerfile"))
            if dockerfile is None or not dockerfile.stages:
                continue
            if _server_image(dockerfile.stages[-1].base_image):
                found.add(context)
    return found


def server_build(inventory: Inventory, service: ComposeService) -> Path | None:
    """The directory of a compose service's Dockerfile when it is not the build context's
    own and builds on a well-known server's image (``dockerfile: ./infra/mongo/Dockerfile``,
    ``FROM mongo`` adding a key file, over the repository's root as context): the server is
    that directory's, the context's code is not its. None for any other build."""
    if not service.build_context or not service.dockerfile:
        return None
    context = Path(service.build_context).resolve()
    path = (context / service.dockerfile).resolve()
    if path.parent == context:
        return None
    dockerfile = next((d for d in inventory.dockerfiles if Path(d.path).resolve() == path), None)
    if dockerfile is None or not dockerfile.stages:
        return None
    if not _server_image(dockerfile.stages[-1].base_image):
        return None
    return path.parent


def _server_port(unit: BuildUnit, inventory: Inventory, known: tuple[int, ...]) -> list[int]:
    """The port of the well-known server a Dockerfile unit builds on (``FROM postgres``
    adding its schema listens on 5432, as the base image's own ``EXPOSE`` says), when its
    Dockerfile does not say it already."""
    from socklock.discover.addresses import image_port

    if unit.kind != "dockerfile":
        return []
    path = Path(unit.location.file).resolve()
    dockerfile = next((d for d in inventory.dockerfiles if Path(d.path).resolve() == path), None)
    if dockerfile is None or not dockerfile.stages:
        return []
    port = image_port(dockerfile.stages[-1].base_image)
    return [port] if port is not None and port not in known else []


def _builds_a_server(unit: BuildUnit, inventory: Inventory) -> bool:
    """Whether the unit is a Dockerfile that builds on a well-known server's image
    (``FROM prom/prometheus`` adding its ``prometheus.yml``), the image a compose service
    runs by its tag: a server with the repository's config, not the repository's code."""
    files = unit.dockerfiles or ((unit.location.file,) if unit.kind == "dockerfile" else ())
    wanted = {Path(f).resolve() for f in files}
    if not wanted:
        return False
    found = [d for d in inventory.dockerfiles if Path(d.path).resolve() in wanted]
    return len(found) == len(wanted) and all(
        d.stages and _server_image(d.stages[-1].base_image) for d in found
    )


def _server_image(image: str | None) -> bool:
    """A public image of a well-known server (a database, a broker, the monitoring stack,
    a developer's console), not of a language runtime an official image also is."""
    from socklock.discover.addresses import image_port

    if not _public_image(image) or image is None:
        return False
    name = image.split("@")[0].rsplit(":", 1)[0].removeprefix("docker.io/")
    program = name.rsplit("/", 1)[-1].lower()
    namespace = name.split("/")[-2].lower() if "/" in name else ""
    return (
        image_port(image) is not None
        or program in _MONITORING | _TOOLS | _SERVERS
        or namespace in _VENDOR_NAMESPACES
    )


def _runs_another(line: list[str]) -> bool:
    """Whether a command line replaces the image's command: options alone
    (``-Dakka.remote.netty.tcp.hostname=seed``) are arguments the image's own entry point
    passes to its program, which still runs."""
    return bool(line) and not line[0].startswith("-")


# Namespaces of vendors that publish only their own products' images (Confluent Platform's
# ``confluentinc/cp-schema-registry``, Bitnami's packaged servers, HashiCorp's
# ``hashicorp/consul``, Hazelcast's, Keycloak's, Grafana Labs', Prometheus', Jaeger's,
# Zipkin's): never a repository's code, unless the image names one of the input's build
# units (the vendor's own demo repository: :func:`_public_image`)
_VENDOR_NAMESPACES = frozenset(
    {"confluentinc", "bitnami", "bitnamilegacy", "hashicorp", "grafana", "prom"}
    | {"jaegertracing", "openzipkin", "hazelcast", "keycloak"}
    | {"vectorized", "redpandadata"}  # Redpanda (a Kafka API broker) and its console
)


def _unit_names(inventory: Inventory) -> frozenset[str]:
    """Every name of the input's build units (:func:`normal`): their own, their
    directories'."""
    return frozenset(
        normal(name) for unit in inventory.units for name in (unit.name, *unit.names) if name
    )


def _public_image(image: str | None, units: frozenset[str] = frozenset()) -> bool:
    """A Docker official image (``mongo:7``, no namespace), a well-known server's
    (``bitnami/kafka``), a well-known application's (``data/image_conventions.toml``: a
    broker's web console) or one of a vendor that publishes only its products'
    (:data:`_VENDOR_NAMESPACES`): not an image of the repository's own code pushed to a
    registry. A vendor's own demo repository pushes its code under the vendor's namespace
    too (``ghcr.io/grafana/intro-to-mltp:mythical-beasts-server-latest``): an image whose
    name or tag names one of the input's build units (``units``) is the repository's own."""
    from socklock.discover.addresses import image_port
    from socklock.discover.image_conventions import family_of

    name = (image or "").split("@")[0].rsplit(":", 1)[0] if image else ""
    if not name:
        return False
    path = name.removeprefix("docker.io/").removeprefix("library/")
    head, slash, rest = path.partition("/")
    if slash and "/" in rest and ("." in head or ":" in head):
        path = rest  # a registry host (``quay.io/keycloak/keycloak``): the vendor is next
    program = name.rsplit("/", 1)[-1].lower()
    return (
        "/" not in path
        or (path.split("/", 1)[0] in _VENDOR_NAMESPACES and not _names_unit(image, units))
        or image_port(image) is not None
        or family_of([image]) is not None
        or program in _MONITORING | _TOOLS | _SERVERS
        or program.endswith(("exporter", "_exporter", "-exporter"))
    )


def _names_unit(image: str | None, units: frozenset[str]) -> bool:
    """Whether the image's name or its tag, less a version suffix (``orders``,
    ``shop:orders-latest``, ``shop:orders-1.2``), is one of ``units``' names."""
    return any(normal(word) in units for word in _image_words(image))


def _image_words(image: str | None) -> list[str]:
    """The image's name and the component its tag names: the words that may name the
    program it holds (``ghcr.io/acme/demo:orders-latest`` → ``demo``, ``orders``)."""
    from socklock.load.units.names import image_name

    if not image or "$" in image:
        return []
    return [word for word in (image_name(image), _tag_word(image)) if word]


def _tag_word(image: str | None) -> str:
    """The component an image's tag names, less a version suffix, as a shared image
    repository tags each service's image (``demo:orders-latest`` → ``orders``); empty for
    no tag, a version tag (``1.2``, ``latest``) or a ``${VAR}`` tag."""
    if not image or "$" in image:
        return ""
    last = image.split("@")[0].rsplit("/", 1)[-1]
    tag = last.rsplit(":", 1)[1] if ":" in last else ""
    return "" if not tag or _VERSION_TAG.match(tag) else _VERSION_SUFFIX.sub("", tag)


# a version written after a component's name in a tag (``orders-latest``, ``orders-1.2``,
# ``orders_v3``)
_VERSION_SUFFIX = re.compile(r"[-_.](?:latest|stable|main|master|dev|v?\d[\w.]*)$", re.IGNORECASE)


# the monitoring stack a compose file starts beside the databases (``prom/prometheus``,
# ``google/cadvisor``, a Prometheus exporter): no program of the repository's own
_MONITORING = frozenset(
    {"prometheus", "alertmanager", "pushgateway", "cadvisor", "node-exporter", "loki"}
    | {"promtail", "tempo", "jaeger", "all-in-one", "zipkin", "statsd-exporter"}
    # no default port: which of OTLP's two (4317 gRPC, 4318 HTTP) a peer uses is its own
    # setting, so a bare host handed to a container is no call on either
    | {"opentelemetry-collector", "opentelemetry-collector-contrib", "otelcol", "otelcol-contrib"}
)

# well-known brokers and pipelines whose clients write the port (no one default port):
# ActiveMQ and Artemis (``vromero/activemq-artemis``) serve AMQP, STOMP, MQTT and their
# own protocols; Logstash listens where its pipeline's inputs say
_SERVERS = frozenset({"activemq", "activemq-artemis", "artemis", "logstash"})

# the web consoles and mail catchers a compose file starts beside the databases for the
# developer (``dpage/pgadmin4``, ``provectuslabs/kafka-ui``): well-known programs, never the
# repository's own
_TOOLS = frozenset(
    {"pgadmin4", "redis-commander", "kafdrop", "kafka-ui", "mailhog", "mailpit", "maildev"}
    | {"akhq"}
)


# words that end a program's name written without a separator (``saleapp``,
# ``identityserver``): language words are not among them (``mongo`` is not ``mon`` + go)
_PROGRAM_SUFFIXES = ("service", "server", "app", "api", "svc", "srv")


def _core(name: str) -> str:
    """A unit's or a workload's name without its trailing program word, compared between
    the two: ``product-catalog-api`` and ``productcatalogapp`` are both ``productcatalog``;
    a plural is its singular (``CommandsService`` builds the image ``commandservice``)."""
    spelled = normal(name)
    for suffix in _PROGRAM_SUFFIXES:
        if spelled.endswith(suffix) and len(spelled) - len(suffix) >= 2:
            spelled = spelled[: -len(suffix)]
            break
    if len(spelled) > 3 and spelled.endswith("s") and not spelled.endswith("ss"):
        return spelled[:-1]
    return spelled


# words a build unit's name adds to the service's name: the language or the kind of program
_UNIT_AFFIXES = frozenset(
    {"go", "golang", "py", "python", "node", "nodejs", "js", "ts", "java", "kotlin", "dotnet"}
    | {"net", "rust", "rs", "ruby", "rb", "php", "service", "svc", "app", "server", "srv"}
)


def _stem(name: str) -> str | None:
    """The service's name inside a unit's name, when the unit adds a language or program
    word to it (``guestbook-go``, ``orders-service``, ``py-ratings``), else None."""
    from socklock.load.units.names import normal as spelled

    words = [w for w in spelled(name).split("-") if w]
    kept = [w for w in words if w not in _UNIT_AFFIXES]
    if not kept or len(kept) == len(words):
        return None
    return "".join(kept)


def _own_name(graph_id: str) -> str:
    """A workload's own name, matched like any name (``default/reviews-v1`` → ``reviewsv1``)."""
    return normal(graph_id.rsplit("/", 1)[-1])


def service_named(
    inventory: Inventory, name: str, aliases: dict[str, str] | None = None
) -> Named | None:
    """The workload a bare service name (``account-service``) reaches, with its port.

    For analysers of service-discovery names (Feign clients, ``lb://`` URIs, Aspire
    references): build :class:`Identities` once and call ``lookup`` when resolving many.
    """
    return Identities(inventory, aliases or {}).lookup(name)


_VERSION_TAG = re.compile(r"^(?:latest|stable|main|master|dev|v?\d[\w.-]*)$", re.IGNORECASE)


def _component_tag(image: str | None) -> str | None:
    """``shop/main:orders`` (lower case): an image whose tag names a component, as a shared
    image repository tags each service's image; None for no tag or a version tag
    (``1.2``, ``v3``, ``latest``) and for a ``${VAR}`` tag."""
    if not image or "@" in image or "$" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return None
    tag = last.rsplit(":", 1)[1]
    if not tag or _VERSION_TAG.match(tag):
        return None
    return image.lower()
