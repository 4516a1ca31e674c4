"""The lab's network: a namespace per pod on one bridge with no uplink, and an "outside".

Layout (``<p>`` is the run's prefix, ``socklock-<run id>-``)::

    <p>br   the bridge namespace: bridge socklock-br0, and one veth socklock-v<i> per host
    <p><i>  one namespace per pod: socklock-eth0 (the veth's other end) and lo
    <p>ext  the outside of the cluster: addresses that ipBlocks talk about

The bridge lives in a namespace of its own, so the machine's root namespace gains nothing but
the namespace names: no interface, route, sysctl or nftables table of the machine changes, and
nothing the lab sends can leave it (the bridge namespace has no other interface and no route).
Each pod namespace has one address per family as a /32 (/128) and on-link default routes, so
any address of the lab (a pod's or an outside one) is reached over the bridge by ARP/ND.

Pods: one per workload template (or per dumped Pod); a workload that stands for replicas
(anything but a bare Pod) gets a second pod when the input gives it only one, so that
``w -> w``, which is policy between two distinct pods of ``w``, can be probed for real.

Addresses: a pod's own IPs when the input gives them (``status.podIPs``), otherwise one from
10.244.0.0/16 and one from fd5c:10c:1ab::/64 (*lab-assigned*). Lab-assigned addresses are
never matched by an ipBlock (the engine's convention: a pod matches an ipBlock only through an
IP the input gives it). The outside namespace holds 198.51.100.1 and 2001:db8:5c::1 (test
ranges) and one sample address per *atom* of every external range asked about: the range is
cut at every ipBlock boundary (cidr and except) the policies mention, policies decide the same
way for every address of an atom, so one address per atom observes the whole range exactly.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import count, pairwise

from socklock.model import Inventory, Protocol
from socklock.policy.admin_api import AdminPolicy
from socklock.policy.api import NetworkPolicy
from socklock.policy.pods import build_cluster

from . import system

LAB_V4 = ipaddress.ip_network("10.244.0.0/16")
LAB_V6 = ipaddress.ip_network("fd5c:10c:1ab::/64")
OUTSIDE_V4 = "198.51.100.1"
OUTSIDE_V6 = "2001:db8:5c::1"
BRIDGE = "socklock-br0"
POD_LINK = "socklock-eth0"
EXTERNAL_PREFIX = "external:"
PROBED = (Protocol.TCP, Protocol.UDP)  # the kernel here has no SCTP sockets

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
PortKey = tuple[int, Protocol]

# Never used as a sample: addresses with a special meaning to the kernel.
_RESERVED = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "224.0.0.0/3",
        "::/8",
        "fe80::/10",
        "ff00::/8",
    )
)
# Where a sample is taken when the atom allows it: documentation and private ranges.
_PREFERRED = tuple(
    ipaddress.ip_network(n)
    for n in (
        "198.51.100.0/24",
        "203.0.113.0/24",
        "192.0.2.0/24",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "198.18.0.0/15",
        "2001:db8::/32",
        "fd00::/8",
        "fc00::/8",
    )
)


@dataclass(frozen=True, slots=True)
class PodPort:
    number: int
    protocol: Protocol
    name: str | None = None


@dataclass(frozen=True, slots=True)
class LabPod:
    """One pod of the lab, in namespace ``netns``."""

    endpoint: str  # the workload id answers name: namespace/name
    replica: int
    namespace: str  # the Kubernetes namespace
    labels: Mapping[str, str]
    ports: tuple[PodPort, ...]  # declared container ports
    addresses: tuple[str, ...]  # IPv4 first
    given: bool  # the addresses are the input's (status.podIPs), not lab-assigned
    netns: str

    @property
    def name(self) -> str:
        return f"{self.endpoint}#{self.replica}"

    def address(self, version: int) -> str | None:
        for text in self.addresses:
            if ipaddress.ip_address(text).version == version:
                return text
        return None

    def named_port(self, name: str, protocol: Protocol) -> int | None:
        """The number of container port ``name`` when its protocol is ``protocol``."""
        for port in self.ports:
            if port.name == name and port.protocol is protocol:
                return port.number
        return None


@dataclass(frozen=True, slots=True)
class Unsampled:
    """Part of an external range the lab cannot observe, with the reason; ``whole`` when no
    address of the range can be probed (its rows are skipped)."""

    name: str
    reason: str
    whole: bool = True


@dataclass(frozen=True, slots=True)
class Outside:
    """The namespace that stands for every address outside the cluster."""

    netns: str
    addresses: tuple[str, ...]
    samples: Mapping[str, tuple[str, ...]]  # external:<range> -> one address per atom
    unsampled: tuple[Unsampled, ...]


@dataclass(frozen=True, slots=True)
class Topology:
    run_id: str
    prefix: str  # every namespace of the run starts with it
    pods: tuple[LabPod, ...]
    outside: Outside
    namespace_labels: Mapping[str, Mapping[str, str]]
    single_pod: frozenset[str]  # endpoints that are one bare Pod (w -> w is a pod to itself)
    pod_ports: tuple[PortKey, ...]  # extra ports every pod listens on (policies mention them)
    outside_ports: tuple[PortKey, ...]  # ports the outside listens on
    endpoints: tuple[str, ...] = field(default=())
    # netns -> sockets (address, port, protocol) a real program serves instead of the listener
    served: Mapping[str, tuple[tuple[str, int, str], ...]] = field(default_factory=dict)

    @property
    def bridge_netns(self) -> str:
        return f"{self.prefix}br"

    @property
    def lab_assigned(self) -> tuple[str, ...]:
        return tuple(a for p in self.pods if not p.given for a in p.addresses)

    def pods_of(self, endpoint: str) -> list[LabPod]:
        return [p for p in self.pods if p.endpoint == endpoint]

    def declared(self, endpoint: str) -> list[PortKey]:
        """The container ports any pod of ``endpoint`` declares (SCTP included), sorted."""
        return sorted({(p.number, p.protocol) for q in self.pods_of(endpoint) for p in q.ports})

    def listen_ports(self, pod: LabPod) -> list[PortKey]:
        """What the pod's listener serves: every port its workload declares (on any of its
        pods, so a closed port is the policy's doing, not a missing server), then the ports
        the policies mention."""
        declared = [k for k in self.declared(pod.endpoint) if k[1] in PROBED]
        return sorted(set(declared) | set(self.pod_ports))

    def sockets(self, pod: LabPod) -> list[tuple[str, int, str]]:
        """What the pod's listener binds: every address and port, but the sockets a real
        program of the pod serves."""
        served = set(self.served.get(pod.netns, ()))
        return [
            socket
            for address in pod.addresses
            for port, protocol in self.listen_ports(pod)
            if (socket := (address, port, str(protocol))) not in served
        ]

    def outside_sockets(self) -> list[tuple[str, int, str]]:
        return [
            (address, port, str(protocol))
            for address in self.outside.addresses
            for port, protocol in self.outside_ports
        ]


def new_run_id(seed: str | None = None) -> str:
    """A short id: of ``seed`` (e.g. the input paths) or of this process and the clock."""
    text = seed if seed is not None else f"{os.getpid()}-{os.urandom(4).hex()}"
    return hashlib.sha1(text.encode()).hexdigest()[:6]


def _reserved(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return True
    return any(address.version == n.version and address in n for n in _RESERVED)


def _atoms(net: Network, cuts: Iterable[Network]) -> list[tuple[int, int]]:
    low, high = int(net.network_address), int(net.broadcast_address)
    points = {low, high + 1}
    for cut in cuts:
        if cut.version != net.version:
            continue
        for point in (int(cut.network_address), int(cut.broadcast_address) + 1):
            if low < point <= high:
                points.add(point)
    ordered = sorted(points)
    return [(a, b - 1) for a, b in pairwise(ordered)]


def _pick(version: int, low: int, high: int, taken: set[str]) -> str | None:
    """An address in low..high: in a documentation/private range when possible."""
    make = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
    starts: list[int] = []
    for preferred in _PREFERRED:
        if preferred.version != version:
            continue
        a = max(low, int(preferred.network_address))
        b = min(high, int(preferred.broadcast_address))
        if a <= b:
            starts.append(a + 1 if a < b else a)
    starts.extend([low + 1 if low < high else low, low, (low + high) // 2, high])
    for start in starts:
        for candidate in range(start, min(start + 64, high + 1)):
            address = make(candidate)
            if not _reserved(address) and str(address) not in taken:
                return str(address)
    return None


def external_network(name: str) -> Network:
    """The range an ``external:`` endpoint stands for (a host name: all of IPv4)."""
    text = name.removeprefix(EXTERNAL_PREFIX)
    try:
        if "/" in text:
            return ipaddress.ip_network(text, strict=False)
        return ipaddress.ip_network(f"{ipaddress.ip_address(text)}", strict=False)
    except ValueError:
        return ipaddress.ip_network("0.0.0.0/0")


def policy_networks(policies: Sequence[NetworkPolicy]) -> list[Network]:
    """Every cidr and except the policies' ipBlocks mention."""
    out: list[Network] = []
    for policy in policies:
        for rule in (*policy.ingress, *policy.egress):
            for peer in rule.peers:
                if peer.ip_block is not None:
                    out.append(peer.ip_block.cidr)
                    out.extend(peer.ip_block.excepts)
    return out


