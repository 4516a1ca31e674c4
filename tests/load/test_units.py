"""Build units: each ecosystem's finder on its own small repository (tests/fixtures/units)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.conftest import REPO
from tests.helpers import write_files as _write

from socklock.load.units import find_units
from socklock.load.units.npm import _starts_server

UNITS = REPO / "tests" / "fixtures" / "units"

Row = tuple[str, str, tuple[int, ...], tuple[str, ...], tuple[str, ...], str | None]


def _units(case: str) -> set[Row]:
    root = UNITS / case
    units, problems = find_units([str(root)])
    assert problems == []
    return {
        (
            u.name,
            u.kind,
            u.ports,
            u.names,
            tuple(os.path.relpath(s, root) for s in u.sources),
            u.host,
        )
        for u in units
    }


EXPECTED: dict[str, set[Row]] = {
    # the parent applies the Boot plugin to every module: common has no main, so no unit;
    # ports from the config server's shared/<name>.yml win over the module's own
    "maven": {
        ("account-service", "maven", (6000,), ("account-service",), ("account-service",), None),
        ("config", "maven", (8888,), ("config",), ("config",), None),
        ("gateway", "maven", (4000,), ("edge", "gateway"), ("gateway",), None),
        (
            "statistics-service",
            "maven",
            (7000,),
            ("statistics-service",),
            ("statistics-service",),
            None,
        ),
    },
    # ``apply false`` at the root declares the plugin, lib applies none
    "gradle": {
        ("inventory", "gradle", (9090,), ("inventory",), ("inventory",), None),
        ("orders", "gradle", (8081,), ("orders",), ("orders",), None),
    },
    # the workspace root, a react-scripts front end and a library are not services; the
    # workspace packages a service depends on (through each other) run in it, its
    # development dependencies do not; a server listens on ``listen({port})``
    "npm": {
        (
            "api",
            "npm",
            (3000,),
            ("api",),
            ("packages/api", "packages/utils", "packages/search-client"),
            None,
        ),
        ("search", "npm", (4100,), ("search",), ("packages/search",), None),
        ("users", "npm", (4000,), ("users",), ("packages/users",), None),
    },
    # two main packages: each owns its cmd directory and the internal package named like it;
    # hack/ holds tools, not services
    "go": {
        ("checkout", "go", (5050,), ("checkout",), ("cmd/checkout", "internal/checkout"), None),
        ("frontend", "go", (8080,), ("frontend",), ("cmd/frontend", "internal/frontend"), None),
    },
    # payments' server is in app/: the Dockerfile above it builds it
    "python": {
        ("admin", "python", (), ("admin",), ("admin",), None),
        ("orders", "python", (8000,), ("orders",), ("services/orders",), None),
        ("payments", "python", (9000,), ("payments",), ("services/payments",), None),
    },
    # Shared.csproj is a library
    "dotnet": {
        ("basket-api", "dotnet", (), ("basket-api",), ("src/Basket.API",), None),
        ("catalog-api", "dotnet", (8080,), ("catalog-api",), ("src/Catalog.API",), None),
    },
    # parameters are not resources; a database is part of its server
    "aspire": {
        ("basket-api", "dotnet", (), ("basket-api",), ("Basket.API",), None),
        ("catalog-api", "dotnet", (8080,), ("catalog-api",), ("Catalog.API",), None),
        ("basketcache", "aspire-container", (6379,), ("basketcache",), (), "shop-apphost"),
        ("postgres", "aspire-container", (5432,), ("postgres",), (), "shop-apphost"),
        # WithPgAdmin() adds the pgAdmin container beside its server
        (
            "postgres-pgadmin",
            "aspire-container",
            (80,),
            ("postgres-pgadmin",),
            (),
            "shop-apphost",
        ),
        ("mail", "aspire-container", (1080,), ("mail",), (), "shop-apphost"),
        # a route added in a configuration callback is no resource
        ("bff", "aspire-container", (), ("bff",), (), "shop-apphost"),
        ("catalog-api", "aspire-project", (), ("catalog-api",), ("Catalog.API",), "shop-apphost"),
        ("basket-api", "aspire-project", (), ("basket-api",), ("Basket.API",), "shop-apphost"),
    },
    "shared-image": {("shared-image", "dockerfile", (), ("shared-image",), (".",), None)},
    # each add_executable is a unit: its listed sources (``${GEN_DIR}`` set in the parent
    # CMakeLists.txt; a variable nothing sets leaves its source out) and what they include;
    # a header no source includes (Unused.h) and a library are nobody's; the root
    # Dockerfile builds the targets below it, so it is no unit of its own
    "cmake": {
        (
            "ordersservice",
            "cmake",
            (),
            ("ordersservice",),
            (
                "src/orders/OrdersService.cpp",
                "gen/orders_types.cpp",
                "src/utils.h",
                "src/orders/OrdersHandler.h",
                "src/cache.h",
            ),
            None,
        ),
        (
            "paymentsservice",
            "cmake",
            (),
            ("paymentsservice",),
            ("src/payments/main.cpp", "src/utils.h", "src/cache.h"),
            None,
        ),
        ("loadgen", "cmake", (), ("loadgen",), ("tools/loadgen.cpp",), None),
    },
    # a package with two binaries: one unit each (its file and the modules it declares;
    # src/lib.rs is shared, nobody's); one binary: the package; the workspace root: none
    "cargo": {
        ("gateway", "cargo", (), ("gateway",), ("gateway",), None),
        (
            "orders-server",
            "cargo",
            (),
            ("orders", "orders-server"),
            ("shop/src/orders.rs", "shop/src/orders/handlers.rs"),
            None,
        ),
        ("payments", "cargo", (), ("payments",), ("shop/src/bin/payments.rs",), None),
    },
    # an application that starts a supervision tree (``mod:``) is a unit, named by its
    # ``app:``; a library, an umbrella's root and a commented-out ``mod:`` are not
    "mix": {
        ("hub-web", "mix", (), ("hub-web",), ("hub/apps/hub_web",), None),
        ("shop-api", "mix", (), ("shop-api",), ("shop_api",), None),
    },
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_units_of_each_ecosystem(case: str) -> None:
    assert _units(case) == EXPECTED[case]


def test_aspire_endpoints_come_from_launch_profiles_and_the_apphost() -> None:
    units, _ = find_units([str(UNITS / "aspire-endpoints")])
    assert {u.name: u.endpoints for u in units if u.host} == {
        # the first profile that runs the project (not IIS Express)
        "basket-api": (("http", 5221),),
        "admin": (("http", 5300),),  # AddProject("admin", "../Admin/Admin.csproj")
        "bff": (),
        "bus": (),
        "cache": (),
        # the AppHost's endpoint, then Kestrel's (its launch profile is then ignored)
        "orders-api": (("http", 6000), ("Grpc", 6001)),
        "pg": (),
        # the profile is chosen at run time: https; the AppHost's own endpoint first
        "web": (("admin", 7443), ("https", 7298), ("http", 5045)),
    }


def test_a_project_runs_its_profile_named_as_the_apphosts_own() -> None:
    """The AppHost runs its first profile (https): a project without a profile named in
    AddProject runs its own of that name, else its default."""
    units, _ = find_units([str(UNITS / "aspire-tools")])
    assert {u.name: u.endpoints for u in units if u.kind == "aspire-project"} == {
        "orders": (("https", 7100), ("http", 5100)),  # its default is http
        "web": (("https", 7200), ("http", 5200)),
        "worker": (("http", 5300),),  # AddProject("worker", "http") wins
        "reports": (("http", 5400),),  # no https profile: its first
    }


def test_a_bare_reference_asks_https_first_and_a_tool_names_its_port() -> None:
    units, _ = find_units([str(UNITS / "aspire-tools")])
    references = {(u.name, r.target, r.endpoint, r.port) for u in units for r in u.references}
    assert references == {
        ("orders", "pg", "https+http", None),  # WithReference(ordersDb): the server
        ("orders", "cache", "https+http", None),
        ("worker", "bus", "https+http", None),
        ("worker", "ai", "https+http", None),
        ("web", "orders", "https+http", None),
        ("web", "worker", "https+http", None),
        ("web", "reports", "https+http", None),
        ("reports", "reports-pg", "https+http", None),
        ("pg-pgadmin", "pg", None, None),
        ("pg-pgadmin", "reports-pg", None, None),
        ("pg-pgweb", "pg", None, None),
        ("pg-pgweb", "reports-pg", None, None),
        ("cache-ui", "cache", None, None),
        ("cache-commander", "cache", None, None),
        ("mongo-mongoexpress", "mongo", None, None),
        ("audit-mongoexpress", "audit", None, None),
        ("events-kafka-ui", "events", None, 9093),
    }
    env = {(u.name, e.name, e.value) for u in units for e in u.env}
    assert env == {
        ("orders", "ConnectionStrings__ordersdb", "postgres://pg:5432"),  # the database's name
        ("orders", "ConnectionStrings__cache", "redis://cache:6379"),
        ("worker", "ConnectionStrings__messaging", "rabbitmq://bus:5672"),  # connectionName
        ("worker", "ConnectionStrings__ai", "ollama://ai:11434"),
        ("reports", "ConnectionStrings__reports", "postgres://reports-pg:5432"),  # a variable
        ("web", "services__orders__https__0", "https://orders:7100"),
        ("web", "services__orders__http__0", "http://orders:5100"),
        ("web", "services__worker__http__0", "http://worker:5300"),
        ("web", "services__reports__http__0", "http://reports:5400"),
    }


def test_companion_calls_read_the_container_name_past_a_callback() -> None:
    from socklock.load.units.aspire_companions import COMPANIONS, companion_calls

    statement = (
        'pg.WithPgAdmin(c => c.WithHostPort(f(1)), containerName: "admin")'
        ".WithDataVolume().WithPgWeb()"
        '.WithRedisCommanderish(containerName: "no")'
    )
    assert [(c.method, c.name, c.at) for c in companion_calls(statement)] == [
        ("WithPgAdmin", "admin", 2),
        ("WithPgWeb", None, 82),
    ]
    (commander,) = companion_calls("redis.WithRedisCommander()")
    assert commander.companion == COMPANIONS["WithRedisCommander"]


def test_a_dotnet_service_includes_the_library_projects_it_references() -> None:
    units, _ = find_units([str(UNITS / "aspire-endpoints")])
    root = UNITS / "aspire-endpoints"
    assert {u.name: u.sources for u in units if u.kind == "dotnet"} == {
        "admin": (str(root / "Admin"),),
        "basket-api": (str(root / "Basket.API"), str(root / "Shared.Defaults")),
        "orders-api": (str(root / "Orders.API"), str(root / "Shared.Defaults")),
        "web": (str(root / "Web"),),
    }


def test_aspire_references_and_their_lines() -> None:
    units, _ = find_units([str(UNITS / "aspire")])
    program = str(UNITS / "aspire" / "Shop.AppHost" / "Program.cs")
    references = {
        (u.name, r.target, r.location.file, r.location.line, r.detail)
        for u in units
        for r in u.references
    }
    assert references == {
        ("catalog-api", "postgres", program, 10, "AppHost catalog-api.WithReference(catalogDb)"),
        ("basket-api", "basketcache", program, 14, "AppHost basket-api.WithReference(redis)"),
        ("basket-api", "catalog-api", program, 15, "AppHost basket-api.WithReference(catalog)"),
        ("bff", "catalog-api", program, 24, "AppHost YARP bff.AddRoute(catalog)"),
        (
            "postgres-pgadmin",
            "postgres",
            program,
            5,
            "AppHost postgres.WithPgAdmin(): postgres-pgadmin connects to postgres",
        ),
    }


def test_config_server_files_belong_to_the_service_they_are_named_after() -> None:
    units, _ = find_units([str(UNITS / "maven")])
    shared = UNITS / "maven" / "config" / "src" / "main" / "resources" / "shared"
    assert {u.name: u.config_files for u in units} == {
        "account-service": (str(shared / "account-service.yml"), str(shared / "application.yml")),
        "statistics-service": (
            str(shared / "statistics-service.yml"),
            str(shared / "application.yml"),
        ),
        "config": (),
        "gateway": (),
    }


@pytest.mark.parametrize(
    ("scripts", "server"),
    [
        ({"start": "node server.js"}, True),
        ({"start": "nodemon src/index.js"}, True),
        ({"start": "next start -p 3000"}, True),
        ({"start": "next dev"}, False),
        ({"start": "react-scripts start"}, False),
        ({"start": "ng serve"}, False),
        ({"start": "vite"}, False),
        ({"start": "cross-env NODE_ENV=production npm run serve", "serve": "node app.js"}, True),
        ({"start": "npm run dev", "dev": "webpack serve"}, False),
        ({"build": "tsc"}, False),
    ],
)
def test_which_start_scripts_start_a_server(scripts: dict[str, object], server: bool) -> None:
    assert _starts_server(scripts) is server


def test_a_broken_pom_is_a_warning_and_the_rest_is_read(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "pom.xml").write_text("<project><artifactId>x</project>\n")
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "package.json").write_text(
        '{"name": "ok", "scripts": {"start": "node a.js"}}'
    )
    units, problems = find_units([str(tmp_path)])
    assert [u.name for u in units] == ["ok"]
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'bad' / 'pom.xml'}:1:25: warning: pom.xml is not XML (mismatched tag); "
        "its module is skipped"
    ]


def test_test_fixtures_and_vendored_code_hold_no_units(tmp_path: Path) -> None:
    for folder in ("tests/app", "node_modules/x", "testdata/y"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "package.json").write_text('{"scripts": {"start": "node a.js"}}')
    assert find_units([str(tmp_path)]) == ([], [])


def test_maven_modules_by_profile_plugin_or_framework_main(tmp_path: Path) -> None:
    """The parent applies the Boot plugin in a profile: a module with a main is a service.
    Without any plugin, only a framework's application class makes one (a plain ``main`` is
    a tool). A ``docker/Dockerfile`` beside the modules builds them, it is no service."""
    plugin = "<plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin>"
    files = {
        "parent/pom.xml": (
            "<project><artifactId>parent</artifactId><packaging>pom</packaging><profiles>"
            f"<profile><build><plugins>{plugin}</plugins></build></profile></profiles></project>"
        ),
        "parent/svc/pom.xml": "<project><artifactId>svc</artifactId></project>",
        "parent/svc/src/main/java/A.java": "class A { public static void main(String[] a) {} }",
        "parent/docker/Dockerfile": "FROM eclipse-temurin\nARG ARTIFACT\n",
        "alone/pom.xml": "<project><artifactId>alone</artifactId></project>",
        "alone/src/main/java/B.java": "@SpringBootApplication class B {}",
        "tool/pom.xml": "<project><artifactId>tool</artifactId></project>",
        "tool/src/main/java/C.java": "class C { public static void main(String[] a) {} }",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    units, _ = find_units([str(tmp_path)])
    assert sorted((u.name, u.kind) for u in units) == [("alone", "maven"), ("svc", "maven")]


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_names_from_generic_directories_copies_and_scripts(tmp_path: Path) -> None:
    """``movie/cmd/main.go`` is movie; packages copied with one ``name`` are named by their
    directories; side-by-side Flask scripts are one service each."""
    start = '{"name": "movies-service", "scripts": {"start": "node index.js"}}'
    _tree(
        tmp_path,
        {
            "movie/go.mod": "module example.com/movie\n",
            "movie/cmd/main.go": "package main\n\nfunc main() {}\n",
            "booking/package.json": start,
            "payment/package.json": start,
            "services/__init__.py": "",
            "services/users.py": (
                "from flask import Flask\napp = Flask(__name__)\n"
                "if __name__ == '__main__':\n    app.run(port=5002)\n"
            ),
            "services/helpers.py": "from flask import Flask\n",
        },
    )
    units, _ = find_units([str(tmp_path)])
    assert sorted((u.name, u.kind, u.ports, u.names) for u in units) == [
        ("booking", "npm", (), ("booking", "movies-service")),
        ("movie", "go", (), ("cmd", "movie")),
        ("payment", "npm", (), ("movies-service", "payment")),
        ("users", "python", (5002,), ("users",)),
    ]


def test_go_module_of_one_program_below_its_root_names_it(tmp_path: Path) -> None:
    """``orders-service/cmd/api/main.go``, the module's only program, is the service the
    module's directory and module path name (``api`` names none); of a module with two
    programs, neither takes the module's names."""
    main = "package main\n\nfunc main() {}\n"
    _tree(
        tmp_path,
        {
            "orders-service/go.mod": "module orders\n",
            "orders-service/cmd/api/main.go": main,
            "billing-service/go.mod": "module example.com/shop/billing\n",
            "billing-service/cmd/api/main.go": main,
            "tools/go.mod": "module example.com/tools\n",
            "tools/cmd/seed/main.go": main,
            "tools/cmd/migrate/main.go": main,
        },
    )
    units, _ = find_units([str(tmp_path)])
    assert sorted((u.name, u.names) for u in units) == [
        (
            "billing-service-cmd-api",
            ("api", "billing", "billing-service", "billing-service-cmd-api"),
        ),
        ("migrate", ("migrate",)),
        ("orders-service-cmd-api", ("api", "orders", "orders-service", "orders-service-cmd-api")),
        ("seed", ("seed",)),
    ]


