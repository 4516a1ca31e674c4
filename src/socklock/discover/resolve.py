"""Resolve a named host to the workloads behind it, and a Service port to a container port.

Pods see target ports, never Service ports, so every edge ends on the destination's
*container* port: a numeric ``targetPort`` is taken as written, a named one is looked up in
each selected workload's container ports (a workload without that name is not reached).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from socklock.discover.addresses import DEFAULT_PORTS, Target, image_port, is_dns_name, is_ip
from socklock.discover.names import kuma_mesh_name
from socklock.model import (
    ComposeProject,
    ComposeService,
    Inventory,
    PublishedPort,
    Service,
    Workload,
)

DEFAULT_CLUSTER_DOMAIN = "cluster.local"
# Ports well-known infrastructure images listen on that no client protocol default gives
# (IMAGE_PORTS has the servers clients dial by host alone): where a service on the host's
# network, which declares no port, answers ``localhost:<port>``. Consul's HTTP API (its
# agent docs, ``ports.http``), Zipkin's collector and UI (openzipkin/zipkin README).
_LISTENS: dict[str, tuple[int, ...]] = {"consul": (8500,), "hashicorp/consul": (8500,)}
_LISTENS["openzipkin/zipkin"] = _LISTENS["openzipkin/zipkin-slim"] = (9411,)
_HOST_INTERFACES = frozenset({"0.0.0.0", "127.0.0.1", "::", "[::]", "::1", "[::1]"})
_RUN_TO_COMPLETION = frozenset({"Job", "CronJob"})


def _names_namespace(service: Service) -> bool:
    """Whether the Service's manifest writes its namespace (else the loader defaulted it)."""
    metadata = service.obj.body.get("metadata")
    return isinstance(metadata, dict) and bool(metadata.get("namespace"))


@dataclass(frozen=True, slots=True)
class Reached:
    """A workload reached on one of its container ports."""

    workload: str
    port: int | None
    protocol: str
    via: str  # "Service sock-shop/catalogue port 80 → targetPort http (8080)"


@dataclass(frozen=True, slots=True)
class External:
    host: str
    port: int | None
    protocol: str


@dataclass(frozen=True, slots=True)
class NotFound:
    reason: str


Resolution = list[Reached] | External | NotFound


def selects(selector: dict[str, str] | None, labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in (selector or {}).items())


