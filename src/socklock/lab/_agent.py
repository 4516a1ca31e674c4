"""The lab's agent: run inside one network namespace (``ip netns exec NS python -I -S ...``).

Standard library only, and no ``socklock`` import, so it starts in a few milliseconds.

``listen``: reads ``{"token": str, "sockets": [[address, port, protocol], ...]}`` on stdin,
binds every socket (each to its own address, so a UDP reply leaves from the address that was
asked), prints ``ready`` and serves until killed: a TCP connection gets the token and is
closed; a UDP datagram is answered with the token.

``probe``: reads ``{"timeout": s, "attempts": [[id, address, port, protocol, source], ...]}``
(``source`` an address to bind, or null; an optional sixth field ``true`` asks only for the
connection: a real program serves that port and speaks first only when asked) and prints one
JSON object ``{id: outcome}``: ``ok:<token>`` when the server answered (``ok:connected`` for a
connection asked for alone), ``refused``, ``timeout``, or ``error:<errno name>``. With
``"retry_for": s`` an attempt that fails is made again until it succeeds or ``s`` seconds
have passed (waiting for a program to open its port).

``nflog``: reads ``{"group": n, "namespaces": [[path, name], ...], "out": file}``, subscribes
to the nftables log group ``n`` in each network namespace (a netlink socket opened inside it
with ``setns``), prints ``ready``, and appends one JSON line per logged packet to ``out``
until SIGTERM (then reads what is pending and exits): ``{"socklock_lab": 1, "time", "netns",
"prefix", "src", "dst", "protocol", "sport", "dport"}``.
"""

from __future__ import annotations

import errno
import json
import os
import selectors
import socket
import struct
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

WORKERS = 64


def _family(address: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in address else socket.AF_INET


def listen(spec: dict[str, Any]) -> None:
    token = str(spec["token"]).encode()
    chosen = selectors.DefaultSelector()
    for address, port, protocol in spec["sockets"]:
        kind = socket.SOCK_STREAM if protocol == "TCP" else socket.SOCK_DGRAM
        sock = socket.socket(_family(address), kind)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, int(port)))
        if kind == socket.SOCK_STREAM:
            sock.listen(128)
        sock.setblocking(False)
        chosen.register(sock, selectors.EVENT_READ, protocol)
    print("ready", flush=True)
    sys.stdout.close()
    while True:
        for key, _ in chosen.select():
            server = key.fileobj
            assert isinstance(server, socket.socket)
            try:
                if key.data == "TCP":
                    conn, _peer = server.accept()
                    with conn:
                        conn.settimeout(1.0)
                        conn.sendall(token + b"\n")
                else:
                    _data, peer = server.recvfrom(2048)
                    server.sendto(token, peer)
            except OSError:
                continue


def _outcome(exc: OSError) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timeout"
    if isinstance(exc, ConnectionRefusedError):
        return "refused"
    return f"error:{errno.errorcode.get(exc.errno or 0, str(exc))}"


def _attempt(
    address: str,
    port: int,
    protocol: str,
    source: str | None,
    timeout: float,
    connect_only: bool = False,
) -> str:
    family = _family(address)
    kind = socket.SOCK_STREAM if protocol == "TCP" else socket.SOCK_DGRAM
    deadline = time.monotonic() + timeout
    with socket.socket(family, kind) as sock:
        try:
            if source is not None:
                sock.bind((source, 0))
            sock.settimeout(timeout)
            sock.connect((address, port))
            if kind == socket.SOCK_STREAM and connect_only:
                return "ok:connected"
            if kind == socket.SOCK_STREAM:
                data = sock.recv(256)
                return f"ok:{data.decode(errors='replace').strip()}" if data else "closed"
            # UDP: resend while waiting, so one lost datagram is not a denial.
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return "timeout"
                sock.send(b"socklock-probe")
                sock.settimeout(min(left, timeout / 3))
                try:
                    data = sock.recv(256)
                except TimeoutError:
                    continue
                return f"ok:{data.decode(errors='replace').strip()}"
        except OSError as exc:
            return _outcome(exc)


def _until(deadline: float, *args: Any) -> str:
    """Attempt until the answer is ``ok:...`` or ``deadline`` (monotonic) has passed."""
    while True:
        outcome = _attempt(*args)
        if outcome.startswith("ok:") or time.monotonic() >= deadline:
            return outcome
        time.sleep(0.05)


def probe(spec: dict[str, Any]) -> None:
    timeout = float(spec["timeout"])
    attempts = spec["attempts"]
    deadline = time.monotonic() + float(spec.get("retry_for", 0))
    with ThreadPoolExecutor(max_workers=min(WORKERS, max(1, len(attempts)))) as pool:
        futures = {
            str(ident): pool.submit(
                _until,
                deadline,
                address,
                int(port),
                protocol,
                source,
                timeout,
                bool(rest and rest[0]),
            )
            for ident, address, port, protocol, source, *rest in attempts
        }
        results = {ident: future.result() for ident, future in futures.items()}
    json.dump(results, sys.stdout)
    sys.stdout.flush()


# -- nflog: the packets nftables `log group N` statements report ----------------------------

CLONE_NEWNET = 0x40000000
NETLINK_NETFILTER = 12
NFNL_SUBSYS_ULOG = 4
NFULNL_MSG_PACKET = 0
NFULNL_MSG_CONFIG = 1
NFULA_CFG_CMD = 1
NFULA_CFG_MODE = 2
NFULA_CFG_QTHRESH = 5
NFULNL_CFG_CMD_BIND = 1
NFULNL_COPY_PACKET = 2
NFULA_TIMESTAMP = 3
NFULA_PAYLOAD = 9
NFULA_PREFIX = 10
NLMSG_ERROR = 2
COPY_RANGE = 96  # bytes of each packet: the IP and transport headers
_L4 = {6: "TCP", 17: "UDP", 132: "SCTP", 1: "ICMP", 58: "ICMPV6"}