def test_build_dependencies_of_maven_and_gradle_modules(tmp_path: Path) -> None:
    """A module's dependencies are its own and its parents' ``<dependencies>`` (not the
    parents' ``<dependencyManagement>``); Gradle's are its ``dependencies`` block and its
    parents' ``subprojects`` blocks; a module of the same tree it depends on (``common``,
    ``project(':lib')``) adds its own. A property naming a Dockerfile directory outside the
    module (``${basedir}/../docker``) says which Dockerfile builds it."""
    boot = (
        "<build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin>"
        "</plugins></build>"
    )
    _tree(
        tmp_path,
        {
            "shop/pom.xml": (
                "<project><artifactId>shop</artifactId><packaging>pom</packaging>"
                "<dependencies><dependency><artifactId>spring-cloud-starter-config</artifactId>"
                "</dependency></dependencies><dependencyManagement><dependencies><dependency>"
                "<artifactId>spring-cloud-dependencies</artifactId></dependency></dependencies>"
                "</dependencyManagement></project>"
            ),
            "shop/orders/pom.xml": (
                "<project><artifactId>orders</artifactId><properties>"
                "<docker.image.dockerfile.dir>${basedir}/../docker</docker.image.dockerfile.dir>"
                "</properties><dependencies><dependency><groupId>org.springframework.cloud"
                "</groupId><artifactId>spring-cloud-starter-netflix-eureka-client</artifactId>"
                f"</dependency></dependencies>{boot}</project>"
            ),
            "shop/docker/Dockerfile": "FROM eclipse-temurin:21\n",
            "shop/billing/pom.xml": (
                "<project><artifactId>billing</artifactId><dependencies><dependency>"
                f"<artifactId>common</artifactId></dependency></dependencies>{boot}</project>"
            ),
            # a library of the same tree: what billing depends on through it counts too
            "shop/common/pom.xml": (
                "<project><artifactId>common</artifactId><dependencies><dependency>"
                "<artifactId>spring-boot-starter-amqp</artifactId></dependency></dependencies>"
                "</project>"
            ),
            "yard/lib/build.gradle": (
                "dependencies { implementation 'org.springframework.kafka:spring-kafka' }\n"
            ),
            "yard/build.gradle": (
                "plugins { id 'org.springframework.boot' version '3.2.0' apply false }\n"
                "subprojects {\n  dependencies {\n"
                "    implementation 'org.springframework.cloud:spring-cloud-starter-zipkin'\n"
                "  }\n}\n"
            ),
            "yard/stock/build.gradle": (
                "plugins { id 'org.springframework.boot' }\n"
                "dependencies {\n"
                "    implementation('org.springframework.boot:spring-boot-starter-amqp:3.2.0')\n"
                "    implementation project(':lib')\n"
                "    compile group: 'org.springframework.cloud',\n"
                "        name: 'spring-cloud-starter-config'\n"
                "}\n"
            ),
        },
    )
    units, _ = find_units([str(tmp_path)])
    assert {
        (u.name, u.dependencies, tuple(os.path.relpath(d, tmp_path) for d in u.dockerfiles))
        for u in units
    } == {
        (
            "orders",
            ("spring-cloud-starter-config", "spring-cloud-starter-netflix-eureka-client"),
            ("shop/docker/Dockerfile",),
        ),
        (
            "billing",
            ("common", "spring-boot-starter-amqp", "spring-cloud-starter-config"),
            (),
        ),
        (
            "stock",
            (
                "spring-boot-starter-amqp",
                "spring-cloud-starter-config",
                "spring-cloud-starter-zipkin",
                "spring-kafka",
            ),
            (),
        ),
    }


