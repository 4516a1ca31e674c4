"""The one explicit table of rules. No entry points: a rule exists when it is listed here.

Ids are stable and never reused; a retired rule stays listed with ``Status.DEPRECATED``.
"""

from __future__ import annotations

from socklock.harden.rule import Rule
from socklock.harden.rules.slk101_run_as_non_root import RunAsNonRoot
from socklock.harden.rules.slk102_run_as_user_zero import RunAsUserZero
from socklock.harden.rules.slk103_allow_privilege_escalation import AllowPrivilegeEscalation
from socklock.harden.rules.slk104_capabilities_restricted import CapabilitiesRestricted
from socklock.harden.rules.slk105_seccomp_restricted import SeccompRestricted
from socklock.harden.rules.slk106_restricted_volumes import RestrictedVolumes
from socklock.harden.rules.slk107_proc_mount_restricted import ProcMountRestricted
from socklock.harden.rules.slk111_host_namespaces import HostNamespaces
from socklock.harden.rules.slk112_privileged import Privileged
from socklock.harden.rules.slk113_capabilities_baseline import CapabilitiesBaseline
from socklock.harden.rules.slk114_host_path_volumes import HostPathVolumes
from socklock.harden.rules.slk115_host_ports import HostPorts
from socklock.harden.rules.slk116_apparmor_profile import AppArmorProfile
from socklock.harden.rules.slk117_selinux_options import SELinuxOptions
from socklock.harden.rules.slk118_proc_mount import ProcMount
from socklock.harden.rules.slk119_seccomp_baseline import SeccompBaseline
from socklock.harden.rules.slk120_sysctls import Sysctls
from socklock.harden.rules.slk121_windows_host_process import WindowsHostProcess
from socklock.harden.rules.slk122_probe_lifecycle_host import ProbeLifecycleHost
from socklock.harden.rules.slk201_read_only_root_filesystem import ReadOnlyRootFilesystem
from socklock.harden.rules.slk202_automount_service_account_token import (
    AutomountServiceAccountToken,
)
from socklock.harden.rules.slk203_memory_limit import MemoryLimit
from socklock.harden.rules.slk204_cpu_limit import CpuLimit
from socklock.harden.rules.slk205_image_not_pinned import ImageNotPinned
from socklock.harden.rules.slk206_untrusted_registry import UntrustedRegistry
from socklock.harden.rules.slk207_secret_in_env import SecretInEnv
from socklock.harden.rules.slk208_service_exposed import ServiceExposed
from socklock.harden.rules.slk209_not_isolated import NotIsolated
from socklock.harden.rules.slk301_dockerfile_root_user import DockerfileRootUser
from socklock.harden.rules.slk302_base_image_not_pinned import BaseImageNotPinned
from socklock.harden.rules.slk303_add_instead_of_copy import AddInsteadOfCopy
from socklock.harden.rules.slk304_secret_in_build import SecretInBuild
from socklock.harden.rules.slk305_untrusted_packages import UntrustedPackages
from socklock.harden.rules.slk306_sudo import Sudo
from socklock.harden.rules.slk307_ssh_server import SshServer
from socklock.harden.rules.slk308_healthcheck_missing import HealthcheckMissing
from socklock.harden.rules.slk309_update_alone import UpdateAlone
from socklock.harden.rules.slk310_no_install_recommends import NoInstallRecommends
from socklock.harden.rules.slk401_compose_privileged import ComposePrivileged
from socklock.harden.rules.slk402_compose_capabilities import ComposeCapabilities
from socklock.harden.rules.slk403_compose_read_only import ComposeReadOnly
from socklock.harden.rules.slk404_compose_user import ComposeUser
from socklock.harden.rules.slk405_compose_no_new_privileges import ComposeNoNewPrivileges
from socklock.harden.rules.slk406_compose_host_network import ComposeHostNetwork
from socklock.harden.rules.slk407_compose_host_namespaces import ComposeHostNamespaces
from socklock.harden.rules.slk408_compose_sensitive_mount import ComposeSensitiveMount
from socklock.harden.rules.slk409_compose_port_all_interfaces import ComposePortAllInterfaces
from socklock.harden.rules.slk410_compose_memory_limit import ComposeMemoryLimit

RULES: tuple[type[Rule], ...] = (
    RunAsNonRoot,
    RunAsUserZero,
    AllowPrivilegeEscalation,
    CapabilitiesRestricted,
    SeccompRestricted,
    RestrictedVolumes,
    ProcMountRestricted,
    HostNamespaces,
    Privileged,
    CapabilitiesBaseline,
    HostPathVolumes,
    HostPorts,
    AppArmorProfile,
    SELinuxOptions,
    ProcMount,
    SeccompBaseline,
    Sysctls,
    WindowsHostProcess,
    ProbeLifecycleHost,
    ReadOnlyRootFilesystem,
    AutomountServiceAccountToken,
    MemoryLimit,
    CpuLimit,
    ImageNotPinned,
    UntrustedRegistry,
    SecretInEnv,
    ServiceExposed,
    NotIsolated,
    DockerfileRootUser,
    BaseImageNotPinned,
    AddInsteadOfCopy,
    SecretInBuild,
    UntrustedPackages,
    Sudo,
    SshServer,
    HealthcheckMissing,
    UpdateAlone,
    NoInstallRecommends,
    ComposePrivileged,
    ComposeCapabilities,
    ComposeReadOnly,
    ComposeUser,
    ComposeNoNewPrivileges,
    ComposeHostNetwork,
    ComposeHostNamespaces,
    ComposeSensitiveMount,
    ComposePortAllInterfaces,
    ComposeMemoryLimit,
)

BY_ID: dict[str, type[Rule]] = {rule.id: rule for rule in RULES}
BY_NAME: dict[str, type[Rule]] = {rule.name: rule for rule in RULES}


def resolve(selector: str) -> type[Rule] | None:
    """A rule by id (``SLK101``, any case) or name (``run-as-non-root``)."""
    return BY_ID.get(selector.upper()) or BY_NAME.get(selector.lower())