def policy_externals(policies: Sequence[NetworkPolicy]) -> list[str]:
    """The external ranges worth probing: each ipBlock's cidr and holes, and both worlds."""
    names = {f"{EXTERNAL_PREFIX}0.0.0.0/0", f"{EXTERNAL_PREFIX}::/0"}
    names.update(f"{EXTERNAL_PREFIX}{n}" for n in policy_networks(policies))
    return sorted(names)


def mentioned_ports(policies: Sequence[NetworkPolicy | AdminPolicy]) -> list[PortKey]:
    """Numeric ports the policies mention, with the first port outside each range."""
    out: set[PortKey] = set()
    for policy in policies:
        for rule in (*policy.ingress, *policy.egress):
            for port in rule.ports:
                if not isinstance(port.port, int) or port.protocol not in PROBED:
                    continue
                end = port.end_port if port.end_port is not None else port.port
                for number in (port.port, end, port.port - 1, end + 1):
                    if 1 <= number <= 65535:
                        out.add((number, port.protocol))
    return sorted(out)


def plan(
    inventory: Inventory,
    policies: Sequence[NetworkPolicy],
    *,
    run_id: str,
    externals: Iterable[str] = (),
    extra_ports: Iterable[PortKey] = (),
) -> Topology:
    """The lab for ``inventory``'s workloads (nothing is created yet)."""
    prefix = f"{system.PREFIX}{run_id}-"
    cluster = build_cluster(inventory)
    taken: set[str] = set()
    for endpoint in cluster.endpoints:
        for workload in endpoint.workloads:
            taken.update(str(ipaddress.ip_address(a)) for a in workload.pod_ips)
    v4 = (str(a) for a in LAB_V4.hosts() if str(a) not in taken)
    v6 = (text for i in count(1) if (text := str(LAB_V6.network_address + i)) not in taken)
    numbers = count()
    pods: list[LabPod] = []
    single: set[str] = set()
    for endpoint in cluster.endpoints:
        if endpoint.single_pod:
            single.add(endpoint.id)
        templates = list(endpoint.workloads)
        if not endpoint.single_pod and len(templates) == 1 and not templates[0].pod_ips:
            templates.append(templates[0])  # a second replica: w -> w is between two pods
        for replica, workload in enumerate(templates):
            ports = tuple(
                PodPort(p.container_port, Protocol(p.protocol), p.name) for p in workload.ports
            )
            if workload.pod_ips:
                given = sorted(
                    {str(ipaddress.ip_address(a)) for a in workload.pod_ips},
                    key=lambda a: ipaddress.ip_address(a).version,
                )
                addresses, is_given = tuple(given), True
            else:
                addresses, is_given = (next(v4), next(v6)), False
            pods.append(
                LabPod(
                    endpoint=endpoint.id,
                    replica=replica,
                    namespace=endpoint.namespace,
                    labels=dict(workload.labels),
                    ports=ports,
                    addresses=addresses,
                    given=is_given,
                    netns=f"{prefix}{next(numbers)}",
                )
            )
    pod_addresses = {a for p in pods for a in p.addresses}
    names = sorted({*policy_externals(policies), *externals})
    cuts = policy_networks(policies)
    samples: dict[str, tuple[str, ...]] = {}
    unsampled: list[Unsampled] = []
    for name in names:
        net = external_network(name)
        picked: list[str] = []
        holes: list[Unsampled] = []
        for low, high in _atoms(net, [*cuts, *map(external_network, names)]):
            address = _pick(net.version, low, high, pod_addresses)
            if address is None:
                span = _span(net.version, low, high)
                holes.append(
                    Unsampled(
                        name,
                        f"no address of {span} is probed (loopback, link-local, multicast and "
                        "unspecified addresses cannot stand for an outside host)",
                        whole=False,
                    )
                )
                continue
            picked.append(address)
        if picked:
            samples[name] = tuple(sorted(set(picked), key=ipaddress.ip_address))
            unsampled.extend(holes)
        else:
            unsampled.append(Unsampled(name, "no address of the range can be probed"))
    outside_addresses = sorted(
        {OUTSIDE_V4, OUTSIDE_V6} | {a for s in samples.values() for a in s},
        key=lambda a: (ipaddress.ip_address(a).version, ipaddress.ip_address(a)),
    )
    extra = sorted({*mentioned_ports(policies), *(k for k in extra_ports if k[1] in PROBED)})
    declared = {(p.number, p.protocol) for pod in pods for p in pod.ports if p.protocol in PROBED}
    namespaces = sorted({*inventory.namespace_names(), *(p.namespace for p in pods)})
    return Topology(
        run_id=run_id,
        prefix=prefix,
        pods=tuple(pods),
        outside=Outside(
            netns=f"{prefix}ext",
            addresses=tuple(outside_addresses),
            samples=samples,
            unsampled=tuple(unsampled),
        ),
        namespace_labels={ns: inventory.namespace_labels(ns) for ns in namespaces},
        single_pod=frozenset(single),
        pod_ports=tuple(extra),
        outside_ports=tuple(sorted(declared | set(extra))),
        endpoints=tuple(e.id for e in cluster.endpoints),
    )


