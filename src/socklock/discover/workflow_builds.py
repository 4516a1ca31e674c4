"""GitHub workflows that build images: which directory builds the image a deployment runs.

A repository that publishes its images from CI says where each is built in the step that
pushes it: ``uses: docker/build-push-action`` ``with: {context: images/php/8.3, tags:
"shop/php:8.3-fpm"}``. A compose service or Kubernetes container running that image (with
no ``build:`` of its own) runs that directory's code, as with a ``docker build -t`` line in
a script (:mod:`socklock.discover.build_scripts`, whose consumers read these too). The
context is relative to the repository's top (the directory holding ``.github``); a step
without one builds the top. A tag or context with a ``${{ }}`` expression is left out.
"""

# ruff: noqa: PTH100, PTH112, PTH118, PTH123, PTH208
# (string paths, as the walk gives them)

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping

MAX_WORKFLOW_BYTES = 256 * 1024
_ACTION = "docker/build-push-action"
_SPLIT = re.compile(r"[\n,]")


def workflow_builds(roots: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(image as tagged, absolute context directory) of every build-push step of the
    workflows of each root (its ``.github/workflows``), in file order."""
    for root in roots:
        top = os.path.abspath(root)
        directory = os.path.join(top, ".github", "workflows")
        if not os.path.isdir(directory):
            continue
        for name in sorted(os.listdir(directory)):
            if name.endswith((".yml", ".yaml")):
                yield from _steps(os.path.join(directory, name), top)


def _steps(path: str, top: str) -> Iterator[tuple[str, str]]:
    import yaml

    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_WORKFLOW_BYTES)
        if _ACTION.encode() not in data:
            return
        workflow = yaml.safe_load(data.decode("utf-8", "replace"))
    except (OSError, yaml.YAMLError):
        return
    jobs = workflow.get("jobs") if isinstance(workflow, Mapping) else None
    for job in jobs.values() if isinstance(jobs, Mapping) else ():
        steps = job.get("steps") if isinstance(job, Mapping) else None
        for step in steps if isinstance(steps, list) else ():
            if not isinstance(step, Mapping) or not str(step.get("uses", "")).startswith(_ACTION):
                continue
            settings = step.get("with")
            if not isinstance(settings, Mapping):
                continue
            context = str(settings.get("context") or ".")
            tags = settings.get("tags")
            if "${{" in context or "://" in context or not isinstance(tags, str):
                continue
            directory = os.path.normpath(os.path.join(top, context))
            for written in _SPLIT.split(tags):
                tag = written.strip()
                if tag and "$" not in tag and not any(c.isspace() for c in tag):
                    yield tag, directory
