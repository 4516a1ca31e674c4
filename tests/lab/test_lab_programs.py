"""Programs, Services and log mode, planned without creating anything (no root needed)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from tests.conftest import DEMO_SHOP
from tests.helpers import write_files as _write
from tests.policy.truth import FIXTURES

from socklock.lab import nft, parse, plan, programs, services
from socklock.lab.log import address_table
from socklock.load import load_paths


def _shop():  # type: ignore[no-untyped-def]
    inventory = load_paths([str(DEMO_SHOP)])
    chosen, not_run = programs.programs(inventory)
    laid_out, _ = plan(inventory, (), "t0")
    laid_out = replace(laid_out, served=programs.served(laid_out, chosen))
    return inventory, chosen, not_run, laid_out


def test_every_shop_workload_runs_its_dockerfile_command_with_the_manifest_env() -> None:
    _, chosen, not_run, _ = _shop()
    assert not_run == []
    by_name = {p.endpoint: p for p in chosen}
    assert sorted(by_name) == sorted(
        f"sock-shop/{n}"
        for n in (
            "carts",
            "carts-db",
            "catalogue",
            "catalogue-db",
            "front-end",
            "orders",
            "orders-db",
            "payment",
            "queue-master",
            "rabbitmq",
            "shipping",
            "user",
            "user-db",
        )
    )
    front = by_name["sock-shop/front-end"]
    assert front.argv == (sys.executable, "app.py")
    assert front.cwd == str(DEMO_SHOP / "front-end")
    assert front.ports == (8080,)
    assert dict(front.env) == {
        "PORT": "8080",
        "CATALOGUE_URL": "http://catalogue",
        "CARTS_URL": "http://carts:80",
        "ORDERS_URL": "http://orders.sock-shop",
        "USER_URL": "http://user.sock-shop.svc.cluster.local:80",
    }
    # secretKeyRef read from the Secret's file, then $(VAR) expanded
    catalogue = by_name["sock-shop/catalogue"].env
    assert catalogue["CATALOGUE_DB_PASSWORD"] == "fake"
    assert catalogue["CATALOGUE_DB_DSN"] == "mysql://catalogue:fake@catalogue-db:3306/socksdb"
    assert by_name["sock-shop/catalogue-db"].env["MYSQL_PASSWORD"] == "fake"
    # envFrom a ConfigMap, and configMapKeyRef
    assert by_name["sock-shop/queue-master"].env["AMQP_URL"] == "amqp://guest:guest@rabbitmq:5672"
    assert by_name["sock-shop/shipping"].env["AMQP_URL"] == "amqp://guest:guest@rabbitmq:5672"
    # the repr never shows the environment (it may hold a Secret's value)
    assert "fake" not in repr(by_name["sock-shop/catalogue"])


def test_entrypoint_cmd_expansion_and_what_cannot_run(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        {
            "compose.yaml": """services:
  api: {build: ./api, image: me/api:1}
  shell: {build: ./shell, image: me/shell:1}
  ghost: {build: ./ghost, image: me/ghost:1}
""",
            "api/Dockerfile": 'FROM scratch AS build\nCMD ["ignored"]\nFROM python:3\n'
            'ENTRYPOINT ["/usr/bin/env", "server"]\nCMD ["--port", "9000"]\n',
            "shell/Dockerfile": "FROM python:3\nCMD python app.py\n",
            "k8s.yaml": """apiVersion: v1
kind: Secret
metadata: {name: s, namespace: n}
stringData: {token: t0k}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: n}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: me/api:1
          env:
            - {name: A, value: "1"}
            - {name: B, value: "$(A)-$(MISSING)-$$(A)"}
            - name: T
              valueFrom: {secretKeyRef: {name: s, key: token}}
        - {name: shell, image: me/shell:1}
        - {name: ghost, image: me/ghost:1}
        - {name: other, image: elsewhere/x:2}
