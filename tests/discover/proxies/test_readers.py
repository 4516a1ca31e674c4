"""Each proxy reader on config text: exactly the upstreams it must find, and nothing else."""

from __future__ import annotations

from pathlib import Path

from socklock.discover.proxies.envoy import EnvoyReader
from socklock.discover.proxies.envsubst import fill, is_template
from socklock.discover.proxies.interface import Found, Source, Unknown, Upstream
from socklock.discover.proxies.nginx import NginxReader


def _nginx(*texts: str, env: dict[str, str] | None = None, template: bool = False) -> list[Found]:
    sources = [Source(f"/cfg/{i}.conf", t, template=template) for i, t in enumerate(texts)]
    return list(NginxReader().read(sources, env or {}))


def _calls(found: list[Found]) -> set[tuple[str, int | None, str]]:
    return {(f.host, f.port, str(f.location)) for f in found if isinstance(f, Upstream)}


def test_nginx_pass_directives_and_default_ports() -> None:
    text = """\
stream {
    server { listen 5432; proxy_pass pg:5432; }
}
http {
    server {
        location /a { proxy_pass http://a; }
        location /b { proxy_pass https://b.example.com/x; }
        location /c { grpc_pass grpcs://c:9443; }
        location /d { grpc_pass d:50051; }
        location /e { uwsgi_pass uwsgi://e:3031; }
        location /f { scgi_pass f:4000; }
        location /g { proxy_pass http://[fd00::1]:8080; }
    }
}
"""
    assert _calls(_nginx(text)) == {
        ("pg", 5432, "/cfg/0.conf:2:27"),
        ("a", 80, "/cfg/0.conf:6:23"),
        ("b.example.com", 443, "/cfg/0.conf:7:23"),
        ("c", 9443, "/cfg/0.conf:8:23"),
        ("d", 50051, "/cfg/0.conf:9:23"),
        ("e", 3031, "/cfg/0.conf:10:23"),
        ("f", 4000, "/cfg/0.conf:11:23"),
        ("fd00::1", 8080, "/cfg/0.conf:12:23"),
    }


def test_nginx_upstream_in_another_file_of_the_same_instance() -> None:
    upstreams = (
        "upstream pool {\n  server one:8080 max_fails=3;\n  server two;\n"
        "  server three:1 down;\n  server unix:/run/app.sock;\n}\n"
    )
    server = "server { location / { proxy_pass http://pool/api; } }\n"
    found = _nginx(upstreams, server)
    assert _calls(found) == {("one", 8080, "/cfg/0.conf:2:3"), ("two", 80, "/cfg/0.conf:3:3")}
    assert all("pass at /cfg/1.conf:1:23" in f.detail for f in found if isinstance(f, Upstream))


def test_nginx_what_is_not_a_call() -> None:
    text = """\
upstream unused { server nobody:9999; }
server {
    # proxy_pass http://commented:8080;
    location /old { return 301 https://www.example.com$request_uri; }
    location /sock { proxy_pass http://unix:/run/app.sock:/; }
    location /fpm { fastcgi_pass unix:/run/php-fpm.sock; }
    location /local { proxy_pass http://127.0.0.1:9000; }
    set $later $http_x_target;
    location /dyn { proxy_pass http://$later; }
}
"""
    found = _nginx(text)
    # the loopback target is found here; the join drops it as a local address
    assert _calls(found) == {("127.0.0.1", 9000, "/cfg/0.conf:7:23")}
    (unknown,) = [f for f in found if isinstance(f, Unknown)]
    assert unknown.reason == (
        "the address holds $later (set at /cfg/0.conf:8:5), known only per request"
    )


def test_nginx_upstream_names_match_in_any_case() -> None:
    text = (
        "upstream search_GET { server query:8080; }\n"
        "server { location / { proxy_pass http://search_get; } }\n"
    )
    assert _calls(_nginx(text)) == {("query", 8080, "/cfg/0.conf:1:23")}


