"""Well-known servers a repository without deployment files expects beside its code.

With no compose file or manifest, the build units are the workloads and run on one host;
``localhost:8500`` that no unit listens on is the Consul agent the README starts with
``docker run -p 8500:8500 consul``, ``mongodb://localhost:27017`` the MongoDB beside it. The
server is a workload of the input (``code/consul``), named after the server, when the port
is one only that server is known by; any other port stays unresolved.
"""

from __future__ import annotations

from socklock.discover.identity import CODE_NAMESPACE
from socklock.model import GraphNode, NodeKind, PortSpec

# port → the server known by it (its protocol's registered or de-facto port)
HOST_SERVERS: dict[int, str] = {
    8500: "consul",
    27017: "mongodb",
    5432: "postgres",
    3306: "mysql",
    1433: "mssql",
    6379: "redis",
    5672: "rabbitmq",
    9092: "kafka",
    29092: "kafka",  # the host listener of Confluent's and Bitnami's compose examples
    2181: "zookeeper",
    2379: "etcd",
    9200: "elasticsearch",
    9042: "cassandra",
    4222: "nats",
    11211: "memcached",
    5701: "hazelcast",
    9411: "zipkin",
    6831: "jaeger",  # the Jaeger agent's compact Thrift port (UDP), its clients' default
    14268: "jaeger",  # the Jaeger collector's HTTP port (/api/traces)
    8848: "nacos",  # the Nacos server's HTTP API, Nacos clients' server-addr
    12201: "graylog",  # Graylog's GELF input, where GELF log appenders send by default
}
_UDP = frozenset({6831})


def host_server(port: int | None) -> GraphNode | None:
    """The node of the server known by ``port``, None for any other port."""
    name = HOST_SERVERS.get(port) if port is not None else None
    if name is None or port is None:
        return None
    return GraphNode(
        id=f"{CODE_NAMESPACE}/{name}",
        kind=NodeKind.WORKLOAD,
        workload_kind="host-server",
        labels={},
        ports=(PortSpec(port, "UDP" if port in _UDP else "TCP"),),
        location=None,
    )