class KubernetesResolver:
    """Service DNS names (short, ``name.ns``, ``name.ns.svc[.cluster.local]``) → workloads."""

    def __init__(self, inventory: Inventory, cluster_domain: str = DEFAULT_CLUSTER_DOMAIN) -> None:
        self.cluster_domain = cluster_domain
        self.services = {(s.namespace, s.name): s for s in inventory.services}
        # Services whose manifest names no namespace: ``kubectl apply -n NS`` places them
        unplaced: dict[str, list[Service]] = defaultdict(list)
        for s in inventory.services:
            if not _names_namespace(s):
                unplaced[s.name].append(s)
        self.unplaced = {name: found[0] for name, found in unplaced.items() if len(found) == 1}
        self.workloads_by_ns: dict[str, list[Workload]] = defaultdict(list)
        for workload in inventory.workloads:
            if workload.owner is None:
                self.workloads_by_ns[workload.namespace].append(workload)
        self._by_label: dict[tuple[str, str, str], list[Workload]] | None = None
        # (namespace, selector) -> the workloads it selects: a proxy config may send
        # thousands of routes to one Service
        self._selected: dict[tuple[str, tuple[tuple[str, str], ...]], list[Workload]] = {}
        self._resolved: dict[tuple[Target, str], Resolution] = {}
        self.namespaces = (
            {ns.name for ns in inventory.namespaces}
            | set(self.workloads_by_ns)
            | {s.namespace for s in inventory.services}
        )

    def service_for(self, host: str, namespace: str) -> Service | None:
        parts = host.lower().rstrip(".").split(".")
        suffix = ["svc", *self.cluster_domain.split(".")]
        if len(parts) == 1:
            return self.services.get((namespace, parts[0]))
        if len(parts) == 2:
            return self._qualified(parts[0], parts[1], svc=False)
        rest = parts[2:]
        if rest == suffix[: len(rest)]:
            return self._qualified(parts[0], parts[1], svc=True)
        # <pod>.<service>.<namespace>.svc...: a headless Service's pod record
        if len(parts) >= 4 and parts[3:] == suffix[: len(parts) - 3]:
            return self._qualified(parts[1], parts[2], svc=True)
        return None

    def _qualified(self, name: str, namespace: str, *, svc: bool) -> Service | None:
        """``name.namespace``: that Service; else the one Service ``name`` whose manifest
        names no namespace (applied with ``kubectl apply -n namespace``, as the caller's
        address says), never one placed in another namespace by its manifest. Without the
        ``svc`` suffix only a namespace of the input counts (``orders.created`` is a queue)."""
        found = self.services.get((namespace, name))
        if found is not None or not (svc or namespace in self.namespaces):
            return found
        return self.unplaced.get(name)

    def selected(self, service: Service) -> list[Workload]:
        """The workloads ``service`` selects, in input order. Only those carrying one of its
        label pairs are tried (an index by namespace and label: one Service costs its
        matches, not its namespace's workloads)."""
        selector = dict(service.selector or {})
        if not selector:
            return []
        key = (service.namespace, tuple(selector.items()))
        known = self._selected.get(key)
        if known is None:
            known = self._selected[key] = self._select(service.namespace, selector)
        return list(known)

    def _select(self, namespace: str, selector: dict[str, str]) -> list[Workload]:
        if self._by_label is None:
            self._by_label = defaultdict(list)
            for space, workloads in self.workloads_by_ns.items():
                for w in workloads:
                    for pair in w.labels.items():
                        self._by_label[(space, *pair)].append(w)
        key, value = next(iter(selector.items()))
        candidates = self._by_label.get((namespace, key, value), [])
        chosen = [w for w in candidates if selects(selector, dict(w.labels))]
        # a chart's one-off Job often copies its app's labels (``assets-deploy`` beside the
        # ``assets`` Deployment): it runs to completion and serves nothing, so the Service's
        # callers reach the long-running workload only
        serving = [w for w in chosen if w.kind not in _RUN_TO_COMPLETION]
        return serving or chosen

    def resolve(self, target: Target, namespace: str) -> Resolution:
        """Where ``target``, named in ``namespace``, leads (each caller its own list).

        Worked out once per (target, namespace): a proxy config mounted by every copy of a
        workload names the same upstreams again and again."""
        key = (target, namespace)
        known = self._resolved.get(key)
        if known is None:
            known = self._resolved[key] = self._resolve(target, namespace)
        return list(known) if isinstance(known, list) else known

    def _resolve(self, target: Target, namespace: str) -> Resolution:
        mesh = kuma_mesh_name(target.host)
        if mesh is not None:  # the sidecar sends it to the Service port the name carries
            meshed = replace(target, host=f"{mesh.service}.{mesh.namespace}", port=mesh.port)
            found = self.resolve(meshed, namespace)
            if isinstance(found, External):  # the mesh's own DNS names nothing outside
                return NotFound(f"no Service {mesh.service!r} in namespace {mesh.namespace!r}")
            if isinstance(found, NotFound):
                return found
            return [replace(r, via=f"Kuma mesh name {target.host}: {r.via}") for r in found]
        service = self.service_for(target.host, namespace)
        if service is None:
            if is_ip(target.host) or (target.certain and is_dns_name(target.host)):
                parts = target.host.split(".")
                if len(parts) >= 2 and parts[1] in self.namespaces:
                    return NotFound(f"no Service {parts[0]!r} in namespace {parts[1]!r}")
                return External(target.host, target.port, target.protocol)
            if not target.certain:
                return NotFound("not a Service name")
            return NotFound(f"no Service {target.host!r} in namespace {namespace!r}")
        if service.type == "ExternalName" and service.external_name:
            return External(service.external_name, target.port, target.protocol)
        ports = [p for p in service.ports if p.protocol == target.protocol]
        if target.port is not None:
            ports = [p for p in ports if p.port == target.port]
            if not ports:
                listed = ", ".join(str(p.port) for p in service.ports) or "none"
                return NotFound(
                    f"Service {service.id} has no {target.protocol} port {target.port} "
                    f"(its ports: {listed})"
                )
        if not service.selector:
            return NotFound(f"Service {service.id} has no selector: its endpoints are not known")
        workloads = self.selected(service)
        if not workloads:
            return NotFound(f"Service {service.id} selects no workload in the input")
        reached: list[Reached] = []
        for port in ports:
            for workload in workloads:
                number: int | None
                if isinstance(port.target_port, int):
                    number = port.target_port
                else:
                    named = [
                        p.container_port
                        for p in workload.ports
                        if p.name == port.target_port and p.protocol == port.protocol
                    ]
                    if not named:
                        continue
                    number = named[0]
                via = f"Service {service.id} port {port.port}"
                if port.target_port != port.port:
                    via += f" → targetPort {port.target_port}"
                    if isinstance(port.target_port, str):
                        via += f" ({number})"
                reached.append(Reached(workload.id, number, port.protocol.value, via))
        if not reached:
            return NotFound(
                f"Service {service.id}'s target port is not declared by the workloads it selects"
            )
        return reached