def test_nginx_a_host_built_per_request_passes_to_the_upstreams_its_name_fits() -> None:
    """``http://meows_$request_method`` reaches the pool nginx finds by the name it builds:
    each upstream that fits ``meows_*``; a host that is only a variable, or that carries a
    port, may be any DNS name and stays unknown."""
    text = """\
upstream meows_POST { server meow:8080; }
upstream meows_GET { server query:8080; }
upstream other { server other:9000; }
server {
    location /meows { proxy_pass http://meows_$request_method; }
    location /any { proxy_pass http://$http_x_pool; }
    location /port { proxy_pass http://meows_$arg_m:8080; }
    location /none { proxy_pass http://cats_$request_method; }
}
"""
    found = _nginx(text)
    assert _calls(found) == {
        ("meow", 8080, "/cfg/0.conf:1:23"),
        ("query", 8080, "/cfg/0.conf:2:22"),
    }
    assert sorted(f.reason for f in found if isinstance(f, Unknown)) == [
        "the address holds $arg_m, known only per request",
        "the address holds $http_x_pool, known only per request",
        "the address holds $request_method, known only per request",
    ]


def test_nginx_malformed_file_is_reported_not_raised() -> None:
    (unknown,) = _nginx("server {\n  location / { proxy_pass http://a:1;\n")
    assert isinstance(unknown, Unknown)
    assert str(unknown.location) == "/cfg/0.conf:2:1"
    assert unknown.reason == 'crossplane could not read it: unexpected end of file, expecting "}"'


def test_nginx_template_filled_from_env() -> None:
    text = (
        "server { location / { proxy_set_header Host $host; "
        "proxy_pass http://${API_HOST}:${API_PORT}; } }\n"
    )
    assert _calls(_nginx(text, env={"API_HOST": "api", "API_PORT": "8080"}, template=True)) == {
        ("api", 8080, "/cfg/0.conf:1:52")
    }
    (unknown,) = _nginx(text, env={"API_HOST": "api"}, template=True)
    assert isinstance(unknown, Unknown)
    assert unknown.reason.startswith("env API_PORT is not set for the workload")
    # not a template: ${API_HOST} is nginx's own variable syntax, known per request
    (dynamic,) = _nginx(text, env={"API_HOST": "api", "API_PORT": "8080"})
    assert isinstance(dynamic, Unknown)
    assert dynamic.reason == "the address holds $API_HOST, $API_PORT, known only per request"


def test_nginx_template_variable_holding_whole_directives() -> None:
    # envsubst renders the text before nginx parses it: ${EXTRA} (empty) would otherwise
    # swallow the upstream block below it, and ${POOL} is a whole ``server`` line
    text = (
        "${EXTRA}\n"
        "upstream pool {\n"
        "    ${POOL}\n"
        "}\n"
        "server { location / { proxy_pass http://pool/; } }\n"
    )
    found = _nginx(text, env={"EXTRA": "", "POOL": "server shop-api:3030;"}, template=True)
    assert _calls(found) == {("shop-api", 3030, "/cfg/0.conf:3:5")}
    (call,) = found
    assert isinstance(call, Upstream)
    assert call.detail == (
        "proxy_pass http://pool/ → upstream pool: server shop-api:3030 "
        "(envsubst: POOL=server shop-api:3030;) (pass at /cfg/0.conf:5:23)"
    )
    # a value that spans lines is not filled (line numbers stay the file's); unset: no call
    assert (
        _calls(_nginx(text, env={"EXTRA": "", "POOL": "server a:1;\nserver b:2;"}, template=True))
        == set()
    )
    (unknown,) = _nginx(text, env={"EXTRA": ""}, template=True)
    assert isinstance(unknown, Unknown)
    assert unknown.reason == (
        "upstream pool has no server line that can be read (an unfilled template?)"
    )
    # not a template: the text is nginx's own, ${POOL} is never filled
    assert ("shop-api", 3030) not in {
        (f.host, f.port)
        for f in _nginx(text, env={"EXTRA": "", "POOL": "server shop-api:3030;"})
        if isinstance(f, Upstream)
    }