def _span(version: int, low: int, high: int) -> str:
    make = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
    return f"{make(low)}-{make(high)}"


# -- building and removing -------------------------------------------------------------------


def _host_commands(netns: str, addresses: Sequence[str]) -> str:
    lines = [
        "link set lo up",
        f"link set {POD_LINK} up",
    ]
    for address in addresses:
        if ipaddress.ip_address(address).version == 4:
            lines.append(f"address add {address}/32 dev {POD_LINK}")
        else:
            lines.append(f"address add {address}/128 dev {POD_LINK} nodad")
    lines.append(f"route add 0.0.0.0/0 dev {POD_LINK}")
    lines.append(f"route add ::/0 dev {POD_LINK}")
    return "\n".join(lines) + "\n"


def build(topology: Topology) -> None:
    """Create the namespaces, the bridge and the veths; configure every host."""
    system.require()
    existing = system.namespaces(topology.prefix)
    if existing:
        raise system.LabError(
            f"a lab with prefix {topology.prefix} already exists ({len(existing)} namespaces): "
            "run `socklock lab down` first"
        )
    hosts = [(p.netns, p.addresses) for p in topology.pods]
    hosts.append((topology.outside.netns, topology.outside.addresses))
    names = [topology.bridge_netns, *(netns for netns, _ in hosts)]
    system.run(["ip", "-batch", "-"], "".join(f"netns add {n}\n" for n in names))
    bridge = [
        f"link add {BRIDGE} type bridge mcast_snooping 0",
        f"link set {BRIDGE} up",
    ]
    for index, (netns, _) in enumerate(hosts):
        veth = f"socklock-v{index}"
        bridge.append(f"link add {veth} type veth peer name {POD_LINK} netns {netns}")
        bridge.append(f"link set {veth} master {BRIDGE} up")
    system.run(["ip", "-n", topology.bridge_netns, "-batch", "-"], "\n".join(bridge) + "\n")
    system.run_all(
        [
            (["ip", "-n", netns, "-batch", "-"], _host_commands(netns, addresses))
            for netns, addresses in hosts
        ]
    )


def destroy(prefix: str) -> list[str]:
    """Stop the agents in, and delete, every namespace named ``prefix*``."""
    return system.delete_namespaces(prefix)
