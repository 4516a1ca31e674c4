"""What a caller can ask of the generator: flavour, mode, scope, DNS, entry points, types.

``socklock.toml`` (read with :func:`load_config`) can declare caller *types* for the
caller-declared mode, the cluster DNS and the ingress-controller namespace::

    [generate]
    ingress-namespace = "ingress-nginx"      # entry points admit only this namespace
    namespaces = ["sock-shop"]               # scope (default: every non-system namespace)

    [generate.dns]                           # or: dns = false
    namespace = "kube-system"
    labels = { "k8s-app" = "kube-dns" }
    ports = ["53/UDP", "53/TCP"]

    [generate.types.monitoring]              # one socklock.io/type label for a group
    workloads = ["monitoring/prometheus", "monitoring/grafana-agent"]
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from socklock.errors import UsageError

SYSTEM_NAMESPACES = frozenset({"kube-system", "kube-public", "kube-node-lease"})


class Flavor(StrEnum):
    KUBERNETES = "kubernetes"
    CALICO = "calico"
    ANP = "anp"  # BaselineAdminNetworkPolicy + NetworkPolicy (policy.networking.k8s.io)
    CILIUM = "cilium"  # CiliumNetworkPolicy (cilium.io/v2), L3/L4
    COMPOSE = "compose"


class Mode(StrEnum):
    ENFORCE = "enforce"
    CALLER_LABELS = "caller-labels"
    LOG = "log"  # Calico only: the last rule logs and allows what would be denied
    STAGED = "staged"  # Calico only: StagedNetworkPolicy, enforced nowhere


class UnknownPorts(StrEnum):
    """What to do with a call whose destination port the graph does not know."""

    DECLARED = "declared"  # allow every port the callee declares (same protocol), and say so
    REFUSE = "refuse"  # leave the call out, and say so


MODES_BY_FLAVOR: Mapping[Flavor, tuple[Mode, ...]] = {
    Flavor.KUBERNETES: (Mode.ENFORCE, Mode.CALLER_LABELS),
    Flavor.CALICO: (Mode.ENFORCE, Mode.CALLER_LABELS, Mode.LOG, Mode.STAGED),
    Flavor.ANP: (Mode.ENFORCE,),
    Flavor.CILIUM: (Mode.ENFORCE,),
    Flavor.COMPOSE: (Mode.ENFORCE,),
}


@dataclass(frozen=True, slots=True)
class DnsTarget:
    """The cluster DNS every workload may query."""

    namespace: str = "kube-system"
    labels: Mapping[str, str] = field(default_factory=lambda: {"k8s-app": "kube-dns"})
    ports: tuple[tuple[int, str], ...] = ((53, "UDP"), (53, "TCP"))


@dataclass(frozen=True, slots=True)
class CallerType:
    """Workloads that call as one group and carry one ``socklock.io/type`` label."""

    name: str
    workloads: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GenerateOptions:
    flavor: Flavor = Flavor.KUBERNETES
    mode: Mode = Mode.ENFORCE
    dns: DnsTarget | None = field(default_factory=DnsTarget)
    ingress_namespace: str | None = None  # entry points admit this namespace only
    namespaces: tuple[str, ...] | None = None  # scope; None: every non-system namespace
    unknown_ports: UnknownPorts = UnknownPorts.DECLARED
    types: tuple[CallerType, ...] = ()
    preset: str | None = None  # compose: "segments"
    calico_order: int = 100  # order of the per-workload Calico policies
    calico_default_order: int = 10000  # order of the Calico default deny (or log) policy
    include_hints: bool = False  # allow edges whose only evidence is depends_on/links
    # namespaces the generator leaves without policy: a workload there cannot be singled out
    # (set by the generator, see socklock.policy.generate.singled_out)
    unlocked: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.mode not in MODES_BY_FLAVOR[self.flavor]:
            allowed = ", ".join(m.value for m in MODES_BY_FLAVOR[self.flavor])
            raise UsageError(
                f"--mode {self.mode.value} does not apply to --flavor {self.flavor.value} "
                f"(it takes: {allowed})"
            )
        if self.preset is not None and (
            self.flavor is not Flavor.COMPOSE or self.preset != "segments"
        ):
            raise UsageError("--preset segments is the only preset, and only for --flavor compose")


def _parse_port(text: Any, where: str) -> tuple[int, str]:
    number, _, protocol = str(text).partition("/")
    try:
        port = int(number)
    except ValueError:
        raise UsageError(f"{where}: {text!r} is not a port like 53/UDP") from None
    protocol = (protocol or "TCP").upper()
    if not 1 <= port <= 65535 or protocol not in ("TCP", "UDP", "SCTP"):
        raise UsageError(f"{where}: {text!r} is not a port like 53/UDP")
    return port, protocol


def options_from_config(data: Mapping[str, Any], where: str = "socklock.toml") -> dict[str, Any]:
    """The keyword arguments of :class:`GenerateOptions` a ``[generate]`` table sets."""
    table = data.get("generate", {})
    if not isinstance(table, dict):
        raise UsageError(f"{where}: [generate] must be a table")
    known = {"dns", "ingress-namespace", "namespaces", "types", "unknown-ports"}
    for key in table:
        if key not in known:
            raise UsageError(
                f"{where}: unknown key generate.{key} (known: {', '.join(sorted(known))})"
            )
    out: dict[str, Any] = {}
    if "dns" in table:
        dns = table["dns"]
        if dns is False:
            out["dns"] = None
        elif isinstance(dns, dict):
            default = DnsTarget()
            labels = dns.get("labels", default.labels)
            if not isinstance(labels, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in labels.items()
            ):
                raise UsageError(f"{where}: generate.dns.labels must map strings to strings")
            ports = tuple(
                _parse_port(p, f"{where}: generate.dns.ports")
                for p in dns.get("ports", [f"{n}/{p}" for n, p in default.ports])
            )
            out["dns"] = DnsTarget(str(dns.get("namespace", default.namespace)), labels, ports)
        else:
            raise UsageError(f"{where}: generate.dns must be a table or false")
    if "ingress-namespace" in table:
        out["ingress_namespace"] = str(table["ingress-namespace"])
    if "namespaces" in table:
        out["namespaces"] = tuple(str(n) for n in table["namespaces"])
    if "unknown-ports" in table:
        try:
            out["unknown_ports"] = UnknownPorts(table["unknown-ports"])
        except ValueError:
            raise UsageError(f"{where}: generate.unknown-ports is declared or refuse") from None
    types = table.get("types", {})
    if not isinstance(types, dict):
        raise UsageError(f"{where}: [generate.types] must be a table of tables")
    found: list[CallerType] = []
    for name, spec in sorted(types.items()):
        members = spec.get("workloads") if isinstance(spec, dict) else None
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            raise UsageError(f"{where}: generate.types.{name}.workloads must be a list of ns/name")
        found.append(CallerType(name, tuple(sorted(set(members)))))
    if found:
        out["types"] = tuple(found)
    return out


def load_config(path: Path) -> dict[str, Any]:
    """Read ``socklock.toml``; the keyword arguments of :class:`GenerateOptions` it sets."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: {exc}") from None
    return options_from_config(data, str(path))