def test_nginx_template_evidence_writes_the_directive_as_the_file_does() -> None:
    text = "server { location / { proxy_pass $API_URI/v1; } }\n"
    (call,) = _nginx(text, env={"API_URI": "http://api:8080"}, template=True)
    assert isinstance(call, Upstream)
    assert (call.host, call.port) == ("api", 8080)
    assert call.detail == "proxy_pass $API_URI/v1 (envsubst: API_URI=http://api:8080)"


def test_envsubst_fill_and_template_names() -> None:
    assert fill("http://${A}:$B/$host ${C}", {"A": "a", "B": "1"}) == (
        "http://a:1/$host ${C}",
        ["C"],
    )
    assert [
        is_template(p)
        for p in (
            "web/default.conf.template",
            "proxy/envoy.tmpl.yaml",
            "nginx/templates/site.conf",
            "nginx/nginx.conf",
            "templates.conf",
        )
    ] == [True, True, True, False, False]


ENVOY = """\
static_resources:
  listeners:
  - name: l
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          route_config:
            virtual_hosts:
            - routes:
              - route:
                  weighted_clusters:
                    clusters: [{name: blue, weight: 90}, {name: green, weight: 10}]
          http_filters:
          - name: envoy.filters.http.ext_authz
            typed_config:
              grpc_service: {envoy_grpc: {cluster_name: authz}}
      - name: envoy.filters.network.tcp_proxy
        typed_config: {cluster: legacy}
  clusters:
  - name: blue
    load_assignment:
      endpoints:
      - lb_endpoints:
        - endpoint: {address: {socket_address: {address: blue, port_value: 8080}}}
        - endpoint: {address: {socket_address: {address: blue-2, port_value: 8080}}}
  - name: green
    load_assignment:
      cluster_name: green
      endpoints:
      - lb_endpoints:
        - endpoint: {address: {socket_address: {address: "${GREEN_HOST}", port_value: 8080}}}
  - name: authz
    hosts: [{socket_address: {address: authz, port_value: 9001}}]
  - name: legacy
    load_assignment:
      endpoints:
      - lb_endpoints:
        - endpoint: {address: {socket_address: {address: legacy.example.com, port_value: 443}}}
  - name: unused
    load_assignment:
      endpoints:
      - lb_endpoints:
        - endpoint: {address: {socket_address: {address: nobody, port_value: 1}}}
"""


def test_envoy_clusters_used_by_routes_and_filters_only() -> None:
    found = list(EnvoyReader().read([Source("/e/envoy.yaml", ENVOY)], {"GREEN_HOST": "green"}))
    assert _calls(found) == {
        ("blue", 8080, "/e/envoy.yaml:25:49"),
        ("blue-2", 8080, "/e/envoy.yaml:26:49"),
        ("green", 8080, "/e/envoy.yaml:32:49"),
        ("authz", 9001, "/e/envoy.yaml:34:31"),
        ("legacy.example.com", 443, "/e/envoy.yaml:39:49"),
    }
    (unknown,) = [
        f
        for f in EnvoyReader().read([Source("/e/envoy.yaml", ENVOY)], {})
        if isinstance(f, Unknown)
    ]
    assert unknown.reason == (
        "env GREEN_HOST is not set for the workload by any manifest or its image's ENV"
    )


def test_envoy_json_bootstrap() -> None:
    text = (
        '{"static_resources": {"listeners": [{"filter_chains": [{"filters": [{"typed_config":'
        ' {"cluster": "api"}}]}]}], "clusters": [{"name": "api", "load_assignment": {"endpoints":'
        ' [{"lb_endpoints": [{"endpoint": {"address": {"socket_address": {"address": "api",'
        ' "port_value": 80}}}}]}]}}]}}'
    )
    found = list(EnvoyReader().read([Source("/e/envoy.json", text)], {}))
    assert {(f.host, f.port) for f in found if isinstance(f, Upstream)} == {("api", 80)}


