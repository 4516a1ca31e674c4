"""sbt projects that build a service: a ``build.sbt`` whose project packages an application
(sbt-native-packager's ``JavaAppPackaging``/``JavaServerAppPackaging``/``DockerPlugin``), has
a Dockerfile beside it, or holds a main (``def main(``, ``extends App``).

``sbt docker:publishLocal`` tags the image ``packageName in Docker`` (``Docker /
packageName``), which defaults to the project's ``name``: a compose service running that
image (with no build of its own) runs this code. Identity: that package name, else ``name``,
else the directory name. A build of several projects (``project in file("orders")`` beside
the root) names each project's settings apart: not read (no unit), as the names would mix.
"""

from __future__ import annotations

import re
from pathlib import Path

from socklock.load.units.docker import has_dockerfile
from socklock.load.units.tree import Tree, read
from socklock.load.units.unit import has_jvm_main, make_unit
from socklock.model import BuildUnit, Diagnostic

BUILD_FILE = "build.sbt"
_PACKAGING = re.compile(
    r"\benablePlugins\s*\([^)]*\b(?:JavaAppPackaging|JavaServerAppPackaging|DockerPlugin"
    r"|AshScriptPlugin)\b"
)
_NAME = re.compile(r"""(?m)^\s*(?:ThisBuild\s*/\s*)?name\s*:=\s*"([^"$]+)\"""")
_PACKAGE_NAME = re.compile(
    r"""(?:packageName\s+in\s+Docker|Docker\s*/\s*packageName)\s*:=\s*"([^"$]+)\""""
)
_SUBPROJECT = re.compile(r"""\bproject\s*(?:\.\s*in\s*\(|in\s*\(?)\s*file\s*\(\s*"([^"]*)"\s*\)""")
_SCALA_APP = re.compile(r"\bobject\s+\w+\s+extends\s+App\b")
MAX_SOURCES = 400


def find(tree: Tree, diagnostics: list[Diagnostic]) -> list[BuildUnit]:
    del diagnostics
    units: list[BuildUnit] = []
    for directory in sorted(tree.files):
        if not tree.has(directory, BUILD_FILE):
            continue
        path = directory / BUILD_FILE
        text = read(path) or ""
        if any(sub.strip("./") for sub in _SUBPROJECT.findall(text)):
            continue  # several projects: each one's settings are its own
        runnable = (
            _PACKAGING.search(text) is not None
            or has_dockerfile(tree, directory)
            or has_jvm_main(directory)
            or _scala_app(directory)
        )
        if not runnable:
            continue
        name = _NAME.search(text)
        package = _PACKAGE_NAME.search(text)
        fallback = package.group(1) if package else name.group(1) if name else directory.name
        names = tuple(m.group(1) for m in (name, package) if m)
        units.append(make_unit("sbt", directory, fallback, path, tree, names=names, image=fallback))
    return units


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
