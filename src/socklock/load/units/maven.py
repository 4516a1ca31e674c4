"""Maven modules that build a service: the Spring Boot, Jib, Quarkus, Micronaut or Vert.x
plugin (their own, in a profile too), an executable jar the build names a main for (the
shade, assembly or jar plugin's ``Main-Class``/``Main-Verticle``, ``exec:java``'s
``mainClass``, a ``main.verticle`` property), a Dockerfile beside the pom, or a main class:
any ``main`` when a parent applies such a plugin, else a framework's application class
(``@SpringBootApplication``) or a main that starts a server itself (``Vertx.vertx()``).

A ``pom`` packaging module aggregates others and is no service. Identity:
``spring.application.name``, else the ``artifactId``.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from socklock.load.units.docker import dockerfiles, has_dockerfile
from socklock.load.units.tree import Tree, read
from socklock.load.units.unit import has_jvm_main, make_unit
from socklock.model import BuildUnit, Diagnostic, DiagnosticLevel, Location

_SERVICE_PLUGINS = (
    "spring-boot-maven-plugin",
    "jib-maven-plugin",
    "quarkus-maven-plugin",
    "micronaut-maven-plugin",
    "vertx-maven-plugin",
)
# Plugins that make a runnable jar (or run one) when their configuration names its main.
_MAIN_PLUGINS = frozenset(
    {
        "maven-shade-plugin",
        "maven-assembly-plugin",
        "maven-jar-plugin",
        "exec-maven-plugin",
        "appassembler-maven-plugin",
        "onejar-maven-plugin",
    }
)
# The elements and properties that name the main of a runnable jar.
_MAIN_TAGS = frozenset({"mainclass", "main-class", "main-verticle", "mainverticle"})
_MAIN_PROPERTIES = frozenset(
    {"main.class", "mainclass", "main.verticle", "vertx.verticle", "exec.mainclass", "start-class"}
)


def find(tree: Tree, diagnostics: list[Diagnostic]) -> list[BuildUnit]:
    poms: dict[Path, ElementTree.Element] = {}
    for directory, files in tree.files.items():
        if "pom.xml" in files:
            root = _parse(directory / "pom.xml", diagnostics)
            if root is not None:
                poms[directory] = root
    by_artifact = _by_artifact(poms)
    parents_of = {d: _parents(d, poms, by_artifact) for d in poms}
    direct = {d: _dependencies(pom, parents_of[d]) for d, pom in poms.items()}
    modules = {_text(pom, "artifactId"): d for d, pom in poms.items()}
    units: list[BuildUnit] = []
    for directory, pom in poms.items():
        if _text(pom, "packaging") == "pom":
            continue
        own = _plugins(pom, ".//plugins/plugin")
        above = [
            parent
            for parent_dir, parent in poms.items()
            if parent_dir != directory and directory.is_relative_to(parent_dir)
        ]
        inherited = any(
            _plugins(parent, ".//plugins/plugin") & set(_SERVICE_PLUGINS)
            or _names_main(parent, [], own_properties=False)
            for parent in above
        )
        parents = parents_of[directory]
        runnable = (
            bool(own & set(_SERVICE_PLUGINS))
            or _names_main(pom, parents)
            or has_dockerfile(tree, directory)
        )
        if not runnable and not has_jvm_main(directory, framework_only=not inherited, tree=tree):
            continue
        artifact = _text(pom, "artifactId") or directory.name
        units.append(
            make_unit(
                "maven",
                directory,
                artifact,
                directory / "pom.xml",
                tree,
                image=_jib(pom),
                dependencies=_with_modules(directory, direct, modules),
                dockerfiles=_dockerfile_dirs(pom, parents, directory, tree),
            )
        )
    return units


def _names_main(
    pom: ElementTree.Element, parents: list[ElementTree.Element], *, own_properties: bool = True
) -> bool:
    """Whether the module's build packages or runs a main it names: a jar plugin of its own
    whose configuration (or a parent's ``pluginManagement`` of that plugin, which it
    inherits) holds a ``mainClass``/``Main-Class``/``Main-Verticle``, or a property of its
    own naming a main (``<main.verticle>``, read by such a plugin or by ``vertx:run``). An
    ``exec-maven-plugin`` execution bound to a phase runs a tool during the build: not it.
    A parent's such plugin (not its properties) packages each module below it."""
    properties = pom.find("properties") if own_properties else None
    for prop in properties if properties is not None else ():
        if str(prop.tag).lower() in _MAIN_PROPERTIES and (prop.text or "").strip():
            return True
    managed = {
        _text(plugin, "artifactId"): plugin
        for parent in reversed(parents)
        for plugin in parent.findall("build/pluginManagement/plugins/plugin")
    }
    for plugin in pom.findall("build/plugins/plugin"):
        artifact = _text(plugin, "artifactId") or ""
        if artifact not in _MAIN_PLUGINS:
            continue
        if any(_configures_main(p, artifact) for p in (plugin, managed.get(artifact)) if p):
            return True
    return False


def _configures_main(plugin: ElementTree.Element, artifact: str) -> bool:
    configurations = [plugin.find("configuration")]
    for execution in plugin.findall("executions/execution"):
        if artifact != "exec-maven-plugin" or execution.find("phase") is None:
            configurations.append(execution.find("configuration"))
    return any(
        str(element.tag).lower() in _MAIN_TAGS and (element.text or "").strip()
        for configuration in configurations
        if configuration is not None
        for element in configuration.iter()
    )


