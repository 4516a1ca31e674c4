"""Proxy configs in whole inputs: exact edges, their evidence, entry points and misses."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import REPO

from socklock.discover import discover
from socklock.load import load_paths
from socklock.model import ServiceGraph

FIXTURES = REPO / "tests" / "fixtures" / "proxies"


def _graph(case: str, **kwargs: bool) -> ServiceGraph:
    return discover(load_paths([str(FIXTURES / case)]), **kwargs)


def _proxy_edges(graph: ServiceGraph) -> dict[tuple[str, str, int | None], set[str]]:
    """Edges with proxy evidence → where (file relative to the fixtures:line:col)."""
    found: dict[tuple[str, str, int | None], set[str]] = {}
    for edge in graph.edges:
        for evidence in edge.evidence:
            if evidence.kind.value == "proxy":
                where = evidence.location
                name = Path(where.file).resolve().relative_to(FIXTURES)
                found.setdefault((edge.source, edge.target, edge.port), set()).add(
                    f"{name}:{where.line}:{where.column}"
                )
    return found


def test_nginx_in_compose_upstreams_variables_includes_and_negatives() -> None:
    graph = _graph("nginx-compose")
    gw = "nginx-compose/gateway"
    assert _proxy_edges(graph) == {
        # upstream api_pool (nginx.conf) used by proxy_pass in conf.d/default.conf
        ("shop/gateway", "shop/api", 8080): {f"{gw}/nginx.conf:4:9", f"{gw}/nginx.conf:5:9"},
        # set $orders_backend "orders:9090"
        ("shop/gateway", "shop/orders", 9090): {f"{gw}/conf.d/default.conf:9:9"},
        ("shop/gateway", "shop/search", 50051): {f"{gw}/conf.d/default.conf:12:9"},
        ("shop/gateway", "shop/php", 9000): {f"{gw}/conf.d/default.conf:15:9"},
        # a file found only through `include` of a bind-mounted directory
        ("shop/gateway", "shop/admin", 8000): {f"{gw}/routes/admin.locations:2:5"},
        ("shop/gateway", "external:api.stripe.com", 443): {f"{gw}/conf.d/default.conf:22:9"},
    }
    # not calls: the unused upstream legacy_pool, the commented-out proxy_pass, the 301
    assert {e.key for e in graph.edges} == {(s, t, p, "TCP") for s, t, p in _proxy_edges(graph)}
    (unresolved,) = graph.unresolved
    assert unresolved.expression == "proxy_pass http://$host$request_uri"
    assert unresolved.reason == "the address holds $host, known only per request"
    assert str(unresolved.location).endswith("gateway/conf.d/default.conf:25:9")


def test_nginx_set_variable_is_named_in_the_evidence() -> None:
    graph = _graph("nginx-compose")
    (edge,) = [e for e in graph.edges if e.target == "shop/orders"]
    (evidence,) = edge.evidence
    assert evidence.detail.startswith(
        "proxy_pass http://$orders_backend/v1/ ($orders_backend=orders:9090 set at "
    )
    assert evidence.detail.endswith("default.conf:3:5) (compose service shop/orders)")


def test_proxy_files_are_code_evidence() -> None:
    graph = _graph("nginx-compose", code=False)
    assert graph.edges == ()


def test_kubernetes_configmap_template_envoy_ingress_and_routes() -> None:
    graph = _graph("kubernetes")
    assert _proxy_edges(graph) == {
        # envsubst template in a mounted ConfigMap, ${VAR} from the Deployment's env
        ("shop/edge", "shop/catalogue", 8080): {"kubernetes/edge.yaml:31:13"},
        # Envoy: carts_service is routed to, payment_service is not used
        ("shop/mesh-gw", "shop/carts", 8081): {"kubernetes/envoy-gw/envoy.yaml:32:32"},
        # the controller of the Ingress's class is in the input
        ("ingress-nginx/ingress-nginx-controller", "shop/web", 8084): {
            "kubernetes/ingress.yaml:40:11"
        },
        # the Deployment that the Gateway's infrastructure labels select
        ("shop/public-gateway", "shop/payment", 8082): {"kubernetes/gateway.yaml:37:7"},
        # Envoy in a projected ConfigMap: positions in the manifest, tcp_proxy uses the cluster
        ("shop/front-envoy", "shop/orders", 8083): {"kubernetes/front-envoy.yaml:43:21"},
    }
    assert {e.key for e in graph.edges} == {(s, t, p, "TCP") for s, t, p in _proxy_edges(graph)}
    assert {(e.workload, e.port) for e in graph.entry_points} == {
        ("ingress-nginx/ingress-nginx-controller", 80),
        ("shop/orders", 8083),  # Ingress class alb: its controller is not in the input
        ("shop/catalogue", 8080),  # GRPCRoute of a Gateway not in the input
    }
    (orders,) = [e for e in graph.entry_points if e.workload == "shop/orders"]
    assert orders.evidence[0].detail == (
        "Ingress orders → Service shop/orders port 80 (class alb; nothing in the input "
        "serves it, so the backend is an entry point)"
    )
    (unresolved,) = graph.unresolved
    assert unresolved.source == "shop/edge"
    assert unresolved.expression == "proxy_pass http://${CARTS_ADDR}"
    assert unresolved.reason == (
        "env CARTS_ADDR is not set for the workload by any manifest or its image's ENV "
        "(envsubst leaves it unfilled)"
    )


def test_configmap_proxy_text_is_not_read_as_loose_tokens() -> None:
    """Before the nginx parser, `return 301 http://orders.example.com/` in a mounted
    ConfigMap was an external call; the redirect is the client's request, not nginx's."""
    graph = _graph("kubernetes", code=False)
    assert not any(e.target.startswith("external:") for e in graph.edges)
    keys = {e.key for e in graph.edges}
    assert ("shop/mesh-gw", "shop/carts", 8081, "TCP") not in keys  # a file of the tree
    assert ("shop/front-envoy", "shop/orders", 8083, "TCP") in keys  # a ConfigMap


def test_traefik_labels_in_compose() -> None:
    graph = _graph("traefik")
    assert _proxy_edges(graph) == {
        ("blog/traefik", "blog/web", 3000): {"traefik/compose.yaml:13:7"},
        # no server.port label: the one port the service exposes
        ("blog/traefik", "blog/api", 8000): {"traefik/compose.yaml:18:9"},
        # nor a declared one: the one its build's Dockerfile EXPOSEs
        ("blog/traefik", "blog/admin", 8081): {"traefik/compose.yaml:33:9"},
        # the forwardAuth address of a middleware a router uses
        ("blog/traefik", "blog/auth", 9091): {"traefik/compose.yaml:41:7"},
        # a well-known server image: its protocol port
        ("blog/traefik", "blog/cache", 6379): {"traefik/compose.yaml:47:14"},
    }
    assert {e.key for e in graph.edges} == {
        ("blog/traefik", "blog/web", 3000, "TCP"),
        ("blog/traefik", "blog/api", 8000, "TCP"),
        ("blog/traefik", "blog/admin", 8081, "TCP"),
        ("blog/traefik", "blog/auth", 9091, "TCP"),
        ("blog/traefik", "blog/cache", 6379, "TCP"),
    }
    assert [(u.source, u.location.line, u.reason) for u in graph.unresolved] == [
        (
            "blog/traefik",
            40,
            "traefik routes to the one port blog/auth listens on, which the input does not "
            "show (no ports, expose, EXPOSE or server.port label)",
        )
    ]


def test_compose_configs_relative_include_from_the_prefix_and_values_files() -> None:
    """``configs:`` backed by a file is a mount; ``include snippets/*.inc`` is resolved from
    nginx's prefix through the bind mount; nginx text in a values.yaml is not a config."""
    graph = _graph("nginx-configs")
    assert _proxy_edges(graph) == {
        ("edge/proxy", "edge/api", 5000): {"nginx-configs/snippets/api.inc:2:5"},
    }
    assert {e.key for e in graph.edges} == {("edge/proxy", "edge/api", 5000, "TCP")}
    assert graph.unresolved == ()


def test_envsubst_template_in_the_image_filled_from_env_and_dockerfile() -> None:
    graph = _graph("nginx-template")
    assert _proxy_edges(graph) == {
        ("store/web", "store/api", 8000): {"nginx-template/web/default.conf.template:5:9"},
        ("store/web", "store/orders", 9000): {"nginx-template/web/default.conf.template:9:9"},
    }
    details = {e.target: e.evidence[0].detail for e in graph.edges}
    assert details["store/api"] == (
        "proxy_pass http://${API_HOST}:8000/ (envsubst: API_HOST=api) (compose service store/api)"
    )
    assert details["store/orders"] == (
        "proxy_pass http://orders:${ORDERS_PORT} (envsubst: ORDERS_PORT=9000) "
        "(compose service store/orders)"
    )


def test_envoy_routes_through_the_dapr_sidecar_call_the_app_id() -> None:
    graph = _graph("dapr-envoy")
    assert _proxy_edges(graph) == {
        # the app-id a compose daprd sidecar serves, on its -app-port
        ("shop/gateway", "shop/basket", 8080): {"dapr-envoy/gateway/envoy.yaml:18:19"},
        # an app-id no sidecar declares: the service of that name
        ("shop/gateway", "shop/orders", 9000): {"dapr-envoy/gateway/envoy.yaml:23:19"},
    }
    # the sidecar on loopback is no call; /static/ is no invocation
    assert {e.target for e in graph.edges} == {"shop/basket", "shop/orders"}
    basket = next(e for e in graph.edges if e.target == "shop/basket")
    assert basket.evidence[0].detail == (
        "Envoy route prefix_rewrite /v1.0/invoke/basket-api/method/ on cluster dapr "
        "(127.0.0.1:3500, the Dapr sidecar) (Dapr app-id basket-api (daprd -app-id of "
        "shop/basket-dapr, the sidecar of shop/basket))"
    )
    (unresolved,) = graph.unresolved
    assert (unresolved.expression, unresolved.reason) == (
        "unknown-app",
        "Dapr app-id 'unknown-app' matches no workload",
    )


def test_a_config_is_read_where_the_image_puts_it_whatever_its_name() -> None:
    """``COPY site /etc/nginx/conf.d/default.conf``: ``site`` is nginx config; a file beside
    it with the same text that the image does not take in (``unused``) is not read."""
    graph = _graph("nginx-placed")
    assert _proxy_edges(graph) == {
        ("placed/edge", "placed/api", 8080): {"nginx-placed/edge/site:4:9"}
    }


def test_a_dev_server_forwards_to_the_proxy_its_package_json_names() -> None:
    """create-react-app's ``"proxy"``: ``web`` runs the dev server (its image copies the
    package.json in and starts it) and forwards to ``api``; ``site`` builds the app and
    serves it with nginx, so its package.json's proxy never runs."""
    graph = _graph("dev-server")
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("dev/web", "dev/api", 4000)
    }
    (edge,) = [e for e in graph.edges if e.source == "dev/web"]
    assert [(ev.kind.value, ev.detail, ev.location.line) for ev in edge.evidence] == [
        ("config", "dev server proxy http://api:4000 (compose service dev/api)", 3)
    ]


def test_templates_an_entry_point_renders_with_its_own_defaults() -> None:
    # Dockerfile.edge builds the image acme/edge runs; its entry point exports
    # API_URI=${API_URI:-http://api:8080}, sets POOL (a whole ``server`` line) in the first
    # branch of an ``if``, and renders /tmp/site.conf.template (COPY'd from files/) into
    # /etc/nginx/conf.d; files/extra.conf.template is neither copied nor rendered
    graph = _graph("nginx-entrypoint")
    site = "nginx-entrypoint/deploy/files/site.conf.template"
    assert _proxy_edges(graph) == {
        ("kiosk/edge", "kiosk/api", 8080): {f"{site}:7:22"},
        ("kiosk/edge", "kiosk/orders", 9000): {f"{site}:2:5"},
    }
    assert {e.key for e in graph.edges} == {
        ("kiosk/edge", "kiosk/api", 8080, "TCP"),
        ("kiosk/edge", "kiosk/orders", 9000, "TCP"),
    }
    details = {e.target: e.evidence[0].detail for e in graph.edges}
    script = FIXTURES / "nginx-entrypoint/deploy/files/edge-entrypoint.sh"
    assert details["kiosk/api"] == (
        "proxy_pass $API_URI/ (envsubst: API_URI=http://api:8080) "
        f"(envsubst at {script.resolve()}:11 → /etc/nginx/conf.d/default.conf) "
        "(compose service kiosk/api)"
    )


def test_an_entry_point_the_deployment_replaces_fills_nothing(tmp_path: Path) -> None:
    copy = tmp_path / "nginx-entrypoint"
    shutil.copytree(FIXTURES / "nginx-entrypoint", copy)
    compose = copy / "docker-compose.yml"
    compose.write_text(
        compose.read_text().replace(
            "    image: acme/edge:1.0\n",
            '    image: acme/edge:1.0\n    entrypoint: ["nginx", "-g", "daemon off;"]\n',
        )
    )
    graph = discover(load_paths([str(copy)]))
    assert {e.key for e in graph.edges} == set()
    assert {(u.location.line, u.reason) for u in graph.unresolved if u.source == "kiosk/edge"} == {
        (7, "the address holds $API_URI, known only per request"),
        (8, "upstream orders_pool has no server line that can be read (an unfilled template?)"),
    }


def test_go_templates_a_startup_script_renders_with_their_env_defaults() -> None:
    # web's image ships /defaults/site.conf (COPY rootfs/ /), rendered by its s6-overlay
    # start-up script with ``tpl``: CHAT_URL unset → the template's default, whose host is
    # chat's network alias; SEARCH_URL set by compose → its value, not the default; STATS_HOST
    # unset with no default → no address
    graph = _graph("nginx-gotemplate")
    site = "nginx-gotemplate/web/rootfs/defaults/site.conf"
    assert _proxy_edges(graph) == {
        ("chat/web", "chat/chat", 5280): {f"{site}:8:9"},
        ("chat/web", "chat/finder", 7700): {f"{site}:11:9"},
    }
    assert {e.key for e in graph.edges} == {
        ("chat/web", "chat/chat", 5280, "TCP"),
        ("chat/web", "chat/finder", 7700, "TCP"),
    }
    script = FIXTURES / "nginx-gotemplate/web/rootfs/etc/s6-overlay/scripts/config"
    details = {e.target: e.evidence[0].detail for e in graph.edges}
    assert details["chat/chat"] == (
        "proxy_pass {{ $CHAT_URL }}/bind "
        f"(Go template at {script.resolve()}:3 → /run/web/nginx/site.conf) "
        "(compose service chat/chat)"
    )
