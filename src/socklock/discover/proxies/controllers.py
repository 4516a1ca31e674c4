"""Which workloads of the input serve an Ingress class or a Gateway: data, not code.

An Ingress is served by the controller of its class (``spec.ingressClassName``, the
``kubernetes.io/ingress.class`` annotation, or the default IngressClass); a controller
is a workload whose arguments name that class or controller (``--ingress-class=nginx``,
``--controller-class=k8s.io/ingress-nginx``), or one whose image is a known controller's.
A Gateway is served by the pods its implementation deploys for it (labelled with the
Gateway's name, or with its ``spec.infrastructure.labels``), or by a controller that is its
own data plane, found like an Ingress controller from the GatewayClass ``controllerName``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from socklock.discover.proxies.interface import items
from socklock.model import Inventory, K8sObject, Workload


@dataclass(frozen=True, slots=True)
class KnownController:
    image: str  # a substring of the image name
    ingress_class: str  # the class it serves by default
    controllers: tuple[str, ...]  # IngressClass ``spec.controller`` / ``controllerName`` values


KNOWN_CONTROLLERS = (
    KnownController("ingress-nginx/controller", "nginx", ("k8s.io/ingress-nginx",)),
    KnownController("nginx-ingress-controller", "nginx", ("k8s.io/ingress-nginx",)),
    KnownController("nginx/nginx-ingress", "nginx", ("nginx.org/ingress-controller",)),
    KnownController(
        "nginx-gateway-fabric", "nginx", ("gateway.nginx.org/nginx-gateway-controller",)
    ),
    KnownController(
        "traefik", "traefik", ("traefik.io/ingress-controller", "traefik.io/gateway-controller")
    ),
    KnownController(
        "haproxytech/kubernetes-ingress", "haproxy", ("haproxy.org/ingress-controller/haproxy",)
    ),
    KnownController(
        "kong/kubernetes-ingress-controller",
        "kong",
        ("ingress-controllers.konghq.com/kong", "konghq.com/kic-gateway-controller"),
    ),
)
# Labels an implementation puts on the pods it runs for one Gateway (value: its name).
GATEWAY_NAME_LABELS = (
    "gateway.networking.k8s.io/gateway-name",
    "gateway.envoyproxy.io/owning-gateway-name",
    "istio.io/gateway-name",
)
_CLASS_FLAGS = ("--ingress-class", "--ingress-class-name", "--class")
_CONTROLLER_FLAGS = ("--controller-class", "--gateway-ctlr-name", "--controller-name")


def arguments(workload: Workload) -> dict[str, set[str]]:
    """``--flag=value`` and ``--flag value`` pairs of every container's command line."""
    found: dict[str, set[str]] = {}
    for container in workload.containers:
        words = [str(w) for key in ("command", "args") for w in items(container.run.get(key))]
        for index, word in enumerate(words):
            if not word.startswith("--"):
                continue
            flag, sep, value = word.partition("=")
            if not sep and index + 1 < len(words) and not words[index + 1].startswith("-"):
                value = words[index + 1]
            found.setdefault(flag, set()).add(value)
    return found


def _images(workload: Workload) -> list[str]:
    return [c.image for c in workload.containers if c.image]


