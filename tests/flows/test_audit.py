"""socklock audit: observed flows replayed against candidate policies and the map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.flows import samples, shop

from socklock._cli.main import cli


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False, catch_exceptions=False)
    code = result.return_value if isinstance(result.return_value, int) else result.exit_code
    return code, result.stdout, result.stderr


@pytest.fixture
def shop_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cluster.yaml").write_text(shop.CLUSTER)
    (tmp_path / "pods.yaml").write_text(shop.PODS)
    (tmp_path / "pol").mkdir()
    (tmp_path / "pol" / "policies.yaml").write_text(shop.POLICIES)
    for name in ("HUBBLE", "CALICO", "GOLDMANE", "KERNEL", "VPC"):
        (tmp_path / f"{name.lower()}.log").write_text(getattr(samples, name) + "\n")
    return tmp_path


CLUSTER_ARGS = ("--policy", "pol", "--cluster", "cluster.yaml", "--cluster", "pods.yaml")


def _drop_lines(first_seen: str, last_seen: str, orders_at: str, external_at: str) -> list[str]:
    return [
        f"  shop/front-end -> shop/orders 80/TCP: denied (1 flow(s), {first_seen} to "
        f"{last_seen}, first at {orders_at})",
        "    egress of shop/front-end: isolated for egress by 2 policy(ies), and none of their "
        "rules admits it on 80/TCP",
        "      isolated by shop/default-deny (pol/policies.yaml:1:1)",
        "      isolated by shop/front-end-egress (pol/policies.yaml:8:1)",
        "    ingress of shop/orders: isolated for ingress by 1 policy(ies), and none of their "
        "rules admits it on 80/TCP",
        "      isolated by shop/default-deny (pol/policies.yaml:1:1)",
        f"  shop/orders -> external:1.1.1.1 443/TCP: denied ({external_at})",
        "    egress of shop/orders: isolated for egress by 1 policy(ies), and none of their "
        "rules admits it on 443/TCP",
        "      isolated by shop/default-deny (pol/policies.yaml:1:1)",
    ]


@pytest.mark.parametrize(
    ("name", "first", "last", "orders_line", "external", "unmapped_line", "bad"),
    [
        ("hubble", "2026-01-10T10:00:03.123457Z", "2026-01-10T10:00:03.123457Z", 5,
         "1 flow(s), 2026-01-10T10:00:04.123457Z to 2026-01-10T10:00:04.123457Z, first at "
         "hubble.log:7", 8, 1),
        ("calico", "2026-01-10T10:00:03Z", "2026-01-10T10:00:13Z", 3,
         "1 flow(s), 2026-01-10T10:00:04Z to 2026-01-10T10:00:14Z, first at calico.log:5", 6, 1),
        ("kernel", "2026-01-10T10:00:03Z", "2026-01-10T10:00:03Z", 4,
         "1 flow(s), 2026-01-10T10:00:04Z to 2026-01-10T10:00:04Z, first at kernel.log:6", 7, 1),
        ("vpc", "2026-01-10T10:00:03Z", "2026-01-10T10:01:03Z", 4,
         "1 flow(s), 2026-01-10T10:00:04Z to 2026-01-10T10:01:04Z, first at vpc.log:6", 7, 1),
    ],
)  # fmt: skip
def test_every_format_gives_the_same_drops(
    shop_dir: Path,
    name: str,
    first: str,
    last: str,
    orders_line: int,
    external: str,
    unmapped_line: int,
    bad: int,
) -> None:
    code, out, err = _run("audit", f"{name}.log", *CLUSTER_ARGS)
    assert code == 1, err
    lines = out.splitlines()
    assert lines[0] == "Would be dropped: 2"
    assert lines[1:10] == _drop_lines(first, last, f"{name}.log:{orders_line}", external)
    assert lines[10:12] == [
        "Missing from the map: 1",
        f"  shop/front-end -> shop/orders 80/TCP (1 flow(s), {first} to {last}, first at "
        f"{name}.log:{orders_line})",
    ]
    assert lines[12:14] == [
        "Not mapped to a workload: 1",
        "  source 10.0.9.9: a private address that is no pod or Service IP of the inputs "
        f"(1 flow(s), first at {name}.log:{unmapped_line})",
    ]
    # the pod IP and the Service clusterIP (port 80 -> targetPort http 8080) are one flow
    assert lines[-1].endswith(
        f"({bad} bad lines), 3 distinct flows: 2 would be dropped, 1 missing from the map"
    )


def test_goldmane_names_map_through_generated_pod_names(shop_dir: Path) -> None:
    code, out, err = _run("audit", "goldmane.log", *CLUSTER_ARGS, "--format", "json")
    assert code == 1
    document = json.loads(out)
    assert document["schema"] == "socklock/audit/v1"
    assert [(d["from"], d["to"], d["port"], d["verdict"]) for d in document["dropped"]] == [
        ("shop/front-end", "shop/orders", 80, "denied")
    ]
    drop = document["dropped"][0]
    assert drop["seen"] == {
        "count": 4,
        "first_seen": "2026-01-10T10:00:03Z",
        "last_seen": "2026-01-10T10:00:15Z",
        "file": "goldmane.log",
        "line": 1,
        "verdicts": ["Allow"],
    }
    assert [
        (c["direction"], c["workload"], [p["policy"] for p in c["policies"]])
        for c in drop["decided_by"]
    ] == [
        ("egress", "shop/front-end", ["shop/default-deny", "shop/front-end-egress"]),
        ("ingress", "shop/orders", ["shop/default-deny"]),
    ]
    assert document["summary"] == {
        "records": 2,
        "bad_lines": 1,
        "flows": 2,
        "dropped": 1,
        "missing": 1,
        "unmapped": 0,
        "not_judged": {},
    }
    assert "goldmane.log:3: warning: calico: a side has neither IP nor namespace and name" in err


def test_icmp_is_not_judged(shop_dir: Path) -> None:
    code, out, _ = _run("audit", "kernel.log", *CLUSTER_ARGS)
    assert code == 1
    assert "Not judged: 1 record(s): ICMP: NetworkPolicies govern TCP, UDP and SCTP only" in out


def test_allowed_flows_exit_zero(shop_dir: Path) -> None:
    (shop_dir / "ok.log").write_text(samples.HUBBLE.split("\n")[0] + "\n")
    code, out, _ = _run("audit", "ok.log", *CLUSTER_ARGS)
    assert code == 0
    assert out.splitlines() == [
        "Would be dropped: 0",
        "Missing from the map: 0",
        "1 records (0 bad lines), 1 distinct flows: 0 would be dropped, 0 missing from the map",
    ]


def test_fail_on_missing_and_never(shop_dir: Path) -> None:
    # catalogue's policy admits front-end; the flow is allowed but missing from an empty map
    graph = shop_dir / "graph.json"
    graph.write_text('{"schema": "socklock/graph/v1", "workloads": [], "edges": []}')
    (shop_dir / "ok.log").write_text(samples.HUBBLE.split("\n")[0] + "\n")
    args = ("audit", "ok.log", *CLUSTER_ARGS, "--graph", str(graph))
    assert _run(*args)[0] == 0
    code, out, _ = _run(*args, "--fail-on", "missing")
    assert code == 1
    assert out.splitlines()[2] == (
        "  shop/front-end -> shop/catalogue 8080/TCP (1 flow(s), 2026-01-10T10:00:01.123457Z to "
        "2026-01-10T10:00:01.123457Z, first at ok.log:1)"
    )
    assert _run("audit", "hubble.log", *CLUSTER_ARGS, "--fail-on", "never")[0] == 0
    code, out, _ = _run("audit", "hubble.log", *CLUSTER_ARGS, "--no-graph")
    assert code == 1 and "Missing from the map" not in out


def test_address_table_maps_what_the_inputs_do_not_give(shop_dir: Path) -> None:
    (shop_dir / "addresses.txt").write_text(
        "# lab and outside addresses\n"
        "10.0.9.9 shop/orders\n"
        "1.1.1.0/24 external:dns-provider\n"
        "10.0.8.8 nowhere\n"
    )
    code, out, err = _run("audit", "hubble.log", *CLUSTER_ARGS, "--addresses", "addresses.txt")
    assert code == 1
    assert err.splitlines()[0] == (
        "addresses.txt:4: warning: 'nowhere': expected NAMESPACE/NAME or external:..."
    )
    assert "  shop/orders -> external:dns-provider 443/TCP: denied" in out
    # 10.0.9.9 is now orders: orders -> catalogue 8080 is refused by catalogue's ingress
    assert "  shop/orders -> shop/catalogue 8080/TCP: denied" in out
    assert "Not mapped" not in out


def test_unreadable_flow_file_exits_two(shop_dir: Path) -> None:
    (shop_dir / "junk.log").write_text("hello\n")
    code, _, err = _run("audit", "junk.log", "absent.log", *CLUSTER_ARGS)
    assert code == 2
    assert err.splitlines()[:2] == [
        "junk.log: error: not a flow format socklock reads (hubble, calico, kernel-log, vpc, lab); "
        "name it with --flow-format",
        "absent.log: error: cannot read: No such file or directory",
    ]


def test_map_flows_adds_observed_evidence(shop_dir: Path) -> None:
    code, out, err = _run(
        "map", "cluster.yaml", "pods.yaml", "--flows", "hubble.log", "--format", "json"
    )
    assert code == 0, err
    edges = {(e["from"], e["to"], e["port"]): e for e in json.loads(out)["edges"]}
    assert sorted(edges) == [
        ("shop/front-end", "shop/catalogue", 8080),
        ("shop/front-end", "shop/orders", 80),
        ("shop/orders", "external:1.1.1.1", 443),
    ]
    assert [ev["kind"] for ev in edges["shop/front-end", "shop/catalogue", 8080]["evidence"]] == [
        "env",
        "observed",
    ]
    assert edges["shop/front-end", "shop/orders", 80]["evidence"] == [
        {
            "kind": "observed",
            "file": "hubble.log",
            "line": 5,
            "column": 0,
            "detail": "observed 1 flow(s), 2026-01-10T10:00:03.123457Z to "
            "2026-01-10T10:00:03.123457Z",
            "expression": None,
            "confidence": 1.0,
            "observed": {
                "count": 1,
                "first_seen": "2026-01-10T10:00:03.123457Z",
                "last_seen": "2026-01-10T10:00:03.123457Z",
            },
        }
    ]
    catalogue = edges["shop/front-end", "shop/catalogue", 8080]["evidence"][1]["observed"]
    assert catalogue == {
        "count": 3,
        "first_seen": "2026-01-10T10:00:01.123457Z",
        "last_seen": "2026-01-10T10:00:05.123457Z",
    }
    assert "hubble.log:8: warning: source 10.0.9.9 not mapped to a workload" in err


def test_map_without_flows_has_no_observed_key(shop_dir: Path) -> None:
    code, out, _ = _run("map", "cluster.yaml", "--format", "json")
    assert code == 0
    assert '"observed"' not in out


def test_observed_evidence_reads_back(shop_dir: Path) -> None:
    from socklock.schemas.graph import GraphDocument, from_document, to_document

    code, out, _ = _run(
        "map", "cluster.yaml", "pods.yaml", "--flows", "vpc.log", "--format", "json"
    )
    assert code == 0
    graph = from_document(GraphDocument.model_validate_json(out))
    again = to_document(graph).model_dump_json(by_alias=True, indent=2) + "\n"
    assert again == out


def test_no_candidate_policy_is_said(shop_dir: Path) -> None:
    (shop_dir / "empty").mkdir()
    (shop_dir / "empty" / "README.md").write_text("no policies yet\n")
    code, out, err = _run(
        "audit", "hubble.log", "--policy", "empty", "--cluster", "cluster.yaml", "--no-graph"
    )
    assert code == 0
    assert "warning: no policy in the --policy paths: every flow is allowed" in err
    assert out.splitlines()[0] == "Would be dropped: 0"


def test_flows_from_stdin(shop_dir: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["audit", "-", *CLUSTER_ARGS, "--no-graph"],
        input=samples.VPC + "\n",
        standalone_mode=False,
        catch_exceptions=False,
    )
    assert result.return_value == 1
    assert result.stdout.splitlines()[1] == (
        "  shop/front-end -> shop/orders 80/TCP: denied (1 flow(s), 2026-01-10T10:00:03Z to "
        "2026-01-10T10:01:03Z, first at <stdin>:4)"
    )
    assert "<stdin>:5: warning: vpc: 6 fields, the format has 14" in result.stderr


def test_hubble_pod_names_without_ips_and_a_service_port_it_lacks(shop_dir: Path) -> None:
    named = (
        '{"flow":{"time":"2026-01-10T10:00:09Z","verdict":"DROPPED",'
        '"source":{"namespace":"shop","pod_name":"front-end-7d9c8b-x1x2x"},'
        '"destination":{"namespace":"shop","pod_name":"orders-6c7d8e-z3z4z"},'
        '"l4":{"UDP":{"source_port":5000,"destination_port":53}}}}'
    )
    wrong_port = samples.HUBBLE.split("\n")[3].replace(
        '"destination_port":80', '"destination_port":81'
    )
    (shop_dir / "named.log").write_text(f"{named}\n{wrong_port}\n")
    code, out, _ = _run("audit", "named.log", *CLUSTER_ARGS, "--no-graph")
    assert code == 1
    assert out.splitlines()[1] == (
        "  shop/front-end -> shop/orders 53/UDP: denied (1 flow(s), 2026-01-10T10:00:09Z to "
        "2026-01-10T10:00:09Z, first at named.log:1)"
    )
    assert (
        "  destination 10.96.0.20: Service shop/catalogue (10.96.0.20) has no TCP port 81 "
        "(1 flow(s), first at named.log:2)"
    ) in out.splitlines()


def test_ipv6_addresses_are_compared_canonically(shop_dir: Path) -> None:
    (shop_dir / "addresses.txt").write_text(
        "fd00:0:0:0::0005 shop/front-end\nfd00::7 shop/orders\n"
    )
    line = (
        "2026-01-10T10:00:01.000000+00:00 node-1 kernel: socklock-drop: IN=veth1 OUT= "
        "SRC=fd00:0000::5 DST=fd00::0007 LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=1 PROTO=TCP SPT=40000 "
        "DPT=80 WINDOW=64800 RES=0x00 SYN URGP=0"
    )
    (shop_dir / "v6.log").write_text(line + "\n")
    code, out, _ = _run(
        "audit", "v6.log", *CLUSTER_ARGS, "--addresses", "addresses.txt", "--no-graph"
    )
    assert code == 1
    assert out.splitlines()[1] == (
        "  shop/front-end -> shop/orders 80/TCP: denied (1 flow(s), 2026-01-10T10:00:01Z to "
        "2026-01-10T10:00:01Z, first at v6.log:1)"
    )
