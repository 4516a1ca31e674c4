"""Render rich renderables to text, so report modules return strings like every other format.

Markup is off: cells hold the user's text (paths, evidence, `[code.owners]`), which rich
would otherwise read as style tags and drop.
"""

from __future__ import annotations

import io
from typing import Any


def render(*renderables: Any, width: int = 120, color: bool = False) -> str:
    from rich.console import Console

    console = Console(
        width=width,
        record=True,
        markup=False,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        file=io.StringIO(),
    )
    for renderable in renderables:
        console.print(renderable)
    return console.export_text(styles=color)
