"""A build unit: a service the code itself declares (a Maven module, a Go ``main`` package,
an npm package with a server, a .NET web project, a resource of an Aspire AppHost, ...).

Repositories without deployment files still hold their services' build units; they are the
workload universe then, and otherwise they tell which source directory belongs to which
deployed workload.
"""

from __future__ import annotations

from dataclasses import dataclass

from socklock.model.location import Location


@dataclass(frozen=True, slots=True)
class UnitReference:
    """A call a deployment program declares (Aspire ``.WithReference(x)``)."""

    target: str  # the referenced resource's name
    location: Location
    detail: str


@dataclass(frozen=True, slots=True)
class BuildUnit:
    """One service of the code, and the names it answers to.

    ``sources`` are the directories whose code belongs to it, its build context first;
    ``host`` is the deployment program that declares it (an Aspire AppHost's name) or None
    for a unit found from build files alone.
    """

    name: str  # identity: spring.application.name, artifactId, package or directory name
    kind: (
        str  # maven, gradle, npm, go, python, dotnet, dockerfile, aspire-project, aspire-container
    )
    sources: tuple[str, ...]
    names: tuple[str, ...]  # every name it answers to (artifactId, image, directory, ...)
    ports: tuple[int, ...]  # ports it listens on, when the build or config says so
    location: Location
    host: str | None = None
    image: str | None = None
    references: tuple[UnitReference, ...] = ()
    config_files: tuple[str, ...] = ()  # config-server files named after it
    # libraries its build file declares (Maven/Gradle artifact ids, its parents' too);
    # empty when unknown. A Spring property of a library it lacks configures nothing.
    dependencies: tuple[str, ...] = ()
    dockerfiles: tuple[str, ...] = ()  # Dockerfiles outside its directory that build it

    @property
    def directory(self) -> str | None:
        return self.sources[0] if self.sources else None