def test_a_dotnet_services_dependencies_are_its_and_its_libraries_packages(
    tmp_path: Path,
) -> None:
    (tmp_path / "Api").mkdir()
    (tmp_path / "Shared").mkdir()
    (tmp_path / "Api" / "Api.csproj").write_text(
        '<Project Sdk="Microsoft.NET.Sdk.Web"><ItemGroup>'
        '<PackageReference Include="Azure.Storage.Queues" Version="12.0.0" />'
        '<ProjectReference Include="..\\Shared\\Shared.csproj" />'
        "</ItemGroup></Project>",
        encoding="utf-8",
    )
    (tmp_path / "Shared" / "Shared.csproj").write_text(
        '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup>'
        '<PackageReference Include="Npgsql" Version="8.0.0" />'
        '<PackageReference Include="Azure.Storage.Queues" Version="12.0.0" />'
        "</ItemGroup></Project>",
        encoding="utf-8",
    )
    units, _ = find_units([str(tmp_path)])
    assert {u.name: u.dependencies for u in units if u.kind == "dotnet"} == {
        "api": ("Azure.Storage.Queues", "Npgsql")
    }


_SERVER = 'require("http").createServer().listen(3000);\n'


def test_a_unit_is_named_by_the_workload_its_own_chart_runs(tmp_path: Path) -> None:
    """Peers call a service by the name its chart deploys it under, not its package's."""
    package = '{"name": "%s", "scripts": {"start": "node server.js"}}'
    deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: %s\n  labels: {}\n"
    service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n"
    _write(
        tmp_path,
        {
            "catalog/package.json": package % "movies-api",
            "catalog/server.js": _SERVER,
            "catalog/chart/Chart.yaml": "name: movies-catalog\n",
            "catalog/chart/templates/deployment.yaml": (
                deployment % "catalog" + "---\n" + service % "catalog-svc"
            ),
            # the release names it: the package's name stays
            "orders/package.json": package % "orders-app",
            "orders/server.js": _SERVER,
            "orders/helm/Chart.yaml": "name: orders\n",
            "orders/helm/templates/app.yaml": deployment % "{{ .Release.Name }}",
            # two workloads: no one name
            "users/package.json": package % "users-app",
            "users/server.js": _SERVER,
            "users/chart/Chart.yaml": "name: users\n",
            "users/chart/templates/a.yaml": deployment % "users-api",
            "users/chart/templates/b.yaml": deployment % "users-worker",
            # a chart that is no unit's own (no chart directory of the unit)
            "web/package.json": package % "web-app",
            "web/server.js": _SERVER,
            "web/templates/deployment.yaml": deployment % "frontend",
        },
    )
    units, problems = find_units([str(tmp_path)])
    assert problems == []
    assert sorted((u.name, u.names) for u in units) == [
        ("catalog", ("catalog", "movies-api")),
        ("orders-app", ("orders", "orders-app")),
        ("users-app", ("users", "users-app")),
        ("web-app", ("web", "web-app")),
    ]


