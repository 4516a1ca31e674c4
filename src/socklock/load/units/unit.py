"""The finder's shared helpers: making a unit, and whether a module holds a runnable main."""

from __future__ import annotations

import re
from pathlib import Path

from socklock.load.units import spring
from socklock.load.units.charts import chart_workload_name
from socklock.load.units.docker import exposed_ports
from socklock.load.units.names import image_name, normal
from socklock.load.units.tree import Tree, read
from socklock.model import BuildUnit, Location

_JVM_SOURCES = ("src/main/java", "src/main/kotlin", "src/main/scala")
_FRAMEWORK_MAINS = ("@SpringBootApplication", "@QuarkusMain", "Micronaut.run(", "runApplication<")
_MAIN = re.compile(
    r"static\s+void\s+main\s*\(|\bfun\s+main\s*\(|\bdef\s+main\s*\(|\bextends\s+App\b"
)
# A main that starts a server or a runtime itself (Vert.x, Ktor, Javalin, Akka HTTP, Undertow,
# Helidon, gRPC, the JDK's HttpServer) is an application's, not a tool's: a Vert.x or Akka
# service needs no plugin of its build to run (``java -jar``, ``sbt run``).
_SERVER_STARTS = re.compile(
    r"\bVertx\s*\.\s*(?:vertx|clusteredVertx|builder)\s*\(|\bembeddedServer\s*\("
    r"|\bJavalin\s*\.\s*create\s*\(|\bUndertow\s*\.\s*builder\s*\(|\bdeployVerticle\s*\("
    r"|\bHttp\s*\(\s*\)\s*\.\s*(?:bindAndHandle|newServerAt|bind)\s*\("
    r"|\bWebServer\s*\.\s*builder\s*\(|\bServerBuilder\s*\.\s*forPort\s*\("
    r"|\bHttpServer\s*\.\s*create\s*\("
)
# Folders of a repository whose programs demonstrate or measure the code, not run it.
INCIDENTAL_DIRS = frozenset(
    {"example", "examples", "doc", "docs", "benchmark", "benchmarks", "bench", "jmh"}
)


def make_unit(
    kind: str,
    directory: Path,
    fallback_name: str,
    build_file: Path,
    tree: Tree,
    *,
    names: tuple[str, ...] = (),
    ports: tuple[int, ...] = (),
    image: str | None = None,
    sources: tuple[Path, ...] = (),
    dependencies: tuple[str, ...] = (),
    dockerfiles: tuple[Path, ...] = (),
) -> BuildUnit:
    """A unit named by its Spring config when it has one, else ``fallback_name``."""
    spring_name, spring_ports = spring.identity(spring.config_files(directory))
    folder = directory.stem if directory.is_file() else directory.name  # a script is a unit too
    deployed = chart_workload_name(tree, directory) if directory.is_dir() else None
    name = normal(spring_name or deployed or fallback_name) or normal(folder) or "app"
    every = [spring_name or "", deployed or "", fallback_name, folder, *names]
    every.append(image_name(image) or "")
    all_ports: list[int] = []
    exposed = [p for d in (directory, *sources) for p in exposed_ports(tree, d)]
    for port in [*spring_ports, *ports, *exposed]:
        if port not in all_ports:
            all_ports.append(port)
    return BuildUnit(
        name=name,
        kind=kind,
        sources=tuple(str(d) for d in (directory, *sources)),
        names=tuple(sorted({normal(n) for n in every if normal(n)})),
        ports=tuple(all_ports),
        location=Location(str(build_file), 1, 1),
        image=image,
        dependencies=dependencies,
        dockerfiles=tuple(str(d) for d in dockerfiles),
    )


def has_jvm_main(
    directory: Path, limit: int = 400, *, framework_only: bool = False, tree: Tree | None = None
) -> bool:
    """A class with a ``main`` under the module's sources; with ``framework_only``, only a
    framework's application class or a main that starts a server itself (not in an example's,
    the docs' or a benchmark's folder of the ``tree``: :data:`INCIDENTAL_DIRS`)."""
    servers = tree is None or not incidental(tree, directory)
    seen = 0
    for sources in _JVM_SOURCES:
        root = directory / sources
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix not in (".java", ".kt", ".scala") or not path.is_file():
                continue
            seen += 1
            if seen > limit:
                return False
            text = read(path) or ""
            if any(marker in text for marker in _FRAMEWORK_MAINS):
                return True
            if _MAIN.search(text) and (
                not framework_only or (servers and _SERVER_STARTS.search(text))
            ):
                return True
    return False


def incidental(tree: Tree, directory: Path) -> bool:
    """Whether the module lies in an example's, the docs' or a benchmark's folder of the
    tree (the folders above the tree's root do not count: an example given as the input is
    the user's application)."""
    for root in tree.roots:
        if directory.is_relative_to(root):
            parts = directory.relative_to(root).parts
            return any(part.lower() in INCIDENTAL_DIRS for part in parts)
    return False
