"""Services that only build assets: a bundler or a style compiler reads the sources, it does
not run them.

A compose file often runs the application's image (or another stage of its Dockerfile)
once more as an asset watcher (``js: command: yarn build``, ``css: command: ../run
yarn:build:css``). It shares the application's build context and environment, but its
process is esbuild or tailwindcss, which compile the tree without executing the
application's code: none of the application's calls are its own. The command is followed
through the package manager's script (``package.json`` ``scripts``) and a task-runner
script's function (``./run yarn:build`` → its ``yarn:build() { esbuild ... }``) to the
programs it starts; the service builds assets when every one of them is such a tool.
A development server (``vite`` without ``build``, ``webpack serve``) may proxy requests:
it is not counted as a builder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from socklock.discover.commands import simple_commands, words
from socklock.discover.entrypoints import entry_paths
from socklock.discover.imports import source_text
from socklock.discover.package_scripts import PACKAGE_MANAGERS, package_script, script_name
from socklock.load.shell_lines import logical_lines

# compilers and bundlers: they read the tree and write files, whatever their flags
_COMPILERS = frozenset(
    {
        "esbuild",
        "tailwindcss",
        "postcss",
        "sass",
        "node-sass",
        "lessc",
        "stylus",
        "tsc",
        "babel",
        "rollup",
        "terser",
        "uglifyjs",
        "cssnano",
    }
)
# tools that are a development server unless told to build
_BUILD_SUBCOMMAND = frozenset({"vite", "parcel"})
# a config file a bundler's own API is run with: ``node esbuild.config.mjs``
_BUILD_CONFIG = re.compile(r"^(?:esbuild|rollup|webpack|vite|tailwind|postcss)[\w.-]*\.[cm]?[jt]s$")
# words that start no program of interest inside a task-runner function
_SHELL_WORDS = frozenset(
    {
        "mkdir",
        "rm",
        "cp",
        "mv",
        "echo",
        "printf",
        "cd",
        "local",
        "export",
        "set",
        "true",
        "test",
        "[",
        "[[",
        "sleep",
        "touch",
        "shift",
        "if",
        "then",
        "else",
        "elif",
        "fi",
        "declare",
        "readonly",
    }
)
_WRAPPERS = frozenset({"exec", "time", "npx", "env", "nohup"})
_FUNCTION = r"^(?:function\s+)?{name}\s*(?:\(\s*\))?\s*\{{\s*$"
_DISPATCH = re.compile(r"\"?\$(?:@|\{@|1\b|\{1\b)")
_DEPTH = 4


def builds_assets(line: list[str], context: Path) -> bool:
    """Whether the command ``line`` of a service built from ``context`` only runs asset
    tools (compilers and bundlers), followed through package scripts and task runners."""
    programs = list(_programs(line, context.resolve(), _DEPTH))
    return bool(programs) and all(programs)


def _programs(line: list[str], context: Path, depth: int) -> Iterator[bool]:
    """For each program the command line starts: whether it is an asset tool."""
    for simple in simple_commands(line):
        yield from _simple(simple, context, depth)


def _simple(simple: list[str], context: Path, depth: int) -> Iterator[bool]:
    command = [w for w in simple if not re.match(r"^[A-Za-z_]\w*=", w)]
    while command and command[0] in _WRAPPERS:
        command = command[1:]
    if not command:
        return
    name = command[0].rsplit("/", 1)[-1]
    if name in _SHELL_WORDS or "=" in command[0]:
        return
    if depth <= 0:
        yield False
        return
    if name in _COMPILERS:
        yield True
    elif name in _BUILD_SUBCOMMAND:
        yield command[1:2] == ["build"]
    elif name == "webpack":
        yield not {"serve", "--watch-serve"} & set(command[1:])
    elif name == "node":
        yield len(command) > 1 and _BUILD_CONFIG.match(Path(command[1]).name) is not None
    elif name in PACKAGE_MANAGERS:
        yield from _package_script(command[1:], context, depth)
    else:
        yield from _task(command, context, depth)


def _package_script(arguments: list[str], context: Path, depth: int) -> Iterator[bool]:
    """``yarn build`` / ``npm run build``: the programs of the package's ``build`` script."""
    name = script_name(arguments)
    script = package_script(context, name) if name is not None else None
    if script is None:
        yield False
        return
    yield from _programs(words(script[1]), context, depth - 1)


def _task(command: list[str], context: Path, depth: int) -> Iterator[bool]:
    """``./run yarn:build``: a shell script that dispatches on its first argument to the
    function of that name runs that function's programs; anything else is not a tool."""
    scripts = [p for p in entry_paths(command[0], context) if p.is_file()]
    if len(command) < 2 or len(scripts) != 1:
        yield False
        return
    body = _function_body(scripts[0], command[1])
    if body is None:
        yield False
        return
    for line in body:
        yield from _programs(words(line), context, depth - 1)


def _function_body(script: Path, name: str) -> list[str] | None:
    """The command lines of the shell function ``name`` of ``script`` (defined at the start
    of a line, closed by a ``}`` alone at the start of a line), when the script hands its
    arguments to a command (``"$@"``, ``${@:-help}``); else None."""
    text = _script_text(script)
    if not text.startswith("#!") or _DISPATCH.search(text) is None:
        return None
    lines = text.splitlines()
    start = re.compile(_FUNCTION.format(name=re.escape(name)))
    for index, line in enumerate(lines):
        if start.match(line):
            body: list[str] = []
            for inner in lines[index + 1 :]:
                if inner.rstrip() == "}":
                    joined = (_command_part(t) for _, t in logical_lines("\n".join(body)))
                    return [t for t in joined if t and not t.startswith("#")]
                body.append(inner)
            return None
    return None


def _script_text(script: Path) -> str:
    """The script's text (the shared source reader's), read once while it is unchanged:
    every function looked up in it, for every service, asks for it."""
    try:
        info = script.stat()
    except OSError:
        return ""
    return _read_script(script, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=32)
def _read_script(script: Path, mtime_ns: int, size: int) -> str:
    del mtime_ns, size  # part of the key only: a rewritten script is read again
    return source_text(script)


def _command_part(line: str) -> str:
    """The command of a line of a function body: ``then x``/``else x`` → ``x``; a control
    line (``if [ ... ]; then``) or an array assignment → empty."""
    for keyword in ("then ", "else ", "do "):
        line = line.removeprefix(keyword)
    if re.match(r"^(?:if|elif|while|until|for|case|fi|done|esac|else|\}|\{)\b", line):
        return ""
    if re.match(r"^[A-Za-z_]\w*(?:\[[^]]*\])?=(?:\(.*\)|\S*)$", line):
        return ""  # an assignment alone (``args=(--minify)``), not ``DEBUG=0 tool``
    return line