def _directory(file: str) -> str:
    return str(Path(file).resolve().parent)


def default_container_names(project: str, service: ComposeService) -> list[str]:
    """The names compose gives a service's containers, which its network resolves too:
    ``<project>-<service>-<n>`` (Compose v2) and ``<project>_<service>_<n>`` (v1), one per
    replica (a Prometheus scrape config lists ``shop-orders-1:8080``)."""
    deploy = service.body.get("deploy")
    replicas = deploy.get("replicas") if isinstance(deploy, Mapping) else None
    count = replicas if isinstance(replicas, int) and 0 < replicas <= 16 else 1
    base = (project.lower(), service.name.lower())
    return [f"{sep.join(base)}{sep}{n}" for n in range(1, count + 1) for sep in ("-", "_")]


def network_names(project: ComposeProject) -> dict[str, str]:
    """Each network key of the project → the name Docker gives the network: its ``name:``,
    else ``<project>_<key>``."""
    raw = project.body.get("networks")
    specs = raw if isinstance(raw, Mapping) else {}
    found: dict[str, str] = {}
    for key in {*(str(k) for k in specs), "default"}:
        spec = specs.get(key)
        given = spec.get("name") if isinstance(spec, Mapping) else None
        if isinstance(given, str) and given.strip() and "$" not in given:
            found[key] = given.strip()
        else:
            found[key] = f"{project.name}_{key}"
    return found


def _actual_networks(project: ComposeProject, service: ComposeService) -> list[str]:
    """The names Docker gives the networks a service is on (none on another's or the
    host's network)."""
    if service.network_mode is not None:
        return []
    named = network_names(project)
    return [named[n] for n in service.networks if n in named]


def _shared_network_services(
    project: ComposeProject, others: Sequence[ComposeProject]
) -> dict[str, list[tuple[ComposeService, str]]]:
    """The services of other compose projects that share a network with this one: a network
    one of them declares ``external`` (created outside, ``docker network create net``) under
    the same name, which Docker's DNS answers their service names and container names on.
    name → (service, network name)."""
    own = network_names(project)
    found: dict[str, list[tuple[ComposeService, str]]] = {}
    for other in others:
        if other.file == project.file:
            continue
        theirs = network_names(other)
        shared = {
            name
            for key, name in theirs.items()
            if name in own.values()
            and (
                _external(other, key)
                or any(_external(project, k) for k, n in own.items() if n == name)
            )
        }
        if not shared:
            continue
        for service in other.services:
            for network in _actual_networks(other, service):
                if network in shared:
                    for name in (service.name, *_given_names(service)):
                        found.setdefault(name.lower(), []).append((service, network))
    return found


