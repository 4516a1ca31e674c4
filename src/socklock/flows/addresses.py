"""Map what a flow names (an IP, or a namespace and pod name) to a workload of the inputs.

In order: the user's address table (``--addresses``: exact addresses, then the longest
network), pod IPs (``status.podIP``/``podIPs`` of dumped Pods, grouped under their owning
workload as the engine does), Service ``clusterIP``/``clusterIPs`` (the destination port is
the Service port: it becomes the container port its ``targetPort`` names on each selected
workload). An address none of these knows is ``external:<ip>`` when it is public, and is
*not mapped* when it is private (a pod or node the inputs do not describe: judging it as an
outside address would invent drops). A name maps to the workload of that name, to the
workload of a dumped pod of that name, or to the workload whose pods' generated names it
starts with (``front-end-6d8f9c-*`` -> ``front-end``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from socklock.flows.record import LineWarning
from socklock.model import EXTERNAL_PREFIX, Inventory, Service

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class Mapped:
    endpoint: str  # namespace/name or external:<address>
    port: int | None  # the destination container port (after a Service's targetPort)
    via: str  # "pod IP", "Service shop/catalogue clusterIP port 80", "address table", ...


@dataclass(frozen=True, slots=True)
class Endpoint:
    """What the mapper needs of a workload: its id, namespace, pods and declared ports."""

    id: str
    namespace: str
    names: tuple[str, ...]  # the workload's name and the names of its dumped pods
    refs: frozenset[str]  # K8sObject refs of its workloads (Service selection)
    labels: tuple[dict[str, str], ...]
    pod_ips: tuple[str, ...]
    named_ports: dict[tuple[str, str], int]  # (name, protocol) -> container port


def read_table(path: str) -> tuple[dict[str, str], list[LineWarning]]:
    """``ADDRESS[/PREFIX] WORKLOAD`` lines (``#`` comments): address -> ns/name or external."""
    table: dict[str, str] = {}
    warnings: list[LineWarning] = []
    with open(path, encoding="utf-8") as handle:  # noqa: PTH123
        for number, line in enumerate(handle, 1):
            text = line.partition("#")[0].split()
            if not text:
                continue
            if len(text) != 2:
                warnings.append(LineWarning(path, number, "expected ADDRESS[/PREFIX] WORKLOAD"))
                continue
            try:
                network = ipaddress.ip_network(text[0], strict=False)
            except ValueError:
                warnings.append(LineWarning(path, number, f"{text[0]!r} is not an address"))
                continue
            name = text[1]
            if not name.startswith(EXTERNAL_PREFIX) and name.count("/") != 1:
                warnings.append(
                    LineWarning(path, number, f"{name!r}: expected NAMESPACE/NAME or external:...")
                )
                continue
            table[str(network)] = name
    return table, warnings


def _cluster_ips(service: Service) -> list[str]:
    spec = service.obj.body.get("spec")
    if not isinstance(spec, dict):
        return []
    found = [spec.get("clusterIP")]
    ips = spec.get("clusterIPs")
    if isinstance(ips, list):
        found.extend(ips)
    return [ip for ip in dict.fromkeys(found) if isinstance(ip, str) and ip not in ("", "None")]


def _generated_prefixes(name: str) -> Iterable[str]:
    """``a-b-6d8f9c-x2x7q``, ``a-b-6d8f9c-*`` -> ``a-b-6d8f9c``, ``a-b``, ``a`` (longest first)."""
    parts = name.removesuffix("*").rstrip("-").split("-")
    for end in range(len(parts) - 1, 0, -1):
        yield "-".join(parts[:end])


class AddressBook:
    def __init__(
        self,
        inventory: Inventory,
        endpoints: Iterable[Endpoint],
        table: dict[str, str] | None = None,
    ) -> None:
        self.endpoints = {e.id: e for e in endpoints}
        self.warnings: list[str] = []
        self.pods: dict[str, str] = {}
        self.names: dict[tuple[str, str], str] = {}
        by_ref: dict[str, Endpoint] = {}
        for endpoint in self.endpoints.values():
            for name in endpoint.names:
                self.names.setdefault((endpoint.namespace, name), endpoint.id)
            for ref in endpoint.refs:
                by_ref[ref] = endpoint
            for ip in endpoint.pod_ips:
                ip = _canonical(ip) or ip
                other = self.pods.setdefault(ip, endpoint.id)
                if other != endpoint.id:
                    self.warnings.append(f"pod IP {ip} is given to {other} and {endpoint.id}")
        self.services: dict[str, tuple[Service, list[Endpoint]]] = {}
        for service in inventory.services:
            selector = dict(service.selector or {})
            selected = [
                e
                for e in self.endpoints.values()
                if selector
                and e.namespace == service.namespace
                and any(all(lab.get(k) == v for k, v in selector.items()) for lab in e.labels)
            ]
            for ip in _cluster_ips(service):
                self.services[_canonical(ip) or ip] = (service, selected)
        self.exact: dict[str, str] = {}
        self.networks: list[tuple[Network, str]] = []
        for text, name in (table or {}).items():
            network = ipaddress.ip_network(text)
            if network.num_addresses == 1:
                self.exact[str(network.network_address)] = name
            else:
                self.networks.append((network, name))
        self.networks.sort(key=lambda item: -item[0].prefixlen)
        self._cache: dict[tuple[str | None, tuple[str, str] | None, int | None, str], object] = {}

    def map(
        self, ip: str | None, name: tuple[str, str] | None, port: int | None, protocol: str
    ) -> list[Mapped] | str:
        """The workloads a side is (several: a Service selecting several), or why none."""
        key = (ip, name, port, protocol)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._map(ip, name, port, protocol)
        return found  # type: ignore[return-value]

    def _map(
        self, ip: str | None, name: tuple[str, str] | None, port: int | None, protocol: str
    ) -> list[Mapped] | str:
        if ip is not None:
            address = _canonical(ip)
            if address is None:
                return f"{ip!r} is not an IP address"
            named = self.exact.get(address)
            if named is not None:
                return self._named(named, port, "address table")
            pod = self.pods.get(address)
            if pod is not None:
                return [Mapped(pod, port, "pod IP")]
            service = self.services.get(address)
            if service is not None:
                return self._service(address, *service, port, protocol)
            parsed = ipaddress.ip_address(address)
            for network, named in self.networks:
                if parsed in network:
                    return self._named(named, port, f"address table {network}")
            if name is None:
                if parsed.is_private:
                    return "a private address that is no pod or Service IP of the inputs"
                return [Mapped(f"{EXTERNAL_PREFIX}{address}", port, "outside address")]
        if name is not None:
            found = self._by_name(*name)
            if found is not None:
                return [Mapped(found, port, "name")]
            return f"no workload named {name[0]}/{name[1]} in the inputs"
        return "no address"

    def _named(self, named: str, port: int | None, via: str) -> list[Mapped] | str:
        if named.startswith(EXTERNAL_PREFIX) or named in self.endpoints:
            return [Mapped(named, port, via)]
        return f"the address table names {named}, which is no workload of the inputs"

    def _service(
        self,
        address: str,
        service: Service,
        selected: list[Endpoint],
        port: int | None,
        protocol: str,
    ) -> list[Mapped] | str:
        ports = [p for p in service.ports if p.protocol == protocol and p.port == port]
        if not ports:
            return f"Service {service.id} ({address}) has no {protocol} port {port}"
        if not selected:
            return f"Service {service.id} ({address}) selects no workload of the inputs"
        out: list[Mapped] = []
        for service_port in ports:
            target = service_port.target_port
            for endpoint in selected:
                number = (
                    target
                    if isinstance(target, int)
                    else endpoint.named_ports.get((target, protocol))
                )
                if number is not None:
                    via = f"Service {service.id} clusterIP {address} port {service_port.port}"
                    out.append(Mapped(endpoint.id, number, via))
        return out or f"Service {service.id}'s targetPort is declared by no selected workload"

    def _by_name(self, namespace: str, name: str) -> str | None:
        found = self.names.get((namespace, name))
        if found is not None:
            return found
        for prefix in _generated_prefixes(name):
            found = self.names.get((namespace, prefix))
            if found is not None:
                return found
        return None


def _canonical(ip: str) -> str | None:
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        return None
