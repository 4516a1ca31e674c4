"""Write the JSON Schema of every socklock document into ``schemas/`` (``make schemas``).

Each module of this package that defines ``SCHEMA`` ("socklock/<name>/v1") and ``DOCUMENT``
(its pydantic model) is published as ``schemas/<name>.v1.json``.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path
from typing import Any


def documents() -> dict[str, Any]:
    """File name → pydantic model, for every published document."""
    import socklock.schemas as package

    found: dict[str, Any] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"socklock.schemas.{info.name}")
        schema, document = getattr(module, "SCHEMA", None), getattr(module, "DOCUMENT", None)
        if schema and document is not None:
            _, name, version = schema.split("/")
            found[f"{name}.{version}.json"] = document
    return found


def render(document: Any) -> str:
    schema = document.model_json_schema(by_alias=True, mode="serialization")
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def main(directory: str = "schemas") -> int:
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    for name, document in sorted(documents().items()):
        (target / name).write_text(render(document), encoding="utf-8")
        print(f"wrote {target / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