def _attribute(kind: int, payload: bytes) -> bytes:
    size = 4 + len(payload)
    return struct.pack("=HH", size, kind) + payload + b"\0" * (-size % 4)


def _config(sock: socket.socket, group: int, attributes: bytes) -> None:
    body = struct.pack("=BBH", socket.AF_UNSPEC, 0, socket.htons(group)) + attributes
    kind = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG
    sock.send(struct.pack("=IHHII", 16 + len(body), kind, 1 | 4, 0, 0) + body)  # REQUEST|ACK
    reply = sock.recv(65536)
    if len(reply) >= 20 and struct.unpack_from("=H", reply, 4)[0] == NLMSG_ERROR:
        code = struct.unpack_from("=i", reply, 16)[0]
        if code:
            raise OSError(-code, os.strerror(-code))


def _subscribe(group: int) -> socket.socket:
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.bind((0, 0))
    _config(sock, group, _attribute(NFULA_CFG_CMD, bytes([NFULNL_CFG_CMD_BIND])))
    mode = struct.pack(">IBB", COPY_RANGE, NFULNL_COPY_PACKET, 0)
    _config(sock, group, _attribute(NFULA_CFG_MODE, mode))
    _config(sock, group, _attribute(NFULA_CFG_QTHRESH, struct.pack(">I", 1)))
    return sock


def _in_namespace(path: str, group: int) -> socket.socket:
    """A log subscription opened inside the network namespace at ``path``."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    target = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(target, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns {path}")
        try:
            return _subscribe(group)
        finally:
            if libc.setns(home, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back")
    finally:
        os.close(target)
        os.close(home)


def _attributes(data: bytes) -> dict[int, bytes]:
    out: dict[int, bytes] = {}
    at = 0
    while at + 4 <= len(data):
        size, kind = struct.unpack_from("=HH", data, at)
        if size < 4:
            break
        out[kind & 0x7FFF] = data[at + 4 : at + size]
        at += (size + 3) & ~3
    return out


def packet_record(netns: str, attributes: dict[int, bytes]) -> dict[str, Any] | None:
    """One logged packet as a JSON-able record (None: not an IP packet)."""
    import datetime
    import ipaddress

    payload = attributes.get(NFULA_PAYLOAD, b"")
    if not payload:
        return None
    version = payload[0] >> 4
    if version == 4 and len(payload) >= 20:
        header = (payload[0] & 0xF) * 4
        number, src, dst = payload[9], payload[12:16], payload[16:20]
    elif version == 6 and len(payload) >= 40:
        header, number, src, dst = 40, payload[6], payload[8:24], payload[24:40]
    else:
        return None
    sport = dport = None
    if number in (6, 17, 132) and len(payload) >= header + 4:
        sport, dport = struct.unpack_from(">HH", payload, header)
    stamp = attributes.get(NFULA_TIMESTAMP)
    if stamp is not None and len(stamp) == 16:
        seconds, micros = struct.unpack(">QQ", stamp)
        when = seconds + micros / 1e6
    else:
        when = time.time()
    moment = datetime.datetime.fromtimestamp(when, datetime.UTC)
    return {
        "socklock_lab": 1,
        "time": moment.isoformat(timespec="microseconds").replace("+00:00", "Z"),
        "netns": netns,
        "prefix": attributes.get(NFULA_PREFIX, b"").rstrip(b"\0").decode(errors="replace"),
        "src": str(ipaddress.ip_address(src)),
        "dst": str(ipaddress.ip_address(dst)),
        "protocol": _L4.get(number, str(number)),
        "sport": sport,
        "dport": dport,
    }


def _messages(data: bytes) -> list[tuple[int, bytes]]:
    out = []
    at = 0
    while at + 16 <= len(data):
        size, kind = struct.unpack_from("=IH", data, at)
        if size < 16:
            break
        out.append((kind, data[at + 16 : at + size]))
        at += (size + 3) & ~3
    return out


def _drain(sock: socket.socket, netns: str, out: Any) -> None:
    while True:
        try:
            data = sock.recv(65536, socket.MSG_DONTWAIT)
        except BlockingIOError:
            return
        except OSError:  # ENOBUFS: the kernel dropped some; keep reading
            continue
        for kind, body in _messages(data):
            if kind != (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET or len(body) < 4:
                continue
            record = packet_record(netns, _attributes(body[4:]))
            if record is not None:
                out.write(json.dumps(record) + "\n")
        out.flush()


def nflog(spec: dict[str, Any]) -> None:
    import signal

    group = int(spec["group"])
    sockets = [(_in_namespace(path, group), name) for path, name in spec["namespaces"]]
    stopping: list[bool] = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    chosen = selectors.DefaultSelector()
    for sock, name in sockets:
        chosen.register(sock, selectors.EVENT_READ, name)
    with open(spec["out"], "a", encoding="utf-8") as out:  # noqa: PTH123
        print("ready", flush=True)
        sys.stdout.close()
        while not stopping:
            for key, _ in chosen.select(0.2):
                assert isinstance(key.fileobj, socket.socket)
                _drain(key.fileobj, str(key.data), out)
        for sock, name in sockets:
            _drain(sock, name, out)


def main() -> int:
    spec = json.load(sys.stdin)
    if sys.argv[1:] == ["listen"]:
        listen(spec)
    elif sys.argv[1:] == ["probe"]:
        probe(spec)
    elif sys.argv[1:] == ["nflog"]:
        nflog(spec)
    else:
        print("usage: _agent.py listen|probe|nflog < spec.json", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