def _external(project: ComposeProject, key: str) -> bool:
    network = project.networks.get(key)
    return network is not None and network.external


def _given_names(service: ComposeService) -> list[str]:
    """The ``container_name`` and ``hostname`` a service sets, as written."""
    return [
        name.strip()
        for key in ("container_name", "hostname")
        if isinstance(name := service.body.get(key), str) and name.strip() and "$" not in name
    ]


# Consul's DNS interface: ``<name>.service.consul``, ``<tag>.<name>.service.consul``,
# ``<name>.service.<datacenter>.consul`` (Consul docs, "DNS interface: service lookups")
_CONSUL_DNS = re.compile(r"^(?:[a-z0-9_-]+\.)?([a-z0-9_-]+)\.service\.(?:[a-z0-9_-]+\.)?consul\.?$")
# Registrator (gliderlabs/registrator) registers the published ports of every container of
# the Docker host in a registry: named by ``SERVICE_<port>_NAME`` or ``SERVICE_NAME``, else
# by the image's base name (``-<port>`` added when the container publishes several ports);
# ``SERVICE_IGNORE`` / ``SERVICE_<port>_IGNORE`` leave it out (its "Service Object" docs)
_REGISTRATOR_IMAGES = frozenset({"gliderlabs/registrator"})


@dataclass(frozen=True, slots=True)
class Registered:
    """A port of a compose service that Registrator registers in Consul."""

    service: ComposeService
    container_port: int
    host_port: int | None  # what the registry hands out (the host's port; None: ephemeral)
    protocol: str
    why: str
    tags: frozenset[str] = frozenset()  # ``SERVICE_TAGS`` / ``SERVICE_<port>_TAGS``


def registrator_names(
    projects: Sequence[ComposeProject],
) -> dict[str, list[Registered]]:
    """The names Registrator registers the services of ``projects`` under (their published
    ports, an ephemeral host port too), when one of them runs Registrator; else none."""
    services = [s for p in projects for s in p.services]
    if not any(_image_name(s.image) in _REGISTRATOR_IMAGES for s in services):
        return {}
    found: dict[str, list[Registered]] = {}
    for service in services:
        if _image_name(service.image) in _REGISTRATOR_IMAGES:
            continue
        env = {e.name: e.value for e in service.environment if e.value is not None}
        published = list(service.ports)
        base = _image_name(service.image).rsplit("/", 1)[-1]
        if _truthy(env.get("SERVICE_IGNORE")):
            continue
        for port in published:
            key = f"SERVICE_{port.target}_"
            if _truthy(env.get(key + "IGNORE")):
                continue
            name = env.get(key + "NAME") or env.get("SERVICE_NAME")
            why = f"{key}NAME={name}" if env.get(key + "NAME") else f"SERVICE_NAME={name}"
            if not name:
                if not base:
                    continue
                name = base if len(published) == 1 else f"{base}-{port.target}"
                why = f"the image's name {base}"
            low = port.published.partition("-")[0].strip() if port.published else ""
            tags = env.get(key + "TAGS") or env.get("SERVICE_TAGS") or ""
            entry = Registered(
                service,
                port.target,
                int(low) if low.isdigit() else None,
                port.protocol.upper(),
                f"registered in Consul by Registrator ({why}) from compose service {service.id}",
                frozenset(t.strip() for t in tags.split(",") if t.strip()),
            )
            found.setdefault(name.lower(), []).append(entry)
    return found


def _truthy(value: str | None) -> bool:
    return value is not None and value.strip().lower() not in ("", "0", "false", "no")


