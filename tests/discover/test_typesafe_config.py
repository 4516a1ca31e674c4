"""Lightbend (Typesafe) config reads: ``config.getInt("http.port")`` and
``config.getString("services.orders.host")`` read dotted keys of the module's
``application.conf`` (HOCON, ``${?ENV}`` overrides included). A unit nothing deploys listens
on the port its config key gives, so ``localhost:<port>`` in another unit's config reaches it."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

BUILD = (
    'lazy val root = (project in file(".")).aggregate(orders, web)\n'
    'lazy val orders = (project in file("orders"))\n'
    'lazy val web = (project in file("web"))\n'
)
ORDERS_MAIN = (
    "import com.typesafe.config.ConfigFactory\n"
    "object Orders extends App {\n"
    "  val config = ConfigFactory.load()\n"
    '  val port = config.getInt("http.port")\n'
    '  Http().bindAndHandle(routes, "0.0.0.0", port = port)\n'
    "}\n"
)
WEB_MAIN = (
    "import com.typesafe.config.ConfigFactory\n"
    "object Web extends App {\n"
    "  val config = ConfigFactory.load()\n"
    '  val host = config.getString("services.orders.host")\n'
    '  val port = config.getInt("services.orders.port")\n'
    "  Http().outgoingConnection(host, port)\n"
    "}\n"
)
WEB_CONF = (
    'services {\n  orders {\n    host = "localhost"\n    host = ${?ORDERS_HOST}\n'
    "    port = 8001\n  }\n}\n"
)


def _edges(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]))
    return {(e.source, e.target, e.port) for e in graph.edges if not e.hint}


def test_a_unit_listens_on_the_port_its_config_key_gives(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "build.sbt": BUILD,
            "orders/src/main/scala/Orders.scala": ORDERS_MAIN,
            "orders/src/main/resources/application.conf": (
                "http {\n  port = 8001\n  port = ${?HTTP_PORT}\n}\n"
            ),
            "web/src/main/scala/Web.scala": WEB_MAIN,
            "web/src/main/resources/application.conf": WEB_CONF,
        },
    )
    assert _edges(tmp_path) == {("code/web", "code/orders", 8001)}


def test_no_unit_listens_where_no_config_sets_the_key(tmp_path: Path) -> None:
    """The orders unit's config sets another key (``server.port``): where it listens is not
    known, so the web unit's ``localhost:8001`` reaches no unit (fail closed)."""
    _write(
        tmp_path,
        {
            "build.sbt": BUILD,
            "orders/src/main/scala/Orders.scala": ORDERS_MAIN,
            "orders/src/main/resources/application.conf": "server {\n  port = 8001\n}\n",
            "web/src/main/scala/Web.scala": WEB_MAIN,
            "web/src/main/resources/application.conf": WEB_CONF,
        },
    )
    assert _edges(tmp_path) == set()