def test_a_dockerfile_in_docker_that_copies_through_its_folder_builds_the_repository(
    tmp_path: Path,
) -> None:
    """``docker/Dockerfile`` with ``COPY ./docker/entrypoint.sh``: built with the repository
    as context (``-f docker/Dockerfile .``), so the repository is the unit's source; one
    that copies only its own files builds its folder."""
    root = tmp_path / "tracks"
    _tree(
        root,
        {
            "app/models/point.rb": "class Point; end\n",
            "docker/Dockerfile": "FROM ruby:3\nCOPY ../Gemfile ./\nCOPY ./docker/run.sh /run.sh\n",
            "docker/run.sh": "#!/bin/sh\nexec rails server\n",
        },
    )
    units, _ = find_units([str(root)])
    assert [(u.name, u.sources) for u in units] == [("tracks", (str(root),))]
    (root / "docker" / "Dockerfile").write_text("FROM ruby:3\nCOPY run.sh /run.sh\n")
    units, _ = find_units([str(root)])
    assert [(u.name, u.sources) for u in units] == [("tracks", (str(root / "docker"),))]


_APPHOST_PROJECT = (
    '<Project Sdk="Microsoft.NET.Sdk"><Sdk Name="Aspire.AppHost.Sdk" Version="9.0.0" />'
    "<PropertyGroup><IsAspireHost>true</IsAspireHost></PropertyGroup></Project>"
)


