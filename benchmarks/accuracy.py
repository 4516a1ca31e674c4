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


@dataclass(frozen=True, slots=True)
class Score:
    app: str
    found: set[tuple[str, str, int]]
    truth: set[tuple[str, str, int]]

    @property
    def recall(self) -> float:
        return len(self.found & self.truth) / len(self.truth)

    @property
    def precision(self) -> float:
        return len(self.found & self.truth) / len(self.found) if self.found else 1.0


def _edges(paths: list[Path], *, code: bool, manifests: bool) -> set[tuple[str, str, int]]:
    graph = discover(load_paths([str(p) for p in paths]), code=code, manifests=manifests)
    out = set()
    for edge in graph.edges:
        source, target = edge.source.split("/", 1)[1], edge.target.split("/", 1)[-1]
        out.add((source, target, edge.port or 0))
    return out


def measure(apps: Path, *, code: bool = True, manifests: bool = True) -> list[Score]:
    scores = []
    shop = apps / "sockshop"
    corpus = REPO.parent / "shared" / "corpus" / "sock-shop" / "manifests"
    if shop.is_dir() and corpus.is_dir():
        paths = [corpus, *sorted(p for p in shop.iterdir() if p.is_dir())]
        scores.append(
            Score("sock shop", _edges(paths, code=code, manifests=manifests), SOCK_SHOP_TRUTH)
        )
    boutique = apps / "GoogleCloudPlatform+microservices-demo"
    if boutique.is_dir():
        paths = [boutique / "kubernetes-manifests", boutique / "src"]
        scores.append(
            Score("Online Boutique", _edges(paths, code=code, manifests=manifests), BOUTIQUE_TRUTH)
        )
    return scores


def main(argv: list[str]) -> int:
    apps = Path(argv[0] if argv else "/work/realapps")
    for label, code, manifests in (
        ("code + manifests", True, True),
        ("code only", True, False),
        ("manifests only", False, True),
    ):
        print(f"== {label}")
        for score in measure(apps, code=code, manifests=manifests):
            print(
                f"{score.app}: recall {score.recall:.0%} ({len(score.found & score.truth)}/"
                f"{len(score.truth)}), precision {score.precision:.0%} "
                f"({len(score.found & score.truth)}/{len(score.found)})"
            )
            for miss in sorted(score.truth - score.found):
                print(f"   missed {miss}")
            for extra in sorted(score.found - score.truth):
                print(f"   false  {extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
