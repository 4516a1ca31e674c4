"""sbt projects that build a service: a project that packages an application
(sbt-native-packager's ``JavaAppPackaging``/``JavaServerAppPackaging``/``DockerPlugin``, a
Play or Lagom application), names its main (``mainClass``), has a Dockerfile beside it, or
holds a main (``def main(``, ``extends App``; not in an example's or the docs' folder).

A ``build.sbt`` of several projects (``lazy val orders = (project in file("orders"))``,
``project.in(file(...))``, ``Project("orders", file("orders"))``, a bare ``project`` whose
folder is its id) is read project by project: each definition's own settings chain says
what it packages and names it; a project that only aggregates the others is none.

``sbt docker:publishLocal`` tags the image ``packageName in Docker`` (``Docker /
packageName``), which defaults to the project's ``name``: a compose service running that
image (with no build of its own) runs this code. Identity: that package name, else ``name``,
else the project's id, else the directory name.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from socklock.load.units.docker import has_dockerfile
from socklock.load.units.tree import Tree, read
from socklock.load.units.unit import has_jvm_main, incidental, make_unit
from socklock.model import BuildUnit, Diagnostic

BUILD_FILE = "build.sbt"
_PACKAGING = re.compile(
    r"\benablePlugins\s*\([^)]*\b(?:JavaAppPackaging|JavaServerAppPackaging|DockerPlugin"
    r"|AshScriptPlugin|PlayScala|PlayJava|PlayMinimalScala|PlayMinimalJava|PlayService"
    r"|LagomScala|LagomJava)\b"
    r"|\bmainClass\s+in\s+(?:Compile|\(\s*Compile)|\b(?:Compile\s*/\s*)?(?:run\s*/\s*)?mainClass\s*:="
)
_NAME = re.compile(r"""(?m)^\s*(?:ThisBuild\s*/\s*)?name\s*:=\s*"([^"$]+)\"""")
_SETTING_NAME = re.compile(r"""\bname\s*:=\s*"([^"$]+)\"""")
_PACKAGE_NAME = re.compile(
    r"""(?:packageName\s+in\s+Docker|Docker\s*/\s*packageName)\s*:=\s*"([^"$]+)\""""
)
# ``lazy val `orders-api` = (project in file("orders"))``, ``= project.in(file("x"))``,
# ``= project`` (its folder is its id), ``= Project("orders", file("orders"))``
_DEFINITION = re.compile(
    r"""(?m)^[ \t]*(?:lazy[ \t]+)?val[ \t]+(`[^`]+`|\w+)[ \t]*(?::[ \t]*Project[ \t]*)?=[ \t]*"""
    r"""\(?[ \t]*(?=project\b|Project[ \t]*\()"""
)
_FOLDER = re.compile(
    r"""^\(?\s*(?:project\b[\s.(]*(?:in\b[\s(]*)?|Project\s*\([^,]*,\s*)"""
    r"""(?:base\s*=\s*)?file\s*\(\s*"([^"]*)"\s*\)"""
)
# the next definition at the top level of the build file ends the one before
_TOP_LEVEL = re.compile(
    r"(?m)^(?:lazy\s+val|val|def|import|[A-Za-z_][\w.]*\s*(?:in\b|/|:=|\+\+=|\+=))"
)
_SCALA_APP = re.compile(r"\bobject\s+\w+\s+extends\s+App\b")
MAX_SOURCES = 400


@dataclass(frozen=True, slots=True)
class _Project:
    """One project of a build: its folder, its id and its definition's text."""

    directory: Path
    ident: str
    text: str


def find(tree: Tree, diagnostics: list[Diagnostic]) -> list[BuildUnit]:
    del diagnostics
    units: list[BuildUnit] = []
    done: set[Path] = set()
    for directory in sorted(tree.files):
        if not tree.has(directory, BUILD_FILE):
            continue
        path = directory / BUILD_FILE
        text = read(path) or ""
        projects = _projects(directory, text)
        if not projects:
            projects = [_Project(directory, "", text)]
        for project in projects:
            if project.directory in done or project.directory not in tree.files:
                continue
            unit = _unit(project, path, tree, whole=not project.ident)
            if unit is not None:
                done.add(project.directory)
                units.append(unit)
    return units


def _projects(directory: Path, text: str) -> list[_Project]:
    """The projects a build file of several defines, each with its definition's text (up to
    the next top-level statement); none for a build of one project."""
    found: list[_Project] = []
    for match in _DEFINITION.finditer(text):
        ident = match.group(1).strip("`")
        following = _TOP_LEVEL.search(text, match.end())
        body = text[match.end() : following.start() if following else len(text)]
        folder = _FOLDER.match(body)
        relative = folder.group(1) if folder else ident
        home = Path(os.path.normpath(directory / relative)) if relative.strip("./") else directory
        found.append(_Project(home, ident, body))
    if len(found) == 1 and found[0].directory == directory:
        return []  # one project at the root: the file's settings are all its own
    return found


def _unit(project: _Project, path: Path, tree: Tree, *, whole: bool) -> BuildUnit | None:
    """The project as a unit when it runs; ``whole``: the build file is the build's only
    project (its top-level settings are the project's)."""
    directory, text = project.directory, project.text
    packaged = _PACKAGING.search(text) is not None or has_dockerfile(tree, directory)
    if not packaged and (
        incidental(tree, directory)
        or not (has_jvm_main(directory, tree=tree) or _scala_app(directory))
    ):
        return None
    name = (_NAME if whole else _SETTING_NAME).search(text)
    package = _PACKAGE_NAME.search(text)
    fallback = (
        package.group(1) if package else name.group(1) if name else project.ident or directory.name
    )
    names = tuple(
        n
        for n in (name.group(1) if name else "", package.group(1) if package else "", project.ident)
        if n
    )
    return make_unit("sbt", directory, fallback, path, tree, names=names, image=fallback)


def _scala_app(directory: Path) -> bool:
    """An ``object Main extends App`` under ``src/main/scala``: sbt's ``run`` main."""
    root = directory / "src" / "main" / "scala"
    if not root.is_dir():
        return False
    for seen, path in enumerate(sorted(root.rglob("*.scala"))):
        if seen >= MAX_SOURCES:
            return False
        if _SCALA_APP.search(read(path) or ""):
            return True
    return False
