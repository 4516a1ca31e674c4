"""Images should declare a ``HEALTHCHECK``.

## What it does
Checks that the final stage has a `HEALTHCHECK` instruction other than `HEALTHCHECK NONE`.

## Why is this bad?
Without a health check, Docker and Compose only know whether the process exists, not
whether it serves: a hung service keeps receiving traffic and is never restarted.
(Kubernetes ignores `HEALTHCHECK` and uses probes; the rule is about the image's own
runtimes.)

## Example
```dockerfile
CMD ["python", "app.py"]
```
Use instead:
```dockerfile
HEALTHCHECK --interval=30s CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8080/health')"]
CMD ["python", "app.py"]
```

## Fix safety
Display-only: the health endpoint and a tool in the image to call it are the
application's to choose.

## References
- CIS Docker Benchmark 1.6.0, 4.6: ensure that HEALTHCHECK instructions have been added to
  container images.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.rule import DockerfileRule, Reference
from socklock.model import Applicability, Dockerfile, Finding, Fix, Severity


class HealthcheckMissing(DockerfileRule):
    id = "SLK308"
    name = "healthcheck-missing"
    title = "The final stage should declare a HEALTHCHECK"
    severity = Severity.LOW
    references = (
        Reference(
            "CIS Docker 1.6.0",
            "4.6",
            "Ensure that HEALTHCHECK instructions have been added to container images",
        ),
    )
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, dockerfile: Dockerfile, ctx: Context) -> Iterator[Finding]:
        final = dockerfile.final_stage()
        if not final:
            return
        checks = [i for i in final if i.keyword == "HEALTHCHECK"]
        if checks and checks[-1].value.strip().upper() != "NONE":
            return
        fix = Fix(
            Applicability.DISPLAY_ONLY,
            "add HEALTHCHECK CMD <a command that fails when the service does not serve>",
            dockerfile.path,
            (),
        )
        if checks:
            yield self.dockerfile_finding(
                dockerfile, checks[-1], "HEALTHCHECK NONE disables the health check", fix
            )
        else:
            yield self.dockerfile_finding(
                dockerfile,
                None,
                "the final stage has no HEALTHCHECK",
                fix,
                line=final[0].start_line,
                detail="no HEALTHCHECK",
            )
