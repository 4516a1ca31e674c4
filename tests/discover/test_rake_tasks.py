"""A Ruby class only Rake tasks name runs in the service whose command runs such a task:
one Rails image as a web server and as a consumer task, the consumer's calls are not the
web server's. A class other Ruby code names (a controller) runs anywhere."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files

from socklock.discover import discover
from socklock.discover.rake_tasks import runs_task, task_names
from socklock.load import load_paths

RAKE = """\
namespace :consumers do
  desc "Start the consumers"
  task orders_count: :environment do
    Events::OrderConsumer.new.start
  end
end

task :standalone do
  puts "x"
end
"""
CONSUMER = """\
module Events
  class OrderConsumer
    def start
      @url = ENV.fetch("AUDIT_URL", "http://localhost:9000")
      Net::HTTP.get(URI(@url))
    end
  end
end
"""
CLIENT = """\
class CatalogClient
  def fetch
    Net::HTTP.get(URI(ENV.fetch("CATALOG_URL", "http://localhost:8000")))
  end
end
"""
CONTROLLER = "class ItemsController\n  def index\n    CatalogClient.new.fetch\n  end\nend\n"
COMPOSE = """\
services:
  web:
    build: ./app
    environment: {AUDIT_URL: 'http://audit:9000', CATALOG_URL: 'http://catalog:8000'}
  consumer:
    build: ./app
    command: ["bin/rails", "consumers:orders_count"]
    environment: {AUDIT_URL: 'http://audit:9000', CATALOG_URL: 'http://catalog:8000'}
  audit: {image: acme/audit, expose: ['9000']}
  catalog: {image: acme/catalog, expose: ['8000']}
"""


def _app(root: Path) -> None:
    write_files(
        root,
        {
            "compose.yaml": COMPOSE,
            "app/Dockerfile": 'FROM ruby:3.3\nCOPY . .\nCMD ["bin/rails", "server"]\n',
            "app/config/application.rb": "module App\n  class Application\n  end\nend\n",
            "app/lib/tasks/consumers.rake": RAKE,
            "app/app/services/events/order_consumer.rb": CONSUMER,
            "app/app/services/catalog_client.rb": CLIENT,
            "app/app/controllers/items_controller.rb": CONTROLLER,
            "app/spec/order_consumer_spec.rb": "RSpec.describe Events::OrderConsumer do\nend\n",
        },
    )


def test_the_tasks_that_alone_load_a_class(tmp_path: Path) -> None:
    _app(tmp_path)
    services = tmp_path / "app" / "app" / "services"
    assert task_names(str(services / "events" / "order_consumer.rb")) == frozenset(
        {"consumers:orders_count", "standalone"}
    )
    assert task_names(str(services / "catalog_client.rb")) is None  # a controller names it
    assert task_names(str(tmp_path / "app" / "lib" / "tasks" / "consumers.rake")) is None
    tasks = frozenset({"consumers:orders_count"})
    assert [
        runs_task(line, tasks)
        for line in (
            ["bin/rails", "consumers:orders_count"],
            ["rake", '"consumers:orders_count[10]"'],
            ["bin/rails", "server"],
            [],
        )
    ] == [True, True, False, False]


def test_a_task_only_class_calls_from_the_service_running_the_task(tmp_path: Path) -> None:
    _app(tmp_path)
    p = tmp_path.name
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        (f"{p}/web", f"{p}/catalog", 8000),
        (f"{p}/consumer", f"{p}/catalog", 8000),
        (f"{p}/consumer", f"{p}/audit", 9000),
    }
