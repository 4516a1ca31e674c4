""".NET options sections that no code of the project binds.

ASP.NET Core's options pattern names an ``appsettings.json`` section after the class it
binds to (``"OrderGrpcClientOptions": {"BaseAddress": ...}`` with
``GetSection(nameof(OrderGrpcClientOptions))`` or ``GetSection("OrderGrpcClientOptions")``).
No framework or library reads such a section on its own: when the project's C# sources
(its ``.csproj`` folder and the projects it references) never write the section's name, the
section is configured but unbound, and its address is no call. The test is textual (any
mention, even in a comment, keeps the section); only sections named ``…Options`` or
``…Settings`` are judged (``Serilog``, ``Kestrel``, ``ConnectionStrings`` are read by
libraries without the code naming them), and a project that cannot be read whole keeps
every section.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path, PurePath

from socklock.discover.code.dotnet_projects import project_file, referenced_projects

_SETTINGS_FILE = re.compile(r"^appsettings(?:\.[\w-]+)?\.json$", re.I)
_OPTIONS_SECTION = re.compile(r"^[A-Za-z_]\w*(?:Options|Settings)$")
_WORD = re.compile(r"[A-Za-z_]\w*")
_NOT_SOURCE = frozenset({"bin", "obj", ".git", "node_modules"})
MAX_FILES = 3000  # a larger project is not read: its sections count as bound


def unbound_options_section(file: str, key: str) -> bool:
    """Whether ``key`` of ``appsettings*.json`` ``file`` sits in an options section
    (``OrderGrpcClientOptions.BaseAddress``) that no C# source of the file's project names."""
    if not _SETTINGS_FILE.match(PurePath(file).name):
        return False
    section = key.split(".", 1)[0]
    if "." not in key or not _OPTIONS_SECTION.match(section):
        return False
    words = _project_words(Path(file).resolve().parent)
    return words is not None and section.lower() not in words


@lru_cache(maxsize=64)
def _project_words(directory: Path) -> frozenset[str] | None:
    """The words (lower case) of the C# files of the project around ``directory`` and of the
    projects it references; None when there is no project or it is too large to read."""
    own = project_file(directory)
    if own is None:
        return None
    words: set[str] = set()
    files = 0
    for root in (own.parent, *referenced_projects(directory)):
        for current, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in _NOT_SOURCE)
            for name in names:
                if not name.endswith(".cs"):
                    continue
                files += 1
                if files > MAX_FILES:
                    return None
                try:
                    text = (Path(current) / name).read_text(encoding="utf-8", errors="replace")
                except OSError:
                    return None
                words.update(word.lower() for word in _WORD.findall(text))
    return frozenset(words)