def _parents(
    directory: Path, poms: dict[Path, ElementTree.Element], by_artifact: dict[str, list[Path]]
) -> list[ElementTree.Element]:
    """The poms a module inherits from, nearest first (a module's own value wins): its
    declared ``<parent>`` chain (a chassis pom beside it, ``<relativePath>../../base/pom.xml``),
    then the poms of the directories above."""
    chain = _declared_parents(directory, poms, by_artifact)
    above = [
        d
        for d in sorted(poms, key=lambda d: -len(d.parts))
        if d != directory and directory.is_relative_to(d) and d not in chain
    ]
    return [poms[d] for d in (*chain, *above)]


def _by_artifact(poms: dict[Path, ElementTree.Element]) -> dict[str, list[Path]]:
    """The directories of the input's poms by artifactId."""
    found: dict[str, list[Path]] = {}
    for d, pom in poms.items():
        found.setdefault(_text(pom, "artifactId") or "", []).append(d)
    return found


def _declared_parents(
    directory: Path, poms: dict[Path, ElementTree.Element], by_artifact: dict[str, list[Path]]
) -> list[Path]:
    """The directories of the module's ``<parent>`` poms that the input holds, nearest
    first: the pom at ``<relativePath>`` (by default ``../pom.xml``) when its artifactId is
    the declared one, else the one pom of the input with that artifactId."""
    chain: list[Path] = []
    current = directory
    while True:
        parent = poms[current].find("parent")
        artifact = _text(parent, "artifactId") if parent is not None else None
        if parent is None or not artifact:
            return chain
        relative = _text(parent, "relativePath")
        written = Path(os.path.normpath(current / (relative or "../pom.xml")))
        at = written.parent if written.suffix == ".xml" else written
        if at in poms and _text(poms[at], "artifactId") == artifact:
            found = at
        elif len(by_artifact.get(artifact, ())) == 1:
            found = by_artifact[artifact][0]
        else:
            return chain
        if found in chain or found == directory:
            return chain
        chain.append(found)
        current = found


def _with_modules(
    directory: Path, direct: dict[Path, tuple[str, ...]], modules: dict[str | None, Path]
) -> tuple[str, ...]:
    """The module's dependencies and, for a module of the same tree it depends on (a
    ``common`` library), that module's own, transitively."""
    found: set[str] = set()
    pending = [directory]
    seen: set[Path] = set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for artifact in direct.get(current, ()):
            found.add(artifact)
            if artifact in modules:
                pending.append(modules[artifact])
    return tuple(sorted(found))


def _dependencies(pom: ElementTree.Element, parents: list[ElementTree.Element]) -> tuple[str, ...]:
    """The artifact ids of the module's ``<dependencies>`` and of its parents' (which a child
    inherits; ``<dependencyManagement>`` only pins versions and adds nothing), with those of
    a profile active by default (the build a plain ``mvn package`` makes)."""
    found: set[str] = set()
    for element in (pom, *parents):
        lists = [element, *(p for p in element.findall("profiles/profile") if _by_default(p))]
        for dependency in (d for e in lists for d in e.findall("dependencies/dependency")):
            artifact = _text(dependency, "artifactId")
            if artifact:
                found.add(artifact)
    return tuple(sorted(found))


def _by_default(profile: ElementTree.Element) -> bool:
    return (_text(profile, "activation/activeByDefault") or "").lower() == "true"


_BASEDIR = ("${basedir}", "${project.basedir}")


def _dockerfile_dirs(
    pom: ElementTree.Element, parents: list[ElementTree.Element], directory: Path, tree: Tree
) -> tuple[Path, ...]:
    """A Dockerfile the build points at through a property (``<docker.image.dockerfile.dir>
    ${basedir}/../docker</...>``, a parent's plugin running ``docker build`` there): one
    Dockerfile in a shared folder that builds every module."""
    found: list[Path] = []
    for element in (pom, *parents):
        properties = element.find("properties")
        named = [
            prop
            for prop in (properties if properties is not None else ())
            if "dockerfile" in str(prop.tag).lower() and prop.text
        ]
        for prop in named:
            text = (prop.text or "").strip()
            for base in _BASEDIR:
                text = text.replace(base, ".")
            if "$" in text:
                continue
            folder = Path(os.path.normpath(directory / text))
            if folder != directory:
                found.extend(dockerfiles(tree, folder))
        if named:
            break  # the module's own property wins over its parents'
    return tuple(found)


def _parse(path: Path, diagnostics: list[Diagnostic]) -> ElementTree.Element | None:
    text = read(path)
    if text is None:
        return None
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        line, column = exc.position
        diagnostics.append(
            Diagnostic(
                Location(str(path), line, column + 1),
                f"pom.xml is not XML ({str(exc).split(':')[0]}); its module is skipped",
                DiagnosticLevel.WARNING,
            )
        )
        return None
    for element in root.iter():  # drop the POM namespace: paths stay readable
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    return root


def _text(pom: ElementTree.Element, path: str) -> str | None:
    found = pom.find(path)
    return found.text.strip() if found is not None and found.text else None


def _plugins(pom: ElementTree.Element, path: str) -> set[str]:
    return {(_text(p, "artifactId") or "") for p in pom.findall(path)}


def _jib(pom: ElementTree.Element) -> str | None:
    for plugin in pom.findall("build/plugins/plugin"):
        if _text(plugin, "artifactId") == "jib-maven-plugin":
            image = _text(plugin, "configuration/to/image")
            if image and "$" not in image:
                return image
    return None