class ComposeResolver:
    """Compose service names, aliases and ``links`` → services of the same project.

    A service also answers to its ``container_name`` and its ``hostname`` (``hostname:
    carts`` on service ``cart``: the app's peers are given ``http://carts:8080``), and,
    without a ``container_name``, to the names compose gives its containers
    (:func:`default_container_names`); a service's own name wins over another's hostname."""

    def __init__(self, project: ComposeProject, layered: Sequence[ComposeProject] = ()) -> None:
        self.project = project
        self.by_name: dict[str, ComposeService] = {s.name.lower(): s for s in project.services}
        services = list(project.services)
        for other in layered:  # files read together (``-f a -f b``): one project's services
            if other.name == project.name and _directory(other.file) == _directory(project.file):
                for service in other.services:
                    if service.name.lower() not in self.by_name:
                        self.by_name[service.name.lower()] = service
                        services.append(service)
        self.services = tuple(services)
        for service in services:  # the other files' container names and aliases too
            for key in ("container_name", "hostname"):
                name = service.body.get(key)
                if isinstance(name, str) and name.strip() and "$" not in name:
                    self.by_name.setdefault(name.strip().lower(), service)
            if not service.body.get("container_name"):
                for name in default_container_names(project.name, service):
                    self.by_name.setdefault(name, service)
            networks = service.body.get("networks")
            if isinstance(networks, dict):
                for spec in networks.values():
                    for alias in (
                        (spec or {}).get("aliases") or () if isinstance(spec, dict) else ()
                    ):
                        self.by_name.setdefault(str(alias).lower(), service)
                    for key in ("ipv4_address", "ipv6_address") if isinstance(spec, dict) else ():
                        # a static address on a project network is that container's alone
                        address = spec.get(key)
                        if isinstance(address, str) and address.strip() and "$" not in address:
                            self.by_name.setdefault(address.strip().lower(), service)
        # Consul names of every compose project's services, when Registrator runs
        every = [project, *(p for p in layered if p is not project and p.file != project.file)]
        self._everyone = [s for p in every for s in p.services]
        self.registered = registrator_names(every)
        self.shared = _shared_network_services(project, layered)
        # Docker's DNS also answers ``<name>.<network>`` on a network the container is on
        # (``MYSQL_HOST=db.${COMPOSE_NETWORK}``)
        named = network_names(project)
        for service in services:
            for network in service.networks if service.network_mode is None else ():
                actual = named.get(network)
                for name in [service.name, *_given_names(service)] if actual else ():
                    self.by_name.setdefault(f"{name}.{actual}".lower(), service)

    def _registered(self, target: Target, name: str, source: ComposeService) -> Resolution:
        """A Consul DNS name (``rabbitmq.service.consul:5672``): the services Registrator
        registered under that name, the port the registry hands out being the host port they
        publish; and the DNS server the caller asks, when its ``dns:`` is an address a service
        publishes port 53 on (Consul's DNS interface)."""
        entries = self.registered[name]
        if target.port is not None:
            entries = [e for e in entries if e.host_port == target.port]
        if not entries:
            return NotFound(f"nothing is registered in Consul as {name!r} on port {target.port}")
        reached = [
            Reached(
                e.service.id, e.container_port, e.protocol, f"Consul name {target.host}: {e.why}"
            )
            for e in entries
        ]
        servers = _dns_servers(source)
        for service in self._everyone:
            for published in service.ports:
                if published.target == 53 and published.host_ip in servers:
                    via = (
                        f"dns: {published.host_ip}, which compose service {service.id} "
                        f"publishes port 53/{published.protocol} on, resolves {target.host}"
                    )
                    reached.append(Reached(service.id, 53, published.protocol.upper(), via))
        return reached

    def service_ports(self, service: ComposeService) -> list[int]:
        ports = set(service.expose)
        ports.update(p.target for p in service.ports)
        return sorted(ports)

    def on_host(
        self, target: Target, listens: Mapping[str, Iterable[int]] | None = None
    ) -> Resolution:
        """``localhost:<port>`` called from a service on the host's network (``network_mode:
        host``): the host's port, so the service of the project that listens there, one on
        the host's network too (its declared ports, its image's, or ``listens``: the ports
        its build declares) or one that publishes the port on the host. Compose ignores the
        ``ports:`` of a host-networked service, but they say where it listens."""
        port = target.port
        if port is None:
            return NotFound("no port: the host's network does not say which service")
        reached: list[Reached] = []
        for service in self.services:
            if service.network_mode == "host":
                known = {*self.service_ports(service), *(listens or {}).get(service.id, ())}
                main = image_port(service.image)
                known.update(_LISTENS.get(_image_name(service.image), ()))
                if main is not None:
                    known.add(main)
                if port in known:
                    via = f"compose service {service.id} on the host's network listens on {port}"
                    reached.append(Reached(service.id, port, target.protocol, via))
                continue
            for published in service.ports:
                inner = _published_target(published, port, target.protocol)
                if inner is not None:
                    via = f"compose service {service.id} publishes host port {port} → {inner}"
                    reached.append(Reached(service.id, inner, target.protocol, via))
        if not reached and target.protocol.upper() == "TCP":
            # an address says no protocol: a port published for UDP alone (a Jaeger agent's
            # ``6831:6831/udp``) is what ``host:6831`` reaches
            for service in self.services:
                for published in service.ports if service.network_mode != "host" else ():
                    inner = _published_target(published, port, "UDP")
                    if inner is not None:
                        via = f"compose service {service.id} publishes host port {port}/udp"
                        reached.append(Reached(service.id, inner, "UDP", f"{via} → {inner}"))
        if not reached:
            return NotFound(f"no service of the host's network listens on port {port}")
        return reached

    def resolve(self, target: Target, source: ComposeService) -> Resolution:
        host = target.host.lower()
        aliases = {d.alias: d.service for d in source.dependencies if d.alias}
        service = self.by_name.get(aliases.get(host, host))
        if service is None:  # another project's, on an external network both are on
            joined = set(_actual_networks(self.project, source))
            service = next((s for s, net in self.shared.get(host, ()) if net in joined), None)
        consul = _CONSUL_DNS.match(host) if service is None else None
        if consul is not None and consul.group(1) in self.registered:
            return self._registered(target, consul.group(1), source)
        if service is None:
            if is_ip(target.host) or (target.certain and is_dns_name(target.host)):
                return External(target.host, target.port, target.protocol)
            if not target.certain:
                return NotFound("not a service name")
            return NotFound(f"no service {target.host!r} in compose project {self.project.name!r}")
        port = target.port
        if port is None:
            known = self.service_ports(service)
            main = image_port(service.image)
            # the one port it declares; else the protocol port of a well-known server
            # image that declares none (``postgres:16`` with no ``ports:``) or declares it
            # among others
            if len(known) == 1:
                port = known[0]
            elif main is not None and (not known or main in known):
                port = main
            elif not known and target.scheme in DEFAULT_PORTS:
                port = DEFAULT_PORTS[target.scheme]  # a server image of its own: its protocol's
        return [Reached(service.id, port, target.protocol, f"compose service {service.id}")]


def _dns_servers(service: ComposeService) -> list[str]:
    """The DNS servers a service's ``dns:`` names."""
    given = service.body.get("dns")
    listed = given if isinstance(given, list) else [given] if isinstance(given, str) else []
    return [str(address).strip() for address in listed if str(address).strip()]


def _image_name(image: str | None) -> str:
    """The image without registry host, tag or digest (``docker.io/openzipkin/zipkin:3``)."""
    name = (image or "").split("@")[0].lower()
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0]):
        parts = parts[1:]
    return "/".join(parts).removeprefix("library/")


def _published_target(published: PublishedPort, port: int, protocol: str) -> int | None:
    """The container port that host port ``port`` reaches through ``published``, if any."""
    if published.published is None or published.protocol.upper() != protocol.upper():
        return None
    if published.host_ip is not None and published.host_ip not in _HOST_INTERFACES:
        return None
    low, _, high = published.published.partition("-")
    if not low.strip().isdigit() or (high and not high.strip().isdigit()):
        return None
    first, last = int(low), int(high or low)
    if not first <= port <= last:
        return None
    return published.target + (port - first)