def test_aspire_resources_added_by_helper_classes(tmp_path: Path) -> None:
    """An AppHost whose Program.cs hands the builder to static helpers in other files: each
    helper's parameters are the caller's resources, and what it returns is the variable's."""
    _write(
        tmp_path,
        {
            "Host/Host.csproj": _APPHOST_PROJECT,
            "Orders.Api/Orders.Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>',
            "Host/Program.cs": (
                "IDistributedApplicationBuilder builder =\n"
                "    DistributedApplication.CreateBuilder(args);\n"
                "IResourceBuilder<RedisResource> cache = Infra.AddCache(builder);\n"
                "var orders = Apps.AddOrders(builder, cache);\n"
                "Unused.AddNothing(orders);\n"  # no builder given: not a helper of the AppHost
                "builder.Build().Run();\n"
            ),
            "Host/Resources/Infra.cs": (
                "public static class Infra {\n"
                "    public static IResourceBuilder<RedisResource> AddCache(\n"
                "        IDistributedApplicationBuilder b)\n"
                "    {\n"
                '        return b.AddRedis("cache");\n'
                "    }\n"
                "}\n"
            ),
            "Host/Resources/Apps.cs": (
                "public static class Apps {\n"
                "    public static IResourceBuilder<ProjectResource> AddOrders(\n"
                "        IDistributedApplicationBuilder builder,\n"
                "        IResourceBuilder<RedisResource> redis)\n"
                "    {\n"
                '        return builder.AddProject<Projects.Orders_Api>("orders")\n'
                "            .WithReference(redis);\n"
                "    }\n"
                "}\n"
            ),
            "Host/Resources/Unused.cs": (
                "public static class Unused {\n"
                "    public static void AddNothing(IResourceBuilder<ProjectResource> p) {\n"
                '        p.WithEnvironment("X", "y");\n'
                "    }\n"
                "}\n"
            ),
        },
    )
    units, _ = find_units([str(tmp_path)])
    apps = str(tmp_path / "Host" / "Resources" / "Apps.cs")
    assert {
        (u.name, u.host, tuple(os.path.relpath(s, tmp_path) for s in u.sources))
        for u in units
        if u.host is not None
    } == {("cache", "host", ()), ("orders", "host", ("Orders.Api",))}
    assert {
        (u.name, r.target, r.location.file, r.location.line) for u in units for r in u.references
    } == {("orders", "cache", apps, 7)}
    orders = next(u for u in units if u.name == "orders" and u.host is not None)
    assert [(e.name, e.value) for e in orders.env] == [
        ("ConnectionStrings__cache", "redis://cache:6379")
    ]