def test_java_and_kotlin_read_config_keys_too(tmp_path: Path) -> None:
    """``config.getInt("http.port")`` in Java (a shaded jar's main) is where it listens;
    Kotlin's ``DriverManager.getConnection(config.getString("db.url"))`` is a call; an
    undotted ``getString("url")`` is a JSON object's field, not a config path: not read."""
    shade = (
        "<build><plugins><plugin><artifactId>maven-shade-plugin</artifactId><configuration>"
        "<transformers><transformer><mainClass>a.Api</mainClass></transformer></transformers>"
        "</configuration></plugin></plugins></build>"
    )
    _write(
        tmp_path,
        {
            "api/pom.xml": f"<project><artifactId>api</artifactId>{shade}</project>",
            "api/src/main/java/a/Api.java": (
                "package a;\nclass Api { public static void main(String[] a) {\n"
                "  Config config = ConfigFactory.load();\n"
                '  new ServerSocket(config.getInt("http.port"));\n} }\n'
            ),
            "api/src/main/resources/application.conf": "http.port = 8101\n",
            "kt/build.gradle.kts": "plugins {\n  application\n}\n",
            "kt/src/main/kotlin/App.kt": (
                "fun main() {\n  val config = ConfigFactory.load()\n"
                '  DriverManager.getConnection(config.getString("db.url"))\n'
                '  DriverManager.getConnection(config.getString("url"))\n}\n'
            ),
            "kt/src/main/resources/application.conf": (
                'db {\n  url = "jdbc:postgresql://localhost:8101/x"\n}\n'
            ),
            "caller/package.json": '{"name": "caller", "scripts": {"start": "node i.js"}}',
            "caller/i.js": "fetch('http://localhost:8101/a');\n",
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    edges = {(e.source, e.target, e.port): e for e in graph.edges if not e.hint}
    assert set(edges) == {("code/caller", "code/api", 8101), ("code/kt", "code/api", 8101)}
    read = [ev.location for ev in edges[("code/kt", "code/api", 8101)].evidence]
    assert [(Path(at.file).name, at.line) for at in read if at.file.endswith(".kt")] == [
        ("App.kt", 3)
    ]


CONFIG_TRAIT = (
    "trait Config {\n"
    "  protected val config = ConfigFactory.load()\n"
    '  protected val ordersHost = config.getString("services.orders.host")\n'
    '  protected val ordersPort = config.getInt("services.orders.port")\n'
    "}\n"
)


def test_a_scala_class_reads_the_members_of_the_trait_it_mixes_in(tmp_path: Path) -> None:
    """``class Gateway extends Config``: ``ordersHost`` is the trait's member, defined in
    ``Config.scala`` of the same folder. A class that does not mix the trait in does not
    see its members (``Loose``: its read stays unresolved)."""
    _write(
        tmp_path,
        {
            "build.sbt": BUILD,
            "orders/src/main/scala/Orders.scala": ORDERS_MAIN,
            "orders/src/main/resources/application.conf": "http.port = 8001\n",
            "web/src/main/scala/Main.scala": "object Main extends App\n",
            "web/src/main/scala/Config.scala": CONFIG_TRAIT,
            "web/src/main/scala/Gateway.scala": (
                "class Gateway extends Service with Config {\n"
                "  Http().outgoingConnection(ordersHost, ordersPort)\n}\n"
            ),
            "web/src/main/scala/Loose.scala": (
                "class Loose {\n  Http().outgoingConnection(ordersHost, 9999)\n}\n"
            ),
            "web/src/main/resources/application.conf": (
                "services {\n  orders {\n    host = localhost\n    port = 8001\n  }\n}\n"
            ),
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    edges = {(e.source, e.target, e.port): e for e in graph.edges if not e.hint}
    assert set(edges) == {("code/web", "code/orders", 8001)}
    files = {
        Path(ev.location.file).name for ev in edges[("code/web", "code/orders", 8001)].evidence
    }
    assert files == {"Gateway.scala", "application.conf"}
    loose = [u for u in graph.unresolved if u.location.file.endswith("Loose.scala")]
    assert [u.expression for u in loose] == ["ordersHost"]


def test_plays_configuration_option_unwrapped_with_get(tmp_path: Path) -> None:
    """Play's ``configuration.getString("x")`` is an ``Option``: ``.get`` is its value. Any
    other field of the read (``.size``) is not the address."""
    _write(
        tmp_path,
        {
            "build.sbt": BUILD
            + 'lazy val play = (project in file("play")).enablePlugins(PlayScala)\n',
            "orders/src/main/scala/Orders.scala": ORDERS_MAIN,
            "orders/src/main/resources/application.conf": "http.port = 8001\n",
            "play/app/controllers/Home.scala": (
                "class Home {\n"
                '  val host = current.configuration.getString("services.orders.host").get\n'
                '  val port = current.configuration.getInt("services.orders.port").get\n'
                "  Http().outgoingConnection(host, port)\n"
                '  val other = current.configuration.getString("services.orders.host").size\n'
                "  Http().outgoingConnection(other, 9999)\n"
                "}\n"
            ),
            "play/conf/application.conf": (
                "services.orders.host = localhost\nservices.orders.port = 8001\n"
            ),
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    edges = {(e.source, e.target, e.port): e for e in graph.edges if not e.hint}
    assert set(edges) == {("code/play", "code/orders", 8001)}
    lines = sorted(
        ev.location.line
        for ev in edges[("code/play", "code/orders", 8001)].evidence
        if ev.location.file.endswith("Home.scala")
    )
    assert lines == [4]
