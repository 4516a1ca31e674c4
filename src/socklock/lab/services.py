"""Services in the lab, as kube-proxy and cluster DNS give them to a pod.

A program run in the lab calls its peers the way the manifests say (``http://catalogue``,
``mongodb://orders-db:27017``, ``http://user.sock-shop.svc.cluster.local:80``), so every
Service gets:

- a ClusterIP: the manifest's ``clusterIP`` when it gives an IPv4 one, else one from
  :data:`SERVICE_V4`;
- in every pod's namespace, a DNAT from ClusterIP:port to a ready pod's address and target
  port (``targetPort``, a name resolved on that pod's container ports), in the nat output
  hook: it runs before the filter hooks, so the policies see the pod's address and the
  container port, as in a cluster;
- names, in a hosts file per pod namespace (``/etc/netns/<netns>/hosts``, which ``ip netns
  exec`` mounts over ``/etc/hosts`` for the programs it starts): ``name.ns.svc.cluster.local``,
  ``name.ns.svc``, ``name.ns`` for every Service, and ``name`` for the Services of the pod's
  own namespace (the search path of a pod's resolv.conf);
- a resolv.conf (mounted the same way) with the cluster's search path and a name server on
  the pod's loopback where nothing listens: the lab has no DNS server, so a name the hosts
  file does not hold fails at once (a reverse lookup, e.g. Python's ``HTTPServer`` asking
  for its own name, would otherwise wait for the machine's name server, which the pod
  cannot reach).

*Ready* pods are those a real program runs in: a Service's traffic goes to them only.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from socklock.model import Inventory, Protocol

from . import system
from .topology import LabPod, Topology

SERVICE_V4 = ipaddress.ip_network("10.96.0.0/16")
TABLE = "socklock_svc"
CLUSTER_DOMAIN = "cluster.local"
_L4 = {Protocol.TCP: "tcp", Protocol.UDP: "udp", Protocol.SCTP: "sctp"}


@dataclass(frozen=True, slots=True)
class Backend:
    address: str  # the ready pod's IPv4 address
    port: int  # its container port


@dataclass(frozen=True, slots=True)
class ServicePort:
    port: int
    protocol: Protocol
    backends: tuple[Backend, ...]


@dataclass(frozen=True, slots=True)
class LabService:
    namespace: str
    name: str
    address: str  # the ClusterIP
    ports: tuple[ServicePort, ...]

    @property
    def id(self) -> str:
        return f"{self.namespace}/{self.name}"

    def names(self, namespace: str) -> list[str]:
        """The names a pod of ``namespace`` resolves to this Service."""
        fqdn = f"{self.name}.{self.namespace}.svc.{CLUSTER_DOMAIN}"
        found = [fqdn, f"{self.name}.{self.namespace}.svc", f"{self.name}.{self.namespace}"]
        if namespace == self.namespace:
            found.append(self.name)
        return found


def _given_ip(spec: object) -> str | None:
    if not isinstance(spec, dict):
        return None
    value = spec.get("clusterIP")
    try:
        address = ipaddress.ip_address(str(value))
    except ValueError:
        return None
    return str(address) if address.version == 4 else None


def _target(pod: LabPod, target: int | str, protocol: Protocol) -> int | None:
    return target if isinstance(target, int) else pod.named_port(target, protocol)


def plan(inventory: Inventory, topology: Topology, ready: Collection[str]) -> list[LabService]:
    """Every Service with a selector, its ClusterIP and its ready backends (``ready``: the
    namespaces of the pods a program runs in)."""
    given = {s.id: ip for s in inventory.services if (ip := _given_ip(s.obj.body.get("spec")))}
    taken = {*given.values(), *(a for p in topology.pods for a in p.addresses)}
    free: Iterator[str] = (str(a) for a in SERVICE_V4.hosts() if str(a) not in taken)
    out: list[LabService] = []
    for service in sorted(inventory.services, key=lambda s: s.id):
        if not service.selector:
            continue  # ExternalName and selector-less Services have no pods to send to
        selector = dict(service.selector)
        pods = [
            p
            for p in topology.pods
            if p.netns in ready
            and p.namespace == service.namespace
            and all(p.labels.get(k) == v for k, v in selector.items())
        ]
        ports = []
        for entry in service.ports:
            backends = tuple(
                Backend(address, number)
                for p in pods
                if (address := p.address(4)) is not None
                and (number := _target(p, entry.target_port, entry.protocol)) is not None
            )
            ports.append(ServicePort(entry.port, entry.protocol, backends))
        address = given.get(service.id) or next(free)
        out.append(LabService(service.namespace, service.name, address, tuple(ports)))
    return out


def nat_script(services: Sequence[LabService]) -> str:
    """The ``nft -f`` script that sends each ClusterIP:port to a ready backend (at random
    among several, as kube-proxy does)."""
    rules = []
    for service in services:
        for port in service.ports:
            if not port.backends:
                continue
            match = f"ip daddr {service.address} {_L4[port.protocol]} dport {port.port}"
            if len(port.backends) == 1:
                action = f"dnat to {port.backends[0].address}:{port.backends[0].port}"
            else:
                choices = ", ".join(
                    f"{i} : {b.address} . {b.port}" for i, b in enumerate(port.backends)
                )
                action = f"dnat ip to numgen random mod {len(port.backends)} map {{ {choices} }}"
            rules.append(f'\t\t{match} {action} comment "{service.id}"')
    return "\n".join(
        [
            "# socklock lab: Services (ClusterIP -> ready pod), as kube-proxy gives them",
            f"table ip {TABLE}",
            f"delete table ip {TABLE}",
            f"table ip {TABLE} {{",
            "\tchain output {",
            "\t\ttype nat hook output priority -100; policy accept;",
            *rules,
            "\t}",
            "}",
            "",
        ]
    )


def hosts_file(services: Sequence[LabService], pod: LabPod) -> str:
    lines = ["127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback"]
    lines.extend(f"{address}\t{pod.endpoint.partition('/')[2]}" for address in pod.addresses)
    lines.extend(f"{s.address}\t{' '.join(s.names(pod.namespace))}" for s in services)
    return "\n".join(lines) + "\n"


def resolv_conf(pod: LabPod) -> str:
    search = f"{pod.namespace}.svc.{CLUSTER_DOMAIN} svc.{CLUSTER_DOMAIN} {CLUSTER_DOMAIN}"
    return f"nameserver 127.0.0.1\nsearch {search}\noptions ndots:5 timeout:1 attempts:1\n"


def install(topology: Topology, services: Sequence[LabService]) -> None:
    """The DNAT rules, the hosts file and resolv.conf in every pod's namespace."""
    script = nat_script(services)
    for pod in topology.pods:
        folder = system.etc_netns(pod.netns)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "hosts").write_text(hosts_file(services, pod))
        (folder / "resolv.conf").write_text(resolv_conf(pod))
    system.run_all(
        [(system.netns_exec(pod.netns, ["nft", "-f", "-"]), script) for pod in topology.pods]
    )


def hosts_path(netns: str) -> Path:
    return system.etc_netns(netns) / "hosts"