def test_readers_claim_only_their_kind() -> None:
    nginx, envoy = NginxReader(), EnvoyReader()
    assert nginx.claims("default.conf", "server { location / { proxy_pass http://a; } }")
    assert not nginx.claims("app.conf", "# proxy_pass http://a;\nkey = value\n")
    assert envoy.claims("envoy.yaml", ENVOY)
    assert not envoy.claims("deploy.yaml", "kind: Deployment\n")


def test_nginx_map_values_chained_set_and_lua_blocks() -> None:
    text = """\
map $uri $backend {
    hostnames;
    default      web:8080;
    ~^/api/      api;
    ~^/echo/     $http_x_echo;
}
upstream api { server api-1:9000; }
server {
    set $svc orders;
    set $target "${svc}:7000";
    location /o { proxy_pass http://$target$request_uri; }
    location / { proxy_pass http://$backend$request_uri; }
    location /lua {
        content_by_lua_block { local s = "}" ; ngx.say("{") }
        set_by_lua_block $picked { return "x:1" }
        proxy_pass http://$picked;
    }
}
"""
    found = _nginx(text)
    assert _calls(found) == {
        ("orders", 7000, "/cfg/0.conf:11:19"),
        ("web", 8080, "/cfg/0.conf:12:18"),
        ("api-1", 9000, "/cfg/0.conf:7:16"),
    }
    # a map value read from the request is reported, not guessed
    assert [(str(f.location), f.reason) for f in found if isinstance(f, Unknown)] == [
        (
            "/cfg/0.conf:12:18",
            "the address holds $http_x_echo, known only per request",
        ),
        (
            "/cfg/0.conf:16:9",
            "the address holds $picked (set_by_lua_block at /cfg/0.conf:15:9),"
            " known only per request",
        ),
    ]


def test_haproxy_backends_a_frontend_uses() -> None:
    from socklock.discover.proxies.haproxy import HAProxyReader

    text = """\
global
    maxconn 256
defaults
    mode http
frontend web
    bind *:80
    # use_backend commented if { path_beg /x }
    use_backend api if { path_beg /api }
    default_backend site
backend api
    server api1 api:8080 check
    server api2 "${API2}" check
backend site
    server s1 site check
backend unused
    server u1 nobody:1
listen stats
    bind *:8404
    server pg db:5432
    server local 127.0.0.1:9000
"""
    reader = HAProxyReader()
    assert reader.claims("haproxy.cfg", text)
    found = list(reader.read([Source("/h/haproxy.cfg", text)], {"API2": "api-2:8081"}))
    assert _calls(found) == {
        ("api", 8080, "/h/haproxy.cfg:11:5"),
        ("api-2", 8081, "/h/haproxy.cfg:12:5"),
        ("site", None, "/h/haproxy.cfg:14:5"),  # the client's port: unknown
        ("db", 5432, "/h/haproxy.cfg:19:5"),
        ("127.0.0.1", 9000, "/h/haproxy.cfg:20:5"),  # local: dropped by the join
    }
    (unknown,) = [
        f for f in reader.read([Source("/h/haproxy.cfg", text)], {}) if isinstance(f, Unknown)
    ]
    assert unknown.reason == (
        "env API2 is not set for the workload by any manifest or its image's ENV"
    )


