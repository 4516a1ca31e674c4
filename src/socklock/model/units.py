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
    # the endpoint it calls: a name, or a service-discovery scheme list (``https+http``);
    # None: the resource's one port
    endpoint: str | None = None
    proxy: bool = False  # a route of a proxy the program configures (YARP), not a reference
    port: int | None = None  # the port called, when the program fixes it (not an endpoint's)


@dataclass(frozen=True, slots=True)
class UnitEnv:
    """An env var a deployment program sets on a resource (Aspire ``.WithEnvironment``); an
    endpoint of another resource is written as its URL."""

    name: str
    value: str
    location: Location
    reference: bool = False  # given by a reference (``WithReference``), which is the call


@dataclass(frozen=True, slots=True)
class BuildUnit:
    """One service of the code, and the names it answers to.

    ``sources`` are the directories whose code belongs to it, its build context first;
    ``host`` is the deployment program that declares it (an Aspire AppHost's name) or None
    for a unit found from build files alone.
    """

    name: str  # identity: spring.application.name, artifactId, package or directory name
    # maven, gradle, sbt, npm, go, python, dotnet, dockerfile, aspire-project, aspire-container
    kind: str
    sources: tuple[str, ...]
    names: tuple[str, ...]  # every name it answers to (artifactId, image, directory, ...)
    ports: tuple[int, ...]  # ports it listens on, when the build or config says so
    location: Location
    host: str | None = None
    image: str | None = None
    references: tuple[UnitReference, ...] = ()
    config_files: tuple[str, ...] = ()  # config-server files named after it
    endpoints: tuple[tuple[str, int], ...] = ()  # named endpoints (Aspire): (name, port)
    env: tuple[UnitEnv, ...] = ()  # env the deployment program sets (Aspire)
    # libraries its build file declares (Maven/Gradle artifact ids, its parents' too;
    # .NET PackageReferences, its library projects' too);
    # empty when unknown. A Spring property of a library it lacks configures nothing.
    dependencies: tuple[str, ...] = ()
    dockerfiles: tuple[str, ...] = ()  # Dockerfiles outside its directory that build it
    # a process its host program starts on the host itself (a Procfile's), where
    # ``localhost`` reaches the other processes' ports (an Aspire resource runs apart)
    on_host: bool = False

    @property
    def directory(self) -> str | None:
        return self.sources[0] if self.sources else None