class Controllers:
    """The ingress and gateway workloads of one inventory."""

    def __init__(self, inventory: Inventory) -> None:
        self.workloads = [w for w in inventory.workloads if w.owner is None]
        self.ingress_classes: dict[str, str] = {}  # class name → controller
        self.default_class: str | None = None
        self.gateway_classes: dict[str, str] = {}  # GatewayClass name → controllerName
        self.gateways: dict[tuple[str, str], K8sObject] = {}
        self.istio_gateways: dict[tuple[str, str], K8sObject] = {}
        for obj in inventory.objects:
            if obj.kind == "IngressClass":
                spec = _spec(obj)
                self.ingress_classes[obj.name] = str(spec.get("controller") or "")
                default = obj.annotations.get("ingressclass.kubernetes.io/is-default-class")
                if str(default).lower() == "true":
                    self.default_class = obj.name
            elif obj.kind == "GatewayClass":
                self.gateway_classes[obj.name] = str(_spec(obj).get("controllerName") or "")
            elif obj.kind == "Gateway" and obj.api_version.startswith("networking.istio.io/"):
                self.istio_gateways[(obj.namespace or "default", obj.name)] = obj
            elif obj.kind == "Gateway":
                self.gateways[(obj.namespace or "default", obj.name)] = obj

    def for_ingress(self, obj: K8sObject) -> tuple[list[Workload], str]:
        """The controllers serving an Ingress, and how they were found (or why none was)."""
        spec = obj.body.get("spec")
        class_name = (spec.get("ingressClassName") if isinstance(spec, Mapping) else None) or (
            obj.annotations.get("kubernetes.io/ingress.class") or self.default_class
        )
        controller = self.ingress_classes.get(str(class_name)) if class_name else None
        found = self._serving(str(class_name) if class_name else None, controller)
        what = f"class {class_name}" if class_name else "no class"
        if controller:
            what += f", controller {controller}"
        return found, what

    def for_gateway(self, namespace: str, name: str) -> tuple[list[Workload], str]:
        """The workloads that carry a Gateway's traffic, and how they were found."""
        gateway = self.gateways.get((namespace, name))
        if gateway is None:
            return [], f"Gateway {namespace}/{name} is not in the input"
        spec = gateway.body.get("spec")
        spec = spec if isinstance(spec, Mapping) else {}
        infrastructure = spec.get("infrastructure")
        labels = infrastructure.get("labels") if isinstance(infrastructure, Mapping) else None
        deployed = [
            w
            for w in self.workloads
            if w.namespace == namespace
            and (
                any(w.labels.get(key) == name for key in GATEWAY_NAME_LABELS)
                or (
                    isinstance(labels, Mapping)
                    and bool(labels)
                    and all(w.labels.get(str(k)) == str(v) for k, v in labels.items())
                )
            )
        ]
        class_name = str(spec.get("gatewayClassName") or "")
        if deployed:
            return deployed, f"pods of Gateway {namespace}/{name}"
        controller = self.gateway_classes.get(class_name, "")
        serving = self._serving(None, controller) if controller else []
        return serving, f"Gateway {namespace}/{name}, class {class_name or '?'}" + (
            f", controller {controller}" if controller else ""
        )

    def for_traefik(self, route: K8sObject) -> tuple[list[Workload], str]:
        """The Traefik controllers that read IngressRoutes (of the annotated class, if any)."""
        class_name = route.annotations.get("kubernetes.io/ingress.class")
        found = [
            w
            for w in self._serving(class_name, None)
            if any("traefik" in image for image in _images(w))
        ] or self._serving(None, "traefik.io/ingress-controller")
        return found, f"Traefik CRD, class {class_name}" if class_name else "Traefik CRD"

    def for_istio_gateway(self, namespace: str, name: str) -> tuple[list[Workload], str]:
        """The pods an Istio ``Gateway``'s ``spec.selector`` picks (in any namespace, as Istio
        does by default)."""
        gateway = self.istio_gateways.get((namespace, name))
        if gateway is None:
            return [], f"Istio Gateway {namespace}/{name} is not in the input"
        spec = gateway.body.get("spec")
        selector = spec.get("selector") if isinstance(spec, Mapping) else None
        if not isinstance(selector, Mapping) or not selector:
            return [], f"Istio Gateway {namespace}/{name} selects no pods"
        found = [
            w
            for w in self.workloads
            if all(w.labels.get(str(k)) == str(v) for k, v in selector.items())
        ]
        return found, f"pods of Istio Gateway {namespace}/{name}"

    def _serving(self, class_name: str | None, controller: str | None) -> list[Workload]:
        declared: list[Workload] = []
        known: list[Workload] = []
        for workload in self.workloads:
            flags = arguments(workload)
            classes = {v for f in _CLASS_FLAGS for v in flags.get(f, ())}
            controllers = {v for f in _CONTROLLER_FLAGS for v in flags.get(f, ())}
            if (class_name and class_name in classes) or (controller and controller in controllers):
                declared.append(workload)
                continue
            if classes or controllers:
                continue  # it names what it serves, and this is not it
            for entry in KNOWN_CONTROLLERS:
                if not any(entry.image in image for image in _images(workload)):
                    continue
                if controller:
                    matches = controller in entry.controllers
                else:
                    matches = class_name is None or class_name == entry.ingress_class
                if matches:
                    known.append(workload)
                    break
        return declared or known


def _spec(obj: K8sObject) -> Mapping[str, object]:
    """An object's ``spec`` (empty when it has none): read only for the kinds that need it,
    a body being rebuilt when read (model/compact.py)."""
    spec = obj.body.get("spec")
    return spec if isinstance(spec, Mapping) else {}