def test_caddy_reverse_proxy_lines_and_blocks() -> None:
    from socklock.discover.proxies.caddy import CaddyReader

    text = """\
{$SITE:localhost} {
    # reverse_proxy commented:1
    reverse_proxy /api/* api:8080 api-2:8080
    reverse_proxy @grpc h2c://grpc:50051
    php_fastcgi php:9000
    redir /old https://example.com{uri}
    reverse_proxy /dyn/* {http.request.host}:80
    reverse_proxy /sock unix//run/app.sock
    handle /web/* {
        reverse_proxy {
            to {$WEB_HOST}:3000 web-b:3000
            lb_policy round_robin
        }
    }
    reverse_proxy /plain web
}
"""
    reader = CaddyReader()
    assert reader.claims("Caddyfile", text)
    found = list(reader.read([Source("/c/Caddyfile", text)], {"WEB_HOST": "web-a"}))
    assert _calls(found) == {
        ("api", 8080, "/c/Caddyfile:3:5"),
        ("api-2", 8080, "/c/Caddyfile:3:5"),
        ("grpc", 50051, "/c/Caddyfile:4:5"),
        ("php", 9000, "/c/Caddyfile:5:5"),
        ("web-a", 3000, "/c/Caddyfile:11:13"),
        ("web-b", 3000, "/c/Caddyfile:11:13"),
        ("web", 80, "/c/Caddyfile:15:5"),
    }
    (unknown,) = [f for f in found if isinstance(f, Unknown)]
    assert unknown.reason == "the address holds {http.request.host}:80, known only per request"


def test_caddy_1_proxy_lines_and_upstream_blocks() -> None:
    from socklock.discover.proxies.caddy import CaddyReader

    text = """\
http://localhost, https://localhost {
  # proxy /old commented:1
  status 200 /health
  prometheus 0.0.0.0:9900
  proxy /api https://gateway
  proxy /graphql graphql:5000
  proxy / web:4000 web-2:4000 {
    upstream web-3:4000
    transparent
  }
  log / stdout "{when_iso}"
}
"""
    reader = CaddyReader()
    assert reader.claims("Caddyfile", text)
    found = list(reader.read([Source("/c/Caddyfile", text)], {}))
    # the path comes first and is no upstream; ``prometheus``'s listener is no call
    assert _calls(found) == {
        ("gateway", 443, "/c/Caddyfile:5:3"),
        ("graphql", 5000, "/c/Caddyfile:6:3"),
        ("web", 4000, "/c/Caddyfile:7:3"),
        ("web-2", 4000, "/c/Caddyfile:7:3"),
        ("web-3", 4000, "/c/Caddyfile:8:5"),
    }


def test_a_caddyfile_without_a_proxy_directive_is_not_claimed() -> None:
    from socklock.discover.proxies.caddy import CaddyReader

    # ``proxy_protocol`` (a listener option) and a ``proxy`` word inside a line are no proxy
    text = "example.com {\n  root * /srv\n  file_server\n  proxy_protocol\n  # proxy / x:1\n}\n"
    assert not CaddyReader().claims("Caddyfile", text)


def test_envoy_cluster_header_makes_every_cluster_a_target() -> None:
    text = ENVOY.replace(
        "              - route:\n                  weighted_clusters:",
        "              - route: {cluster_header: x-target}\n              - route:\n"
        "                  weighted_clusters:",
    )
    found = list(EnvoyReader().read([Source("/e/envoy.yaml", text)], {"GREEN_HOST": "green"}))
    assert {f.host for f in found if isinstance(f, Upstream)} == {
        "blue",
        "blue-2",
        "green",
        "authz",
        "legacy.example.com",
        "nobody",
    }
    (nobody,) = [f for f in found if isinstance(f, Upstream) and f.host == "nobody"]
    assert (
        nobody.detail == "Envoy cluster unused: nobody:1 (used by route.cluster_header at line 11)"
    )


def test_envoy_udp_socket_address() -> None:
    text = """\
static_resources:
  listeners:
  - listener_filters:
    - typed_config: {matcher: {on_no_match: {action: {typed_config: {cluster: dns}}}}}
  clusters:
  - name: dns
    load_assignment:
      endpoints:
      - lb_endpoints:
        - endpoint: {address: {socket_address: {protocol: UDP, address: dns, port_value: 53}}}
"""
    (found,) = EnvoyReader().read([Source("/e/envoy.yaml", text)], {})
    assert isinstance(found, Upstream)
    assert (found.host, found.port, found.protocol) == ("dns", 53, "UDP")


