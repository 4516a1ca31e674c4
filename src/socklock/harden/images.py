"""Image references: repository, tag, digest and registry, as Docker reads them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ImageRef:
    registry: str  # docker.io when none is written
    repository: str  # path under the registry, library/ added for official Docker Hub images
    tag: str | None
    digest: str | None

    @property
    def full_name(self) -> str:
        return f"{self.registry}/{self.repository}"


def parse_image(image: str) -> ImageRef:
    name, _, digest = image.partition("@")
    tag: str | None = None
    last_slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > last_slash:
        name, tag = name[:colon], name[colon + 1 :]
    first, _, rest = name.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        registry, repository = first, rest
    else:
        registry, repository = "docker.io", name
    if registry == "docker.io" and "/" not in repository:
        repository = f"library/{repository}"
    return ImageRef(registry, repository, tag or None, digest or None)


def registry_allowed(image: str, allowed: tuple[str, ...]) -> bool:
    """``allowed`` entries are registry hosts (``ghcr.io``) or prefixes (``ghcr.io/acme``)."""
    ref = parse_image(image)
    full = ref.full_name
    for entry in allowed:
        entry = entry.strip().rstrip("/")
        if not entry:
            continue
        if full == entry or full.startswith(entry + "/") or ref.registry == entry:
            return True
    return False