def test_aspire_preview_server_containers_serve_on_their_usual_ports(tmp_path: Path) -> None:
    """Aspire 8 previews spelled the hosting calls ``AddRedisContainer``/
    ``AddRabbitMQContainer``: the same servers, on 6379 and 5672; a plain ``AddContainer``
    is an image of unknown kind."""
    _write(
        tmp_path,
        {
            "Host/Host.csproj": _APPHOST_PROJECT,
            "Orders.Api/Orders.Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>',
            "Host/Program.cs": (
                "var builder = DistributedApplication.CreateBuilder(args);\n"
                'var bus = builder.AddRabbitMQContainer("bus", password: "pw");\n'
                'var cache = builder.AddRedisContainer("cache");\n'
                'var box = builder.AddContainer("box", "org/box");\n'
                'builder.AddProject<Projects.Orders_Api>("orders")\n'
                "    .WithReference(bus).WithReference(cache).WithReference(box);\n"
                "builder.Build().Run();\n"
            ),
        },
    )
    units, _ = find_units([str(tmp_path)])
    orders = next(u for u in units if u.name == "orders" and u.host is not None)
    assert sorted((e.name, e.value) for e in orders.env) == [
        ("ConnectionStrings__bus", "rabbitmq://bus:5672"),
        ("ConnectionStrings__cache", "redis://cache:6379"),
    ]


def test_sbt_projects_by_packaging_or_main_named_by_their_docker_package(tmp_path: Path) -> None:
    app = "object Main extends App {\n  println(1)\n}\n"
    _tree(
        tmp_path,
        {
            "ledger/build.sbt": (
                'enablePlugins(JavaAppPackaging)\nname := "ledger"\n'
                'Docker / packageName := "ledgersvc"\n'
            ),
            "tally/build.sbt": 'name := "tally"\n',
            "tally/src/main/scala/Main.scala": app,
            "helpers/build.sbt": 'name := "helpers"\n',  # a library: nothing runs it
            "multi/build.sbt": (
                'lazy val api = (project in file("api")).settings(name := "api")\n'
                'lazy val worker = project.in(file("worker")).settings(name := "worker")\n'
            ),
            "multi/api/src/main/scala/Main.scala": app,
        },
    )
    units, _ = find_units([str(tmp_path)])
    found = {(u.name, u.kind, u.image, u.names) for u in units if u.kind == "sbt"}
    assert found == {
        ("ledgersvc", "sbt", "ledgersvc", ("ledger", "ledgersvc")),
        ("tally", "sbt", "tally", ("tally",)),
        ("api", "sbt", "api", ("api",)),  # worker has no main: a library
    }


def test_each_project_of_a_multi_project_sbt_build(tmp_path: Path) -> None:
    """Each project's own definition says whether it runs: a main (``extends App``), a Play
    or packaging plugin, a ``mainClass``; its ``name`` (else its id) names it. A library
    project, the aggregating root and an example project with a main are none."""
    app = "object Main extends App {\n  println(1)\n}\n"
    _tree(
        tmp_path,
        {
            "build.sbt": (
                'name := "shop"\n'
                'lazy val root = (project in file(".")).aggregate(common, `order-api`, web)\n'
                'lazy val common = (project in file("common")).settings(commonSettings: _*)\n'
                'lazy val `order-api` = (project in file("orders")).dependsOn(common)\n'
                "  .settings(commonSettings: _*)\n"
                'lazy val web = (project in file("web")).enablePlugins(PlayScala)\n'
                "lazy val billing = project\n"
                '  .settings(name := "billing-svc", Compile / mainClass := Some("b.Main"))\n'
                'lazy val demo = project.in(file("examples/demo"))\n'
                'lazy val commonSettings = Seq(scalaVersion := "2.13.12")\n'
                "fork in run := true\n"
            ),
            "common/src/main/scala/Util.scala": "object Util { def twice(x: Int) = 2 * x }\n",
            "orders/src/main/scala/Main.scala": app,
            "web/app/controllers/Home.scala": "class Home\n",
            "web/conf/application.conf": "play.http.secret.key = x\n",
            "billing/src/main/scala/b/Main.scala": "package b\nclass Main\n",
            "examples/demo/src/main/scala/Demo.scala": app,
            "src/main/scala/Nothing.scala": "object Nothing\n",
        },
    )
    units, _ = find_units([str(tmp_path)])
    found = {(u.name, os.path.relpath(u.sources[0], tmp_path), u.names) for u in units}
    assert found == {
        ("order-api", "orders", ("order-api", "orders")),
        ("web", "web", ("web",)),
        ("billing-svc", "billing", ("billing", "billing-svc")),
    }


