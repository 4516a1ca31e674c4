"""Accuracy of ``socklock map`` on real applications, against a ground truth we wrote.

The applications are not in this repository (their code is never committed): fetch them
and point this script at the directory that holds them::

    python -m benchmarks.accuracy /work/realapps

expects ``sockshop/<service>/`` (the microservices-demo organisation's service repos,
each cloned under its image name) with the manifests from ``../shared/corpus/sock-shop``,
and ``GoogleCloudPlatform+microservices-demo/`` (Online Boutique). The ground truth below
was written by reading each service's code, not by running socklock: (caller, callee,
destination container port).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from socklock.discover import discover
from socklock.load import load_paths

REPO = Path(__file__).resolve().parents[1]

SOCK_SHOP_TRUTH = {
    # front-end: api/endpoints.js builds http://<service><domain> URLs; config.js RedisStore.
    ("front-end", "catalogue", 80),
    ("front-end", "carts", 80),
    ("front-end", "orders", 80),
    ("front-end", "user", 80),
    ("front-end", "session-db", 6379),
    # orders: OrdersConfigurationProperties (payment, shipping), application.properties (db);
    # carts and user are called through HATEOAS links that arrive in the request body.
    ("orders", "payment", 80),
    ("orders", "shipping", 80),
    ("orders", "orders-db", 27017),
    ("orders", "carts", 80),
    ("orders", "user", 80),
    # carts, shipping, queue-master: Spring application.properties.
    ("carts", "carts-db", 27017),
    ("shipping", "rabbitmq", 5672),
    ("queue-master", "rabbitmq", 5672),
    # catalogue: the -DSN flag's default names catalogue-db (Go MySQL DSN tcp(host:port)).
    ("catalogue", "catalogue-db", 3306),
    # user: MONGO_HOST set by the manifest, read by db/mongodb.
    ("user", "user-db", 27017),
}

BOUTIQUE_TRUTH = {
    ("frontend", "productcatalogservice", 3550),
    ("frontend", "currencyservice", 7000),
    ("frontend", "cartservice", 7070),
    ("frontend", "recommendationservice", 8080),
    ("frontend", "shippingservice", 50051),
    ("frontend", "checkoutservice", 5050),
    ("frontend", "adservice", 9555),
    ("checkoutservice", "productcatalogservice", 3550),
    ("checkoutservice", "shippingservice", 50051),
    ("checkoutservice", "paymentservice", 50051),
    ("checkoutservice", "emailservice", 8080),
    ("checkoutservice", "currencyservice", 7000),
    ("checkoutservice", "cartservice", 7070),
    ("recommendationservice", "productcatalogservice", 3550),
    ("cartservice", "redis-cart", 6379),
    ("loadgenerator", "frontend", 8080),
}


# Why an edge of the ground truth cannot be found, by (app, mode, edge); modes are
# "code + manifests", "code only", "manifests only". A miss without a reason here is a bug.
KNOWN_MISSES = {
    ("sock shop", "*", ("orders", "carts", 80)): (
        "HATEOAS: orders GETs the cart through a link that arrives in the order request's "
        "body (NewOrderResource.items, read by AsyncGetService.getDataList); no address "
        "is written anywhere"
    ),
    ("sock shop", "*", ("orders", "user", 80)): (
        "HATEOAS: the customer, address and card links arrive in the request body"
    ),
    ("sock shop", "manifests only", "*"): (
        "the sock shop's manifests carry no addresses: every service finds its callees by "
        "hard-coded names or Spring properties in its own code"
    ),
}

Edge = tuple[str, str, int]


@dataclass(frozen=True, slots=True)
class Score:
    app: str
    namespace: str  # the deployment the ground truth describes
    found: dict[Edge, str]  # edge → the graph id of its target (to tell deployments apart)
    truth: set[Edge]

    @property
    def hits(self) -> set[Edge]:
        return set(self.found) & self.truth

    @property
    def recall(self) -> float:
        return len(self.hits) / len(self.truth)

    @property
    def precision(self) -> float:
        return len(self.hits) / len(self.found) if self.found else 1.0

    def why_false(self, edge: Edge) -> str:
        target = self.found[edge]
        if "/" in target and not target.startswith(("external:", f"{self.namespace}/")):
            project = target.split("/", 1)[0]
            return (
                f"from a dev compose file in a service repo (project {project!r}); the "
                "compose service is merged with the Kubernetes workload of the same name"
            )
        return "not in the ground truth"


def why_missed(app: str, mode: str, edge: Edge) -> str:
    for key in ((app, mode, edge), (app, "*", edge), (app, mode, "*")):
        if key in KNOWN_MISSES:
            return KNOWN_MISSES[key]
    return "UNEXPLAINED"


def _edges(paths: list[Path], *, code: bool, manifests: bool) -> dict[Edge, str]:
    graph = discover(load_paths([str(p) for p in paths]), code=code, manifests=manifests)
    compose_only = {n.id for n in graph.nodes if n.workload_kind == "compose-service"}
    out: dict[Edge, str] = {}
    for edge in graph.edges:
        if edge.source in compose_only:
            continue  # a call inside a compose deployment (a repo's dev stack), not this app's
        source, target = edge.source.split("/", 1)[1], edge.target.split("/", 1)[-1]
        out[(source, target, edge.port or 0)] = edge.target
    return out


def measure(apps: Path, *, code: bool = True, manifests: bool = True) -> list[Score]:
    scores = []
    shop = apps / "sockshop"
    corpus = REPO.parent / "shared" / "corpus" / "sock-shop" / "manifests"
    if shop.is_dir() and corpus.is_dir():
        paths = [corpus, *sorted(p for p in shop.iterdir() if p.is_dir())]
        found = _edges(paths, code=code, manifests=manifests)
        scores.append(Score("sock shop", "sock-shop", found, SOCK_SHOP_TRUTH))
    boutique = apps / "GoogleCloudPlatform+microservices-demo"
    if boutique.is_dir():
        paths = [boutique / "kubernetes-manifests", boutique / "src"]
        found = _edges(paths, code=code, manifests=manifests)
        scores.append(Score("Online Boutique", "default", found, BOUTIQUE_TRUTH))
    return scores


MODES = (
    ("code + manifests", True, True),
    ("code only", True, False),
    ("manifests only", False, True),
)


def main(argv: list[str]) -> int:
    apps = Path(argv[0] if argv else "/work/realapps")
    for label, code, manifests in MODES:
        print(f"== {label}")
        for score in measure(apps, code=code, manifests=manifests):
            hits = len(score.hits)
            print(
                f"{score.app}: recall {score.recall:.0%} ({hits}/{len(score.truth)}), "
                f"precision {score.precision:.0%} ({hits}/{len(score.found)})"
            )
            for miss in sorted(score.truth - set(score.found)):
                print(f"   missed {miss}: {why_missed(score.app, label, miss)}")
            for extra in sorted(set(score.found) - score.truth):
                print(f"   false  {extra}: {score.why_false(extra)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
