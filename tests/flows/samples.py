"""Flow samples written for these tests from each format's documentation (never real logs).
Every sample holds the same five calls and one bad line:

1. front-end (10.0.1.5) -> catalogue's pod (10.0.2.7) 8080/TCP: allowed
2. front-end -> Service catalogue's clusterIP (10.96.0.20) 80/TCP: catalogue 8080, allowed
3. front-end -> orders' pod (10.0.3.9) 80/TCP: dropped, and missing from the map
4. orders -> 1.1.1.1 443/TCP: dropped (egress)
5. 10.0.9.9 (no pod of the inputs) -> catalogue 8080/TCP: source not mapped

Documentation read:
- Hubble: https://docs.cilium.io/en/latest/gettingstarted/hubble_cli/ (hubble observe -o json;
  flow fields of the observer API: IP, l4, source, destination, verdict, is_reply, time)
- Calico flow log file: https://docs.tigera.io/calico-enterprise/3.21/observability/elastic/flow/datatypes
- Goldmane/Whisker flows: https://protodoc.io/projectcalico/calico/goldmane (Flow, FlowKey)
- Kernel LOG: iptables-extensions(8) LOG target; nftables wiki "Logging traffic"
- AWS VPC: https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
"""

from __future__ import annotations

import json

T0 = 1768039200  # 2026-01-10T10:00:00Z


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def _hubble(src: str, dst: str, sport: int, dport: int, second: int, reply: bool = False) -> str:
    time = f"2026-01-10T10:00:{second:02d}.123456789Z"
    flow = {
        "time": time,
        "verdict": "FORWARDED",
        "IP": {"source": src, "destination": dst, "ipVersion": "IPv4"},
        "l4": {"TCP": {"source_port": sport, "destination_port": dport, "flags": {"SYN": True}}},
        "source": {"namespace": "shop"},
        "destination": {},
        "Type": "L3_L4",
        "node_name": "node-1",
        "is_reply": reply,
        "traffic_direction": "EGRESS",
    }
    return _compact({"flow": flow, "node_name": "node-1", "time": time})


HUBBLE = "\n".join(
    [
        _hubble("10.0.1.5", "10.0.2.7", 41000, 8080, 1),
        _hubble("10.0.1.5", "10.0.2.7", 41002, 8080, 5),
        _hubble("10.0.2.7", "10.0.1.5", 8080, 41000, 1, reply=True),
        _hubble("10.0.1.5", "10.96.0.20", 41004, 80, 2),
        _hubble("10.0.1.5", "10.0.3.9", 41006, 80, 3),
        '{"flow":{"IP":{"source":"10.0.1.5"}',
        _hubble("10.0.3.9", "1.1.1.1", 50000, 443, 4),
        _hubble("10.0.9.9", "10.0.2.7", 52000, 8080, 6),
        '{"lost_events":{"source":"HUBBLE_RING_BUFFER","num_events_lost":3}}',
    ]
)


def _calico(src: str, dst: str, dport: int, action: str, flows: int, start: int) -> str:
    return _compact(
        {
            "start_time": T0 + start,
            "end_time": T0 + start + 10,
            "source_ip": src,
            "source_name": "-",
            "source_name_aggr": "pvt",
            "source_namespace": "-",
            "source_type": "net",
            "dest_ip": dst,
            "dest_name": "-",
            "dest_name_aggr": "pvt",
            "dest_namespace": "-",
            "dest_type": "net",
            "dest_port": dport,
            "proto": "tcp",
            "action": action,
            "reporter": "src",
            "num_flows": flows,
            "bytes_in": 100,
            "bytes_out": 200,
        }
    )


CALICO = "\n".join(
    [
        _calico("10.0.1.5", "10.0.2.7", 8080, "allow", 2, 1),
        _calico("10.0.1.5", "10.96.0.20", 80, "allow", 1, 2),
        _calico("10.0.1.5", "10.0.3.9", 80, "allow", 1, 3),
        '{"start_time":1768039200,"dest_port":"eighty","dest_ip":"10.0.2.7","proto":"tcp",'
        '"source_ip":"10.0.1.5"}',
        _calico("10.0.3.9", "1.1.1.1", 443, "allow", 1, 4),
        _calico("10.0.9.9", "10.0.2.7", 8080, "deny", 1, 6),
    ]
)