def test_jvm_modules_that_package_or_start_a_server_without_a_framework_plugin(
    tmp_path: Path,
) -> None:
    """A Maven or Gradle module is a service when its build names a main for a runnable jar
    (shade's ``Main-Verticle``, a parent's managed shade config, a ``main.verticle``
    property, ``exec:java``'s ``mainClass``, the Vert.x plugins, Gradle's ``mainClassName``
    or a ``Main-Class`` manifest) or when its main starts a server itself
    (``Vertx.vertx()``). A plain main (a tool), a library, an ``exec`` run bound to a build
    phase (a generator) and a server main in an example's folder are none."""
    shade = (
        "<build><plugins><plugin><artifactId>maven-shade-plugin</artifactId><executions>"
        "<execution><configuration><transformers><transformer><manifestEntries>"
        "<Main-Verticle>a.Api</Main-Verticle></manifestEntries></transformer></transformers>"
        "</configuration></execution></executions></plugin></plugins></build>"
    )
    managed = (
        "<build><pluginManagement><plugins><plugin><artifactId>maven-jar-plugin</artifactId>"
        "<configuration><archive><manifest><mainClass>${main.class}</mainClass></manifest>"
        "</archive></configuration></plugin></plugins></pluginManagement></build>"
    )
    generator = (
        "<build><plugins><plugin><artifactId>exec-maven-plugin</artifactId><executions>"
        "<execution><phase>generate-sources</phase><configuration><mainClass>g.Gen"
        "</mainClass></configuration></execution></executions></plugin></plugins></build>"
    )
    vertx_main = (
        "public class Server { public static void main(String[] a) {"
        " Vertx vertx = Vertx.vertx(); vertx.deployVerticle(new Server()); } }"
    )
    tool = "class Tool { public static void main(String[] a) { System.out.println(1); } }"
    _tree(
        tmp_path,
        {
            "pom.xml": (
                "<project><artifactId>parent</artifactId><packaging>pom</packaging>"
                f"{managed}</project>"
            ),
            "api/pom.xml": f"<project><artifactId>api</artifactId>{shade}</project>",
            "jar/pom.xml": (
                "<project><artifactId>jar</artifactId><build><plugins><plugin>"
                "<artifactId>maven-jar-plugin</artifactId></plugin></plugins></build></project>"
            ),
            "verticle/pom.xml": (
                "<project><artifactId>verticle</artifactId>"
                "<properties><main.verticle>v.Main</main.verticle></properties></project>"
            ),
            "vertx/pom.xml": (
                "<project><artifactId>vertx</artifactId><build><plugins><plugin>"
                "<artifactId>vertx-maven-plugin</artifactId></plugin></plugins></build></project>"
            ),
            "server/pom.xml": "<project><artifactId>server</artifactId></project>",
            "server/src/main/java/Server.java": vertx_main,
            "tool/pom.xml": "<project><artifactId>tool</artifactId></project>",
            "tool/src/main/java/Tool.java": tool,
            "gen/pom.xml": f"<project><artifactId>gen</artifactId>{generator}</project>",
            "lib/pom.xml": "<project><artifactId>lib</artifactId></project>",
            "lib/src/main/java/Lib.java": "class Lib { Vertx v = Vertx.vertx(); }",
            "examples/pom.xml": "<project><artifactId>demo</artifactId></project>",
            "examples/src/main/java/Server.java": vertx_main,
            "kt/ticket/build.gradle": "apply plugin: 'kotlin'\nmainClassName = 'ticket.AppKt'\n",
            "kt/fat/build.gradle.kts": (
                'tasks.jar {\n  manifest { attributes("Main-Class" to "f.MainKt") }\n}\n'
            ),
            "kt/vx/build.gradle.kts": 'plugins {\n  id("io.vertx.vertx-plugin")\n}\n',
            "kt/common/build.gradle": "dependencies {\n  compile 'io.vertx:vertx-core:4.5.0'\n}\n",
            "kt/common/src/main/kotlin/Web.kt": "class Web { val vertx = Vertx.vertx() }\n",
        },
    )
    units, _ = find_units([str(tmp_path)])
    assert sorted((u.name, u.kind) for u in units) == [
        ("api", "maven"),
        ("fat", "gradle"),
        ("jar", "maven"),
        ("server", "maven"),
        ("ticket", "gradle"),
        ("verticle", "maven"),
        ("vertx", "maven"),
        ("vx", "gradle"),
    ]


def test_a_mix_application_depends_on_the_packages_it_lists() -> None:
    units, _ = find_units([str(UNITS / "mix")])
    assert {u.name: u.dependencies for u in units} == {
        "hub-web": ("hub_core", "phoenix"),
        "shop-api": ("amqp", "ecto_sql", "postgrex"),
    }


