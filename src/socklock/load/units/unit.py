"""The finder's shared helpers: making a unit, and whether a module holds a runnable main."""

from __future__ import annotations

from pathlib import Path

from socklock.load.units import spring
from socklock.load.units.charts import chart_workload_name
from socklock.load.units.docker import exposed_ports
from socklock.load.units.names import image_name, normal
from socklock.load.units.tree import Tree, read
from socklock.model import BuildUnit, Location

_JVM_SOURCES = ("src/main/java", "src/main/kotlin", "src/main/scala")
_FRAMEWORK_MAINS = ("@SpringBootApplication", "@QuarkusMain", "Micronaut.run(")
_MAIN_MARKERS = (*_FRAMEWORK_MAINS, "static void main(", "fun main(", "def main(")


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


def has_jvm_main(directory: Path, limit: int = 400, *, framework_only: bool = False) -> bool:
    """A class with a ``main`` (only a framework's application class, ``framework_only``)
    under the module's sources."""
    markers = _FRAMEWORK_MAINS if framework_only else _MAIN_MARKERS
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
            if any(marker in text for marker in markers):
                return True
    return False