""",
        },
    )
    inventory = load_paths([str(folder)])
    chosen, not_run = programs.programs(inventory)
    assert [(p.endpoint, p.container, p.argv, dict(p.env)) for p in chosen] == [
        (
            "n/api",
            "api",
            ("/usr/bin/env", "server", "--port", "9000"),
            {"A": "1", "B": "1-$(MISSING)-$(A)", "T": "t0k"},
        )
    ]
    assert [(n.container, n.reason) for n in not_run] == [
        ("shell", f"{folder}/shell/Dockerfile has no exec-form CMD or ENTRYPOINT"),
        ("ghost", f"{folder}/ghost/Dockerfile is not among the inputs"),
        ("other", "image elsewhere/x:2 is built from no folder of the inputs"),
    ]


def test_services_send_cluster_ips_to_ready_pods_only() -> None:
    inventory, chosen, _, laid_out = _shop()
    ready = {p.netns for r in chosen if (p := programs.home(laid_out, r)) is not None}
    planned = {s.id: s for s in services.plan(inventory, laid_out, ready)}
    payment = planned["sock-shop/payment"]
    first, second = laid_out.pods_of("sock-shop/payment")
    assert [(p.port, str(p.protocol), p.backends) for p in payment.ports] == [
        (80, "TCP", (services.Backend(str(first.address(4)), 8080),))
    ]
    assert second.netns not in ready  # the second replica runs no program: no traffic
    script = services.nat_script(list(planned.values()))
    assert (
        f"ip daddr {payment.address} tcp dport 80 dnat to {first.address(4)}:8080 "
        'comment "sock-shop/payment"'
    ) in script
    orders = laid_out.pods_of("sock-shop/orders")[0]
    hosts = services.hosts_file(list(planned.values()), orders).splitlines()
    assert (
        f"{payment.address}\tpayment.sock-shop.svc.cluster.local payment.sock-shop.svc "
        "payment.sock-shop payment"
    ) in hosts
    assert services.resolv_conf(orders) == (
        "nameserver 127.0.0.1\nsearch sock-shop.svc.cluster.local svc.cluster.local "
        "cluster.local\noptions ndots:5 timeout:1 attempts:1\n"
    )
    # the listener leaves the program's socket alone, and the probe only connects there
    assert (str(first.address(4)), 8080, "TCP") not in laid_out.sockets(first)
    assert (str(first.address(6)), 8080, "TCP") in laid_out.sockets(first)
    assert (str(second.address(4)), 8080, "TCP") in laid_out.sockets(second)


def test_several_ready_pods_are_chosen_at_random() -> None:
    backends = (services.Backend("10.244.0.1", 8080), services.Backend("10.244.0.2", 9090))
    service = services.LabService(
        "n", "s", "10.96.0.1", (services.ServicePort(80, services.Protocol.TCP, backends),)
    )
    assert (
        "ip daddr 10.96.0.1 tcp dport 80 dnat ip to numgen random mod 2 map "
        '{ 0 : 10.244.0.1 . 8080, 1 : 10.244.0.2 . 9090 } comment "n/s"'
    ) in services.nat_script([service])
    # a port no ready pod serves gets no rule
    empty = services.LabService(
        "n", "e", "10.96.0.2", (services.ServicePort(80, services.Protocol.TCP, ()),)
    )
    assert "10.96.0.2" not in services.nat_script([empty])


def test_log_mode_logs_then_accepts_where_enforce_rejects() -> None:
    inventory = load_paths([str(FIXTURES / "_cluster"), str(FIXTURES / "07-and-peer")])
    policies = parse(inventory)
    laid_out, enforced = plan(inventory, policies, "t0")
    logged = nft.compile_all(laid_out, policies, nft.LOG)
    pod = laid_out.pods_of("x/a")[0]
    assert "reject" in enforced[pod.netns]
    assert "reject" not in logged[pod.netns]
    assert (
        '\t\tmeta l4proto { tcp, udp, sctp } log prefix "socklock ingress x/a pod 0" group 7 '
        'accept comment "isolated: would be denied"'
    ) in logged[pod.netns].splitlines()
    # the rules before it are the same: only the end of an isolated chain changes
    assert (
        enforced[pod.netns].split("meta l4proto tcp reject")[0]
        == logged[pod.netns].split("meta l4proto { tcp, udp, sctp } log")[0]
    )
    # a pod no policy isolates logs nothing
    open_pod = laid_out.pods_of("y/b")[0]
    assert " log " not in logged[open_pod.netns]


def test_address_table_names_every_lab_address() -> None:
    inventory = load_paths([str(FIXTURES / "_cluster")])
    laid_out, _ = plan(inventory, (), "t0")
    lines = address_table(laid_out).splitlines()[1:]
    pod = laid_out.pods_of("x/a")[0]
    assert f"{pod.address(4)} x/a" in lines and f"{pod.address(6)} x/a" in lines
    assert "198.51.100.1 external:198.51.100.1" in lines
    assert len(lines) == sum(len(p.addresses) for p in laid_out.pods) + len(
        laid_out.outside.addresses
    )


def test_cli_rules_in_log_mode() -> None:
    from click.testing import CliRunner

    from socklock._cli.main import cli

    paths = [str(FIXTURES / "_cluster"), str(FIXTURES / "07-and-peer")]
    result = CliRunner().invoke(
        cli, ["lab", "rules", *paths, "--pod", "x/a", "--mode", "log"], standalone_mode=False
    )
    assert result.return_value == 0, result.output
    assert [line.strip() for line in result.output.splitlines() if "isolated:" in line] == [
        'meta l4proto { tcp, udp, sctp } log prefix "socklock ingress x/a pod 0" group 7 '
        'accept comment "isolated: would be denied"'
    ]
