"""Gradle projects that build a service: the Spring Boot, ``application``, Jib, Ktor, Quarkus,
Micronaut, Vert.x or a Docker application plugin, or a jar whose manifest names its main
(``Main-Class``/``Main-Verticle``, ``mainClassName``): their own, or applied to them by an
enclosing build's ``subprojects``/``allprojects`` and then with a main class; a Dockerfile
beside the build file; or a framework's application class or a main that starts a server.

Identity: ``spring.application.name``, else ``rootProject.name`` for the root, else the
directory name.
"""

from __future__ import annotations

import re
from pathlib import Path

from socklock.load.units import spring
from socklock.load.units.docker import has_dockerfile
from socklock.load.units.tree import Tree, read
from socklock.load.units.unit import has_jvm_main, make_unit
from socklock.model import BuildUnit, Diagnostic

BUILD_FILES = ("build.gradle", "build.gradle.kts")
_PLUGIN = re.compile(
    r"""(?x)
    (?:id\s*\(?\s*["'](?:org\.springframework\.boot|application|com\.google\.cloud\.tools\.jib
        |io\.ktor\.plugin|io\.quarkus|io\.micronaut\.(?:minimal\.)?application
        |io\.vertx\.vertx-plugin|com\.bmuschko\.docker-(?:java|spring-boot)-application)["']
    | \bmainClassName\s*=
    | \bmainClass\s*(?:=|\.set\s*\()
    | ["']Main-(?:Class|Verticle)["']
    | \bvertx\s*\{[^}]*\bmainVerticle\s*=
    | apply\s*\(?\s*plugin\s*[:=]\s*["'](?:org\.springframework\.boot|application|spring-boot
        |com\.google\.cloud\.tools\.jib|io\.quarkus|io\.micronaut\.(?:minimal\.)?application)["']
    | ^\s*application\s*(?:\{|$)
    | ^\s*`?application`?\s*$
    | \bspringBoot\s*\{
    )""",
    re.MULTILINE,
)
_SHARED = re.compile(r"\b(subprojects|allprojects)\s*\{")
_ROOT_NAME = re.compile(r"""rootProject\.name\s*=\s*["']([^"']+)["']""")
_JIB_IMAGE = re.compile(r"""\bto\s*\{[^}]*?image\s*=\s*["']([^"'$]+)["']""", re.DOTALL)


def find(tree: Tree, diagnostics: list[Diagnostic]) -> list[BuildUnit]:
    builds: dict[Path, tuple[Path, str]] = {}
    for directory, files in tree.files.items():
        for name in BUILD_FILES:
            if name in files:
                builds[directory] = (directory / name, read(directory / name) or "")
                break
    direct = {
        d: _dependencies([text, *_shared_parts(d, builds)]) for d, (_, text) in builds.items()
    }
    projects = {d.name: d for d in builds}
    units: list[BuildUnit] = []
    for directory, (path, text) in builds.items():
        own = _applies(_own_part(text))
        inherited = any(
            _shared_applies(parent_text)
            for parent_dir, (_, parent_text) in builds.items()
            if parent_dir != directory and directory.is_relative_to(parent_dir)
        )
        if (
            _aggregates(tree, directory)
            and not (directory / "src").is_dir()
            and not has_dockerfile(tree, directory)
        ):
            continue  # the root of a multi-project build, with no code of its own
        runnable = own or has_dockerfile(tree, directory)
        if (
            not runnable
            and not has_jvm_main(directory, framework_only=not inherited, tree=tree)
            and not (_quarkus_inherited(directory, builds) and spring.config_files(directory))
        ):
            continue
        fallback = directory.name
        settings = next(
            (
                directory / n
                for n in ("settings.gradle", "settings.gradle.kts")
                if tree.has(directory, n)
            ),
            None,
        )
        if settings is not None:
            found = _ROOT_NAME.search(read(settings) or "")
            fallback = found.group(1) if found else fallback
        image = _JIB_IMAGE.search(text)
        units.append(
            make_unit(
                "gradle",
                directory,
                fallback,
                path,
                tree,
                image=image.group(1) if image else None,
                dependencies=_with_projects(directory, direct, projects),
            )
        )
    return units


_INCLUDE = re.compile(r"(?m)^\s*include\b")


