"""The env file a runner reads, or the template the repository commits for it: one reader
for every runner that reads one (compose's ``.env`` and ``env_file``, a Procfile runner's
``.env``).

The file is parsed as dotenv (python-dotenv's parser, see
:func:`socklock.load.interpolate.read_env_entries`); where it is missing, the committed
template a new clone would copy to it is read instead (:mod:`socklock.load.env_templates`).
"""

# ruff: noqa: PTH113, PTH118  (paths stay the strings the user will see in messages)

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from socklock.load.env_templates import env_template
from socklock.load.interpolate import read_env_entries

if TYPE_CHECKING:
    from collections.abc import Callable

    from socklock.model import ComposeEnv


@dataclass(frozen=True, slots=True)
class EnvFile:
    """What an env file sets, each variable with the line that sets it."""

    entries: dict[str, ComposeEnv]
    template: str | None  # the committed template read in place of the missing file


def read_env_file(path: str, top: str | None, read: Callable[[str], str | None]) -> EnvFile:
    """The variables the env file ``path`` sets, or its template's when it is missing
    (``top``: the input root, up to which setup steps are read; see
    :func:`~socklock.load.env_templates.env_template`). ``read`` gives a file's text, or
    None when it cannot be read (the caller reports why, under its own limits)."""
    template = env_template(path, top)
    chosen = template if template is not None else path
    if not os.path.isfile(chosen):
        return EnvFile({}, template)
    text = read(chosen)
    return EnvFile(read_env_entries(text, chosen) if text else {}, template)


def read_project_env(directory: str, top: str | None, read: Callable[[str], str | None]) -> EnvFile:
    """The project's ``.env`` beside its file in ``directory`` (see :func:`read_env_file`)."""
    return read_env_file(os.path.join(directory or ".", ".env"), top, read)
