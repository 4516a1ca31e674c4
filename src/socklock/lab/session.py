"""A lab's life: ``up`` (namespaces, rules, listeners), ``probe`` (and compare), ``down``.

``running(...)`` is the context manager tests use: whatever happens inside, everything the
lab created (its namespaces, by the run's prefix, and its listeners, by pid) is removed.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from socklock.model import Inventory, K8sObject
from socklock.policy.admin_api import AdminPolicy, is_admin_object, parse_admin_policies
from socklock.policy.api import (
    NetworkPolicy,
    is_calico_policy_object,
    is_policy_object,
    parse_policies,
)
from socklock.policy.calico_engine import parse_calico_mix
from socklock.policy.calico_model import DEFAULT, CalicoPolicy, CalicoTier
from socklock.policy.cilium_api import is_cilium_object
from socklock.policy.pods import build_cluster
from socklock.policy.result import PolicyErrors

from . import nft, nft_admin, nft_calico, nft_cilium, programs, services, system, topology
from .compare import Answers, Comparison, compare
from .nft import LabPolicy
from .probe import DEFAULT_TIMEOUT, Observed, probe, start_listeners
from .programs import Program
from .services import LabService
from .state import topology_to_dict
from .topology import PortKey, Topology


@dataclass(frozen=True, slots=True)
class Lab:
    """A lab that is up: its topology, the rules installed (netns -> script), its listeners."""

    topology: Topology
    policies: tuple[LabPolicy, ...]
    rulesets: dict[str, str]
    listeners: dict[str, int]  # netns -> pid
    timings: dict[str, float] = field(default_factory=dict)
    processes: tuple[subprocess.Popen[bytes], ...] = field(default=(), compare=False)
    programs: tuple[subprocess.Popen[bytes], ...] = field(default=(), compare=False)
    services: tuple[LabService, ...] = ()

    @property
    def digest(self) -> str:
        return fingerprint(self.topology, self.rulesets)


def fingerprint(laid_out: Topology, rulesets: dict[str, str]) -> str:
    """A digest of the topology and the rules: what `probe` checks is still what is up."""
    text = json.dumps([topology_to_dict(laid_out), sorted(rulesets.items())], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def parse(
    inventory: Inventory, policies: Sequence[K8sObject | NetworkPolicy] | None = None
) -> tuple[LabPolicy, ...]:
    """The validated policies (the inventory's by default); refuses any invalid one, as the
    engine does. ``projectcalico.org/v3`` objects are Calico's tiers and policies, enforced
    with the Kubernetes NetworkPolicies beside them placed as Calico places them
    (:mod:`.nft_calico`); ``cilium.io/v2`` policies are enforced with the
    NetworkPolicies beside them (:mod:`.nft_cilium`)."""
    if policies is None:
        policies = [o for o in inventory.objects if is_policy_object(o)]
    objects = [p for p in policies if isinstance(p, K8sObject)]
    if any(is_calico_policy_object(o) for o in objects):
        # what the decider refuses, refused alike; the lab compiles the rest itself
        mix = parse_calico_mix(inventory, policies)
        # the default tier named: the Calico compiler runs even when every Calico object
        # is a staged one (not enforced)
        calico_tiers: tuple[CalicoTier, ...] = mix.tiers or (DEFAULT,)
        return (*calico_tiers, *mix.calico, *mix.kubernetes, *mix.cnps)
    if any(is_cilium_object(o) for o in objects):
        if any(is_admin_object(o) for o in objects):
            raise system.LabError(
                "the lab enforces Cilium policies with NetworkPolicies, not beside "
                "AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy"
            )
        problems = build_cluster(inventory).diagnostics
        if problems:
            raise PolicyErrors(tuple(sorted(problems)))
        given = tuple(nft_cilium.CiliumAllow(p) for p in policies if isinstance(p, NetworkPolicy))
        return (*nft_cilium.parse(inventory, objects), *given)
    admin = parse_admin_policies(o for o in objects if is_admin_object(o))
    parsed = parse_policies(o for o in objects if not is_admin_object(o))
    diagnostics = (
        *build_cluster(inventory).diagnostics,
        *parsed.diagnostics,
        *admin.diagnostics,
    )
    if diagnostics:
        raise PolicyErrors(tuple(sorted(diagnostics)))
    tiers = (*admin.admin, *admin.baseline)
    return (*parsed.policies, *(p for p in policies if isinstance(p, NetworkPolicy)), *tiers)


def plan(
    inventory: Inventory,
    policies: Sequence[LabPolicy],
    run_id: str,
    *,
    externals: Iterable[str] = (),
    extra_ports: Iterable[PortKey] = (),
) -> tuple[Topology, dict[str, str]]:
    """The topology and the nft scripts, without creating anything."""
    plain = [p for p in policies if isinstance(p, NetworkPolicy)]
    plain += nft_cilium.networks_of(
        [p for p in policies if isinstance(p, nft_cilium.CiliumAllow | nft_cilium.CiliumDeny)]
    )
    names, ports = nft_admin.mentioned([p for p in policies if isinstance(p, AdminPolicy)])
    calico_names, calico_ports = nft_calico.mentioned(
        [p for p in policies if isinstance(p, CalicoPolicy | CalicoTier)]
    )
    names, ports = [*names, *calico_names], [*ports, *calico_ports]
    laid_out = topology.plan(
        inventory,
        plain,
        run_id=run_id,
        externals=[*externals, *names],
        extra_ports=[*extra_ports, *ports],
    )
    return laid_out, nft.compile_all(laid_out, policies)


def up(
    inventory: Inventory,
    policies: Sequence[K8sObject | NetworkPolicy] | None = None,
    *,
    run_id: str | None = None,
    externals: Iterable[str] = (),
    extra_ports: Iterable[PortKey] = (),
    run: Sequence[Program] = (),
    enforce: bool = True,
    mode: str = nft.ENFORCE,
) -> Lab:
    """Create the lab: namespaces and bridge, nftables rules, then the listeners.

    ``run``: programs to run in their workloads' first pods (:mod:`.programs`), with the
    Services (ClusterIPs, names) they call their peers by; ``enforce=False`` starts the lab
    open (no rules installed): :func:`apply` installs them later; ``mode="log"`` installs
    the policies in log mode (:mod:`.nft`).
    """
    system.require()
    parsed = parse(inventory, policies)
    laid_out, rulesets = plan(
        inventory,
        parsed,
        run_id or topology.new_run_id(),
        externals=externals,
        extra_ports=extra_ports,
    )
    if run:
        laid_out = replace(laid_out, served=programs.served(laid_out, run))
        rulesets = nft.compile_all(laid_out, parsed)
    if mode != nft.ENFORCE:
        rulesets = nft.compile_all(laid_out, parsed, mode)
    installed = rulesets if enforce else nft.compile_all(laid_out, ())
    timings: dict[str, float] = {}
    started = time.perf_counter()
    running_programs: list[subprocess.Popen[bytes]] = []
    lab_services: list[LabService] = []
    try:
        topology.build(laid_out)
        timings["topology_s"] = round(time.perf_counter() - started, 3)
        mark = time.perf_counter()
        install(installed)
        timings["rules_s"] = round(time.perf_counter() - mark, 3)
        if run:
            mark = time.perf_counter()
            homes = {p.netns for r in run if (p := programs.home(laid_out, r)) is not None}
            lab_services = services.plan(inventory, laid_out, homes)
            services.install(laid_out, lab_services)
            running_programs = programs.start(laid_out, run)
            timings["programs_s"] = round(time.perf_counter() - mark, 3)
        mark = time.perf_counter()
        processes = start_listeners(laid_out)
        timings["listeners_s"] = round(time.perf_counter() - mark, 3)
    except BaseException:
        system.stop_started(running_programs)
        topology.destroy(laid_out.prefix)
        raise
    pids = {netns: proc.pid for netns, proc in processes.items()}
    return Lab(
        laid_out,
        parsed,
        installed,
        pids,
        timings,
        tuple(processes.values()),
        tuple(running_programs),
        tuple(lab_services),
    )


def apply(
    lab: Lab,
    inventory: Inventory,
    policies: Sequence[K8sObject | NetworkPolicy],
    mode: str = nft.ENFORCE,
) -> Lab:
    """Replace the rules of a running lab: ``policies`` enforced (``mode`` enforce) or only
    logged where they would deny (``mode`` log). Established connections stay up."""
    parsed = parse(inventory, policies)
    rulesets = nft.compile_all(lab.topology, parsed, mode)
    install(rulesets)
    return replace(lab, policies=parsed, rulesets=rulesets)


def install(rulesets: dict[str, str]) -> None:
    """Load each pod's nft script in its namespace (``nft -f -``)."""
    system.run_all(
        [
            (system.netns_exec(netns, ["nft", "-f", "-"]), script)
            for netns, script in rulesets.items()
        ]
    )


def down(lab: Lab | Topology | str) -> list[str]:
    """Stop the lab's listeners (by pid) and delete its namespaces (by its prefix)."""
    if isinstance(lab, Lab):
        system.stop_started(lab.programs)
        system.stop(list(lab.listeners.values()))
        for process in lab.processes:
            process.wait(timeout=5)
        prefix = lab.topology.prefix
    elif isinstance(lab, Topology):
        prefix = lab.prefix
    else:
        prefix = lab
    return topology.destroy(prefix)


def observe(lab: Lab | Topology, timeout: float = DEFAULT_TIMEOUT) -> Observed:
    return probe(lab.topology if isinstance(lab, Lab) else lab, timeout)


def decider(inventory: Inventory, externals: Iterable[str] = ()) -> Answers:
    """The answers to compare the lab with, for the inventory's own policies: the engine
    (which decides a set holding Calico objects with the Calico decider)."""
    from socklock.policy import analyse

    return analyse(inventory, externals=externals)


def check(
    lab: Lab | Topology, connectivity: Answers, timeout: float = DEFAULT_TIMEOUT
) -> Comparison:
    """Probe the lab and compare every row with the engine's ``connectivity`` (computed on
    the same inventory and policies)."""
    return compare(observe(lab, timeout), connectivity)


@contextmanager
def running(
    inventory: Inventory,
    policies: Sequence[K8sObject | NetworkPolicy] | None = None,
    *,
    run_id: str | None = None,
    externals: Iterable[str] = (),
    extra_ports: Iterable[PortKey] = (),
    run: Sequence[Program] = (),
    enforce: bool = True,
) -> Iterator[Lab]:
    """``up``, then ``down`` whatever happens."""
    run_id = run_id or topology.new_run_id()
    try:
        lab = up(
            inventory,
            policies,
            run_id=run_id,
            externals=externals,
            extra_ports=extra_ports,
            run=run,
            enforce=enforce,
        )
        try:
            yield lab
        finally:
            down(lab)
    finally:
        topology.destroy(f"{system.PREFIX}{run_id}-")
