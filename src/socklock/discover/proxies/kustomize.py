"""Config files that kustomize turns into ConfigMaps (``configMapGenerator``).

``configMapGenerator: [{name: nginx, files: [nginx.conf, default.conf=conf/site.conf]}]``
makes a ConfigMap whose keys hold those files; a workload that mounts ConfigMap ``nginx``
runs them. The files are read where they are written, so evidence points into them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from socklock.discover.proxies.interface import items

KUSTOMIZATION_NAMES = frozenset({"kustomization.yaml", "kustomization.yml", "Kustomization"})


@dataclass(frozen=True, slots=True)
class GeneratedFile:
    config_map: str
    namespace: str | None  # None: whatever namespace the resources get
    key: str
    path: Path


def generated_name(generator: str, volumes: Mapping[str, object]) -> str | None:
    """The volume's ConfigMap name that ``generator`` makes: its own name as written, or
    with the content hash ``kubectl kustomize`` appends (``proxy-7bm5k2c9t4``)."""
    if generator in volumes:
        return generator
    hashed = re.compile(re.escape(generator) + r"-[a-z0-9]{10}")
    return next((name for name in volumes if hashed.fullmatch(name)), None)


def generated_files(kustomizations: Sequence[Path]) -> Iterator[GeneratedFile]:
    from socklock.load.limits import DEFAULT_LIMITS
    from socklock.load.yamlread import Document, load_yaml

    for kustomization in kustomizations:
        try:
            text = kustomization.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for document in load_yaml(text, str(kustomization), DEFAULT_LIMITS):
            if not isinstance(document, Document) or not isinstance(document.value, dict):
                continue
            namespace = document.value.get("namespace")
            for generator in items(document.value.get("configMapGenerator")):
                if not isinstance(generator, dict) or not isinstance(generator.get("name"), str):
                    continue
                where = generator.get("namespace", namespace)
                for entry in items(generator.get("files")):
                    if not isinstance(entry, str):
                        continue
                    key, sep, file = entry.partition("=")
                    file = file if sep else key
                    path = kustomization.parent / file
                    yield GeneratedFile(
                        generator["name"],
                        str(where) if where else None,
                        key if sep else path.name,
                        path,
                    )