def test_envoy_cluster_of_a_udp_proxy_is_udp() -> None:
    text = """\
static_resources:
  listeners:
  - listener_filters:
    - name: envoy.filters.udp_listener.udp_proxy
      typed_config:
        matcher: {on_no_match: {action: {typed_config: {cluster: syslog}}}}
  clusters:
  - name: syslog
    hosts: [{socket_address: {address: syslog, port_value: 514}}]
"""
    (found,) = EnvoyReader().read([Source("/e/envoy.yaml", text)], {})
    assert isinstance(found, Upstream)
    assert (found.host, found.port, found.protocol) == ("syslog", 514, "UDP")


def test_nginx_stream_server_listening_on_udp_passes_udp() -> None:
    text = """\
stream {
    upstream dns { server coredns:53; }
    server { listen 53 udp; proxy_pass dns; }
    server { listen 5432; proxy_pass pg:5432; }
}
"""
    found = [f for f in _nginx(text) if isinstance(f, Upstream)]
    assert {(f.host, f.port, f.protocol) for f in found} == {
        ("coredns", 53, "UDP"),
        ("pg", 5432, "TCP"),
    }


def test_nginx_variable_stands_for_every_value_set_or_mapped() -> None:
    text = """\
upstream web { server web-1:3000; }
upstream api { server api-1:8000; }
map $http_accept $feed {
    default                  http://web;
    "~application/json"      http://api;
}
server {
    location / {
        set $to "http://web";
        if ($request_method = POST) { set $to "http://api"; }
        if ($http_x_debug) { set $to "http://api"; }
        proxy_pass $to;
    }
    location /feed { proxy_pass $feed; }
}
"""
    found = _nginx(text)
    assert [(f.host, f.port, str(f.location)) for f in found if isinstance(f, Upstream)] == [
        ("web-1", 3000, "/cfg/0.conf:1:16"),
        ("api-1", 8000, "/cfg/0.conf:2:16"),
        ("web-1", 3000, "/cfg/0.conf:1:16"),
        ("api-1", 8000, "/cfg/0.conf:2:16"),
    ]
    details = [f.detail for f in found if isinstance(f, Upstream)]
    assert details[1] == (
        "proxy_pass $to ($to=http://api set at /cfg/0.conf:10:39) → upstream api:"
        " server api-1:8000 (pass at /cfg/0.conf:12:9)"
    )
    assert details[3] == (
        "proxy_pass $feed ($feed=http://api by map at /cfg/0.conf:5:6) → upstream api:"
        " server api-1:8000 (pass at /cfg/0.conf:14:22)"
    )
    assert not [f for f in found if isinstance(f, Unknown)]


def test_nginx_variable_also_fed_by_the_request_is_reported_for_that() -> None:
    text = """\
server {
    location / {
        set $to "http://web:3000";
        if ($arg_debug) { set $to $host; }
        proxy_pass $to;
    }
    location /self { proxy_pass http://$host:8080; }
    location /scheme { proxy_pass $scheme://api:9000; }
}
"""
    found = _nginx(text)
    assert _calls(found) == {("web", 3000, "/cfg/0.conf:5:9"), ("api", 9000, "/cfg/0.conf:8:24")}
    assert [(str(f.location), f.reason) for f in found if isinstance(f, Unknown)] == [
        (
            "/cfg/0.conf:5:9",
            "the address holds $to (set at /cfg/0.conf:4:27), known only per request",
        ),
        ("/cfg/0.conf:7:22", "the address holds $host, known only per request"),
    ]