# Goldmane (under "key") and Whisker (flat) name pods by namespace and aggregated name.
GOLDMANE = "\n".join(
    [
        '{"key":{"source_name":"front-end-7d9c8b-*","source_namespace":"shop",'
        '"source_type":"WorkloadEndpoint","dest_name":"orders-6c7d8e-*",'
        '"dest_namespace":"shop","dest_type":"WorkloadEndpoint","dest_port":80,'
        '"proto":"tcp","reporter":"Src","action":"Allow"},'
        '"start_time":1768039203,"end_time":1768039215,"num_connections_started":4}',
        '{"start_time":"2026-01-10T10:00:01Z","end_time":"2026-01-10T10:00:30Z",'
        '"action":"Allow","source_name":"front-end-7d9c8b-*","source_namespace":"shop",'
        '"dest_name":"catalogue-5f6b7c-*","dest_namespace":"shop","protocol":"tcp",'
        '"dest_port":8080,"reporter":"Dst"}',
        '{"start_time":1768039206,"source_name":"pub","source_namespace":"-",'
        '"dest_name":"catalogue-*","dest_namespace":"shop","dest_port":8080,"proto":"tcp"}',
    ]
)


def _kernel(src: str, dst: str, spt: int, dpt: int, second: int) -> str:
    return (
        f"2026-01-10T10:00:{second:02d}.000000+00:00 node-1 kernel: [1234.5678] "
        f"calico-packet: IN=cali1a2b3c OUT=eth0 MAC=ee:ee:ee:ee:ee:ee:aa:bb:cc:dd:ee:ff:08:00 "
        f"SRC={src} DST={dst} LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID=4242 DF PROTO=TCP "
        f"SPT={spt} DPT={dpt} WINDOW=64240 RES=0x00 SYN URGP=0"
    )


KERNEL = "\n".join(
    [
        "2026-01-10T09:59:59.000000+00:00 node-1 kernel: eth0: link up",
        _kernel("10.0.1.5", "10.0.2.7", 41000, 8080, 1),
        _kernel("10.0.1.5", "10.96.0.20", 41004, 80, 2),
        _kernel("10.0.1.5", "10.0.3.9", 41006, 80, 3),
        "2026-01-10T10:00:03.500000+00:00 node-1 kernel: calico-packet: IN=cali1 SRC=10.0.1.5",
        _kernel("10.0.3.9", "1.1.1.1", 50000, 443, 4),
        _kernel("10.0.9.9", "10.0.2.7", 52000, 8080, 6),
        "2026-01-10T10:00:07.000000+00:00 node-1 kernel: calico-drop: IN=cali9 OUT= "
        "SRC=10.0.1.5 DST=10.0.2.7 LEN=84 PROTO=ICMP TYPE=8 CODE=0 ID=1 SEQ=1",
    ]
)


def _vpc(src: str, dst: str, sport: int, dport: int, action: str, start: int) -> str:
    return (
        f"2 123456789010 eni-0a1b2c3d4e5f60001 {src} {dst} {sport} {dport} 6 10 840 "
        f"{T0 + start} {T0 + start + 60} {action} OK"
    )


VPC = "\n".join(
    [
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets "
        "bytes start end action log-status",
        _vpc("10.0.1.5", "10.0.2.7", 41000, 8080, "ACCEPT", 1),
        _vpc("10.0.1.5", "10.96.0.20", 41004, 80, "ACCEPT", 2),
        _vpc("10.0.1.5", "10.0.3.9", 41006, 80, "ACCEPT", 3),
        "2 123456789010 eni-0a1b2c3d4e5f60001 10.0.1.5 10.0.3.9 41006",
        _vpc("10.0.3.9", "1.1.1.1", 50000, 443, "ACCEPT", 4),
        _vpc("10.0.9.9", "10.0.2.7", 52000, 8080, "REJECT", 6),
        f"2 123456789010 eni-0a1b2c3d4e5f60001 - - - - - - - {T0} {T0 + 60} - NODATA",
    ]
)