def _aggregates(tree: Tree, directory: Path) -> bool:
    """Whether the build's settings include subprojects (``include 'orders'``): its root
    project applies plugins to build them (``plugins { id 'org.springframework.boot' }``
    above ``allprojects``) and is no service without sources of its own."""
    for name in ("settings.gradle", "settings.gradle.kts"):
        if tree.has(directory, name) and _INCLUDE.search(read(directory / name) or ""):
            return True
    return False


# ``implementation 'org.springframework.cloud:spring-cloud-starter-zipkin'``,
# ``compile group: 'x', name: 'spring-cloud-starter-config'``, ``("g:a:1.0")``
_COORDINATE = re.compile(r"""["'][\w.\-]+:([\w.\-]+)(?::[^"']*)?["']""")
_NAMED = re.compile(r"""\bname\s*[:=]\s*["']([\w.\-]+)["']""")


_PROJECT = re.compile(r"""\bproject\s*\(\s*(?:path\s*[:=]\s*)?["']:?([\w.\-:]+)["']""")


def _shared_parts(directory: Path, builds: dict[Path, tuple[Path, str]]) -> list[str]:
    """The ``subprojects``/``allprojects`` blocks of the builds above ``directory``."""
    return [
        text[m.start() :]
        for parent, (_, text) in builds.items()
        if parent != directory and directory.is_relative_to(parent) and (m := _SHARED.search(text))
    ]


def _dependencies(texts: list[str]) -> tuple[str, ...]:
    """Artifact ids named in the build file and in its parents' ``subprojects`` blocks, and
    ``project(':common')`` references as ``:common``."""
    found: set[str] = set()
    for text in texts:
        for block in re.finditer(r"\bdependencies\s*\{", text):
            body = text[block.end() : _block_end(text, block.end())]
            found.update(m.group(1) for m in _COORDINATE.finditer(body))
            found.update(m.group(1) for m in _NAMED.finditer(body))
            found.update(":" + m.group(1).rsplit(":", 1)[-1] for m in _PROJECT.finditer(body))
    return tuple(sorted(found))


def _with_projects(
    directory: Path, direct: dict[Path, tuple[str, ...]], projects: dict[str, Path]
) -> tuple[str, ...]:
    """The project's dependencies and those of the projects of the build it depends on
    (``implementation project(':common')``), transitively."""
    found: set[str] = set()
    pending, seen = [directory], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for dependency in direct.get(current, ()):
            if dependency.startswith(":"):
                if dependency[1:] in projects:
                    pending.append(projects[dependency[1:]])
            else:
                found.add(dependency)
    return tuple(sorted(found))


def _block_end(text: str, start: int) -> int:
    """The index of the brace that closes the block opened just before ``start``."""
    depth = 1
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return len(text)


def _own_part(text: str) -> str:
    """The build file without its ``subprojects``/``allprojects`` blocks (they configure others)."""
    match = _SHARED.search(text)
    return text[: match.start()] if match else text


def _shared_applies(text: str) -> bool:
    match = _SHARED.search(text)
    return bool(match and _applies(text[match.start() :]))


# Quarkus needs no main class: a module the enclosing build applies the plugin to
# (``subprojects { apply(plugin = "io.quarkus") }``) is an application when it has
# Quarkus's own config (``src/main/resources/application.properties`` or ``.yml``)
_QUARKUS_PLUGIN = re.compile(r"""\b(?:id|plugin)\s*(?:\(|[:=])?\s*\(?\s*["']io\.quarkus["']""")


def _quarkus_inherited(directory: Path, builds: dict[Path, tuple[Path, str]]) -> bool:
    """Whether a build above ``directory`` applies the Quarkus plugin to its subprojects."""
    for part in _shared_parts(directory, builds):
        for match in _QUARKUS_PLUGIN.finditer(part):
            end = part.find("\n", match.end())
            if "apply false" not in part[match.start() : end if end >= 0 else len(part)]:
                return True
    return False


def _applies(text: str) -> bool:
    """A service plugin applied here (``id '...' apply false`` only declares its version)."""
    for match in _PLUGIN.finditer(text):
        end = text.find("\n", match.end())
        if "apply false" not in text[match.start() : end if end >= 0 else len(text)]:
            return True
    return False