def test_httpd_proxy_pass_balancer_members_and_proxied_rewrites() -> None:
    from socklock.discover.proxies.httpd import HttpdReader

    text = """\
Define BACKEND_PORT 8081
<VirtualHost *:80>
    ProxyPreserveHost On
    ProxyPass        /orders http://orders:8080/
    ProxyPassReverse /orders http://orders:8080/
    ProxyPass        /static !
    ProxyPass        /legacy ajp://legacy/ timeout=30
    ProxyPassMatch   ^/(.*\\.php)$ fcgi://php:9000/var/www/$1
    ProxyPass        /api http://api:${BACKEND_PORT}/
    ProxyPass        /shop balancer://shop/
    <Proxy balancer://shop>
        BalancerMember http://shop-1:8080
        BalancerMember http://shop-2:8080 loadfactor=2
    </Proxy>
    <Location /billing>
        ProxyPass http://billing:7000/
    </Location>
    RewriteEngine On
    RewriteRule ^/old/(.*)$ http://old:9090/$1 [P,L]
    RewriteRule ^/moved$ http://elsewhere.example.com/ [R=301,L]
    # ProxyPass /commented http://ghost:1/
    ProxyPass /report http://${REPORT_HOST}/
</VirtualHost>
"""
    reader = HttpdReader()
    assert reader.claims("000-default.conf", text)
    assert not reader.claims("nginx.conf", "server { proxy_pass http://a; }\n")
    assert not reader.claims("notes.conf", "ProxyPass is an Apache directive\n")
    found = list(reader.read([Source("/a/000-default.conf", text)], {}))
    assert _calls(found) == {
        ("orders", 8080, "/a/000-default.conf:4:5"),
        ("legacy", 8009, "/a/000-default.conf:7:5"),
        ("php", 9000, "/a/000-default.conf:8:5"),
        ("api", 8081, "/a/000-default.conf:9:5"),
        ("shop-1", 8080, "/a/000-default.conf:12:9"),
        ("shop-2", 8080, "/a/000-default.conf:13:9"),
        ("billing", 7000, "/a/000-default.conf:16:9"),
        ("old", 9090, "/a/000-default.conf:19:5"),
    }
    assert [(u.expression, u.reason) for u in found if isinstance(u, Unknown)] == [
        ("ProxyPass balancer://shop/", "balancer shop: its BalancerMember lines say"),
        (
            "ProxyPass http://${REPORT_HOST}/",
            "env REPORT_HOST is not set for the workload by any manifest or its image's ENV",
        ),
    ]
    env_found = list(reader.read([Source("/a/x.conf", text)], {"REPORT_HOST": "report:3000"}))
    assert ("report", 3000, "/a/x.conf:22:5") in _calls(env_found)


def test_nginx_copies_of_one_text_read_in_one_run_keep_their_own_places(tmp_path: Path) -> None:
    """One text's directives are flattened once per discovery run and one manifest file's
    lines read once: each copy (another file, another offset in one file) keeps its own
    locations, and a file changed between runs is read again."""
    from socklock.discover import once

    text = "server {\n  location / { proxy_pass http://api:8080; }\n}\n"
    manifest = tmp_path / "cm.yaml"
    manifest.write_text("x\n  server {\n    location / { proxy_pass http://api:8080; }\n")
    copies = [
        Source("/cfg/a.conf", text),
        Source("/cfg/b.conf", text),
        Source(str(manifest), text, line_offset=1),
    ]
    with once.run():
        found = [list(NginxReader().read([s], {})) for s in copies]
        again = list(NginxReader().read([Source(str(manifest), text, line_offset=1)], {}))
    assert [_calls(f) for f in found] == [
        {("api", 8080, "/cfg/a.conf:2:16")},
        {("api", 8080, "/cfg/b.conf:2:16")},
        {("api", 8080, f"{manifest}:3:18")},
    ]
    assert _calls(again) == {("api", 8080, f"{manifest}:3:18")}
    manifest.write_text("x\n\n  server {\n      location / { proxy_pass http://api:8080; }\n")
    with once.run():
        moved = list(NginxReader().read([Source(str(manifest), text, line_offset=2)], {}))
    assert _calls(moved) == {("api", 8080, f"{manifest}:4:20")}
