"""Shell scripts that build images: which directory builds the image a deployment runs.

``docker build -t shop/orders ../orders`` (also ``docker buildx build``, ``podman build``,
``--tag``, ``-f``) in a script of the input says the image ``shop/orders`` is built from
``orders/``: a compose service or Kubernetes container running that image (with no
``build:`` of its own) runs that directory's code, as when a compose file left out of the
deployment builds it. The context is read relative to the directory the script ``cd``s to
with a literal path, else the script's own directory. A script is a ``.sh``/``.bash`` file,
a file with no suffix whose first line is a ``sh``/``bash`` shebang, or a Makefile (its
recipe lines: each runs in its own shell from the Makefile's directory, so a ``cd`` holds
for the rest of its line only).
"""

# ruff: noqa: PTH100, PTH111, PTH112, PTH118, PTH119, PTH120, PTH123
# (string paths, as the walk gives them)

from __future__ import annotations

import os
from collections.abc import Iterator

from socklock.discover.commands import may_spell, simple_commands, words
from socklock.discover.once import per_run
from socklock.discover.scripted import script_paths
from socklock.load.shell_lines import is_shell_script

MAX_SCRIPT_BYTES = 256 * 1024
_MAKEFILES = frozenset({"makefile", "gnumakefile"})
_BUILDERS = frozenset({"docker", "podman"})
# ``docker build`` flags that take a value as the next word (besides -t and -f)
_VALUED = frozenset(
    {
        "--build-arg",
        "--target",
        "--platform",
        "--network",
        "--label",
        "--cache-from",
        "--cache-to",
        "--secret",
        "--ssh",
        "--output",
        "-o",
        "--progress",
        "--iidfile",
        "--add-host",
        "--build-context",
        "--builder",
        "--shm-size",
        "-m",
        "--memory",
    }
)


@per_run
def script_builds(roots: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(image, absolute context directory) of every ``docker build -t`` line of the
    scripts under ``roots``, in path order; a context that is not a directory is left out.
    Once per discovery run: each pass that attributes build directories asks."""
    found: list[tuple[str, str]] = []
    for path in script_paths(roots, _is_script):
        for image, context in _builds(path):
            if os.path.isdir(context) and (image, context) not in found:
                found.append((image, context))
    return tuple(found)


def _builds(path: str) -> Iterator[tuple[str, str]]:
    from socklock.load.shell_lines import logical_lines

    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SCRIPT_BYTES)
    except OSError:
        return
    if b" build" not in data:
        return
    start = os.path.dirname(os.path.abspath(path))
    makefile = _is_makefile(path)
    here = start
    for _, line in logical_lines(data.decode("utf-8", "replace")):
        if makefile:
            here = start  # every recipe line is a shell of its own
            line = line.lstrip("@-+")
        if line.startswith("#") or not may_spell(line, "build", "cd"):
            continue  # neither a build nor a ``cd``
        for command in simple_commands(words(line)):
            if len(command) == 2 and command[0] == "cd" and "$" not in command[1]:
                here = os.path.normpath(os.path.join(here, os.path.expanduser(command[1])))
                continue
            built = _built(command)
            if built is not None:
                image, context = built
                yield image, os.path.normpath(os.path.join(here, context))


def _built(command: list[str]) -> tuple[str, str] | None:
    """(image, context as written) of a ``docker build`` command with one literal tag."""
    if len(command) < 3 or os.path.basename(command[0]) not in _BUILDERS:
        return None
    rest = command[1:]
    if rest[:2] == ["buildx", "build"] or rest[:2] == ["image", "build"]:
        rest = rest[2:]
    elif rest[:1] == ["build"]:
        rest = rest[1:]
    else:
        return None
    tags: list[str] = []
    positional: list[str] = []
    dockerfiles: list[str] = []
    index = 0
    while index < len(rest):
        word = rest[index]
        if word in ("-t", "--tag") and index + 1 < len(rest):
            tags.append(rest[index + 1])
            index += 2
            continue
        if word.startswith("--tag="):
            tags.append(word.removeprefix("--tag="))
        elif word in ("-f", "--file") and index + 1 < len(rest):
            dockerfiles.append(rest[index + 1])
            index += 1
        elif word.startswith("--file="):
            dockerfiles.append(word.removeprefix("--file="))
        elif word in _VALUED:
            index += 1
        elif not word.startswith("-"):
            positional.append(word)
        index += 1
    if len(tags) != 1 or len(positional) != 1 or "$" in tags[0] or "$" in positional[0]:
        return None
    context = positional[0]
    if "://" in context or context == "-":
        return None  # a remote context or a Dockerfile on stdin
    where = os.path.normpath(context)
    if any(os.path.normpath(os.path.dirname(f) or ".") != where for f in dockerfiles):
        # ``-f build/Dockerfile.web .``: a shared context (the repository) whose one
        # Dockerfile picks the code; the context does not say which program the image runs
        return None
    return tags[0], context


def _is_makefile(path: str) -> bool:
    name = os.path.basename(path).lower()
    return name in _MAKEFILES or name.endswith(".mk")


def _is_script(path: str) -> bool:
    if _is_makefile(path):
        return True
    return is_shell_script(path)