def test_a_maven_module_inherits_the_dependencies_of_its_declared_parent_chain(
    tmp_path: Path,
) -> None:
    """``<parent>`` with a ``<relativePath>`` to a chassis pom beside the module (not in a
    directory above it) passes on that pom's ``<dependencies>`` and its own parent's; a
    parent the input does not hold (``spring-boot-starter-parent``), or a relativePath to a
    pom of another artifactId, adds nothing."""
    boot = (
        "<build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin>"
        "</plugins></build>"
    )

    def parent(artifact: str, relative: str | None = None) -> str:
        where = f"<relativePath>{relative}</relativePath>" if relative else ""
        return f"<parent><artifactId>{artifact}</artifactId>{where}</parent>"

    def dependency(artifact: str) -> str:
        listed = f"<dependency><artifactId>{artifact}</artifactId></dependency>"
        return f"<dependencies>{listed}</dependencies>"

    _tree(
        tmp_path,
        {
            "base/cloud/pom.xml": (
                f"<project>{parent('spring-boot-starter-parent')}<artifactId>cloud</artifactId>"
                f"<packaging>pom</packaging>{dependency('spring-cloud-starter-sleuth')}</project>"
            ),
            "base/service/pom.xml": (
                f"<project>{parent('cloud', '../cloud/pom.xml')}<artifactId>service</artifactId>"
                "<packaging>pom</packaging>"
                f"{dependency('spring-cloud-starter-netflix-eureka-client')}</project>"
            ),
            "services/orders/pom.xml": (
                f"<project>{parent('service', '../../base/service/pom.xml')}"
                f"<artifactId>orders</artifactId>{dependency('spring-boot-starter-amqp')}"
                f"{boot}</project>"
            ),
            # the relativePath holds another artifact: not its parent (no other pom is one)
            "services/billing/pom.xml": (
                f"<project>{parent('elsewhere', '../../base/service/pom.xml')}"
                f"<artifactId>billing</artifactId>{boot}</project>"
            ),
            # no relativePath: the one pom of the input with that artifactId
            "services/stock/pom.xml": (
                f"<project>{parent('cloud')}<artifactId>stock</artifactId>{boot}</project>"
            ),
        },
    )
    units, _ = find_units([str(tmp_path)])
    assert {(u.name, u.dependencies) for u in units} == {
        (
            "orders",
            (
                "spring-boot-starter-amqp",
                "spring-cloud-starter-netflix-eureka-client",
                "spring-cloud-starter-sleuth",
            ),
        ),
        ("billing", ()),
        ("stock", ("spring-cloud-starter-sleuth",)),
    }


def test_the_root_of_a_gradle_multi_project_build_is_no_service(tmp_path: Path) -> None:
    """``plugins { id 'org.springframework.boot' }`` in the root build, above the
    ``allprojects`` block that applies it to the projects its settings ``include``: the
    root has no sources of its own and runs nothing. A build of one project (its settings
    include none) is its own service."""
    boot = "plugins {\n  id 'org.springframework.boot' version '3.2.0'\n}\n"
    _tree(
        tmp_path,
        {
            "shop/settings.gradle": "rootProject.name = 'shop'\ninclude 'orders'\n",
            "shop/build.gradle": boot
            + "allprojects {\n  apply plugin: 'org.springframework.boot'\n}\n",
            "shop/orders/build.gradle": "dependencies {}\n",
            "shop/orders/src/main/kotlin/App.kt": "@SpringBootApplication\nclass App\n",
            "single/settings.gradle": "rootProject.name = 'single'\n",
            "single/build.gradle": boot,
        },
    )
    units, _ = find_units([str(tmp_path)])
    assert sorted((u.name, os.path.relpath(u.sources[0], tmp_path)) for u in units) == [
        ("orders", "shop/orders"),
        ("single", "single"),
    ]


def test_quarkus_applied_to_subprojects_makes_each_one_with_its_config_an_application(
    tmp_path: Path,
) -> None:
    """``subprojects { apply(plugin = "io.quarkus") }`` in the root build: a Quarkus
    application needs no main class, so a subproject with Quarkus's own config
    (``src/main/resources/application.yml``) is one; a subproject without it (a library
    the plugin is applied to as well) is none."""
    _tree(
        tmp_path,
        {
            "shop/settings.gradle.kts": 'include(":web")\ninclude(":model")\n',
            "shop/build.gradle.kts": (
                'plugins {\n  id("io.quarkus")\n}\n'
                'subprojects {\n  apply(plugin = "java")\n  apply(plugin = "io.quarkus")\n}\n'
            ),
            "shop/web/build.gradle.kts": "dependencies {}\n",
            "shop/web/src/main/kotlin/Api.kt": '@Path("/users")\nclass Api\n',
            "shop/web/src/main/resources/application.yml": "quarkus:\n  http:\n    port: 8085\n",
            "shop/model/build.gradle.kts": "dependencies {}\n",
            "shop/model/src/main/kotlin/User.kt": "data class User(val id: Long)\n",
        },
    )
    units, _ = find_units([str(tmp_path)])
    assert sorted((u.name, u.ports) for u in units) == [("web", (8085,))]


def test_a_program_keeps_its_name_over_the_dockerfile_of_its_database(tmp_path: Path) -> None:
    """``micro/orders`` (a Maven module named orders) and ``db/micro/orders/Dockerfile``
    (its database's image, named orders by its folder): the program keeps ``orders``, the
    Dockerfile is named by its path; two Maven modules of one name are both renamed."""
    _tree(
        tmp_path,
        {
            "micro/orders/pom.xml": _quarkus_pom("orders"),
            "db/micro/orders/Dockerfile": "FROM postgres:16\nCOPY init.sql /initdb/\n",
            "v1/stock/pom.xml": _quarkus_pom("stock"),
            "v2/stock/pom.xml": _quarkus_pom("stock"),
        },
    )
    units, _ = find_units([str(tmp_path)])
    assert sorted((u.name, u.kind) for u in units) == [
        ("db-micro-orders", "dockerfile"),
        ("orders", "maven"),
        ("v1-stock", "maven"),
        ("v2-stock", "maven"),
    ]


def _quarkus_pom(name: str) -> str:
    return (
        f"<project><artifactId>{name}</artifactId><build><plugins><plugin>"
        "<artifactId>quarkus-maven-plugin</artifactId></plugin></plugins></build></project>"
    )
