"""``celery -A proj.worker.app worker`` names its app as ``module.attribute``: the module
``proj/worker.py`` is the worker's entry point. With it known, an API server and a worker of
one image each run the modules their entry point imports: the broker URL both import from a
constants module is a call of both, and a module only the API imports is not the worker's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files

from socklock.discover import discover
from socklock.discover.entrypoints import entry_paths
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

COMPOSE = """\
services:
  api:
    build: .
    command: ["sh", "-c", "uvicorn proj.app:app --port 8000"]
  worker:
    build: .
    command: ["sh", "-c", "celery -A proj.jobs.worker.celery worker"]
  rabbitmq:
    image: rabbitmq:3
  redis:
    image: redis:7
  search:
    image: elasticsearch:8.13.0
"""
CONSTANTS = """\
BROKER = 'amqp://guest:guest@rabbitmq:5672/'
BACKEND = 'redis://redis:6379/0'
"""
START = """\
from celery import Celery
from proj.constants import BROKER, BACKEND

celery = Celery('tasks', broker=BROKER, backend=BACKEND)
"""
WORKER = """\
from proj.jobs.start import celery


@celery.task(name='predict')
def predict(text):
    return text
"""
APP = """\
from fastapi import FastAPI
from proj.jobs.start import celery
from proj.search import SEARCH_URL

app = FastAPI()


@app.post('/predict')
def predict(text: str):
    return celery.send_task('predict', args=[text]).get(timeout=30)
"""
SEARCH = "SEARCH_URL = 'http://search:9200/'\n"


def _app(root: Path) -> Path:
    return write_files(
        root,
        {
            "compose.yaml": COMPOSE,
            "Dockerfile": "FROM python:3.12\nCOPY . /app\n",
            "proj/__init__.py": "",
            "proj/constants.py": CONSTANTS,
            "proj/search.py": SEARCH,
            "proj/app.py": APP,
            "proj/jobs/__init__.py": "",
            "proj/jobs/start.py": START,
            "proj/jobs/worker.py": WORKER,
        },
    )


def test_a_module_attribute_names_the_module(tmp_path: Path) -> None:
    _app(tmp_path)
    assert entry_paths("proj.jobs.worker.celery", tmp_path) == [
        (tmp_path / "proj" / "jobs" / "worker.py").resolve()
    ]
    assert entry_paths("proj.jobs", tmp_path) == [(tmp_path / "proj" / "jobs").resolve()]


def test_a_name_whose_module_is_no_file_names_nothing(tmp_path: Path) -> None:
    _app(tmp_path)
    assert entry_paths("proj.missing.celery", tmp_path) == []
    assert entry_paths("tasks.celery", tmp_path) == []


def test_each_entry_point_calls_what_it_imports(tmp_path: Path) -> None:
    _app(tmp_path)
    graph = discover(load_paths([str(tmp_path)]))
    p = tmp_path.name
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        (f"{p}/api", f"{p}/rabbitmq", 5672),
        (f"{p}/api", f"{p}/redis", 6379),
        (f"{p}/api", f"{p}/search", 9200),
        (f"{p}/worker", f"{p}/rabbitmq", 5672),
        (f"{p}/worker", f"{p}/redis", 6379),
    }
