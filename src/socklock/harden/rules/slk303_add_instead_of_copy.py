"""Use ``COPY`` rather than ``ADD``; never ``ADD`` a URL or an archive without a checksum.

## What it does
Checks every `ADD`: a remote URL without `--checksum` is reported as medium (content
fetched at build time, unverified), a local archive (`.tar`, `.tar.gz`, `.tgz`, `.tar.xz`,
`.tar.bz2`...) as low (extracted implicitly), and a plain local file as low (`COPY` does
the same, explicitly).

## Why is this bad?
`ADD` fetches URLs without verifying them and silently unpacks archives, including ones
crafted to write outside the target directory. `COPY` does only what it says.

## Example
```dockerfile
ADD app.py /app/
ADD https://example.com/tool.tar.gz /opt/
```
Use instead:
```dockerfile
COPY app.py /app/
ADD --checksum=sha256:<digest> https://example.com/tool.tar.gz /opt/
```

## Fix safety
Safe for a plain local file: `COPY` is exactly what `ADD` did. Display-only for URLs and
archives: their replacement (download with a checksum, explicit `tar`) needs a decision.

## References
- CIS Docker Benchmark 1.6.0, 4.9: ensure that COPY is used instead of ADD in Dockerfiles.
- hadolint DL3020: use COPY instead of ADD for files and folders.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.rule import DockerfileRule, Reference, line_fix
from socklock.model import Applicability, Dockerfile, Finding, Fix, LineEdit, Severity

URL = re.compile(r"^(https?|ftp|git)://|^git@", re.IGNORECASE)
ARCHIVE = re.compile(r"\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|gz|bz2|xz)$", re.I)


class AddInsteadOfCopy(DockerfileRule):
    id = "SLK303"
    name = "add-instead-of-copy"
    title = "Use COPY instead of ADD; ADD of a URL needs --checksum"
    severity = Severity.LOW
    references = (
        Reference(
            "CIS Docker 1.6.0", "4.9", "Ensure that COPY is used instead of ADD in Dockerfiles"
        ),
        Reference("practice", "hadolint DL3020", "Use COPY instead of ADD for files and folders"),
    )
    fix_applicability = Applicability.SAFE

    def check(self, dockerfile: Dockerfile, ctx: Context) -> Iterator[Finding]:
        for instruction in dockerfile.instructions:
            if instruction.keyword != "ADD":
                continue
            words = instruction.value.split()
            flags = [w for w in words if w.startswith("--")]
            args = [w for w in words if not w.startswith("--")]
            if args and args[0].startswith("["):
                continue  # JSON form: leave it to a human
            sources = args[:-1]
            if not sources:
                continue
            checksum = any(f.startswith("--checksum") for f in flags)
            urls = [s for s in sources if URL.match(s)]
            archives = [s for s in sources if ARCHIVE.search(s) and not URL.match(s)]
            if urls:
                if checksum:
                    continue
                yield self.dockerfile_finding(
                    dockerfile,
                    instruction,
                    f"ADD fetches {urls[0]} without verifying it",
                    Fix(
                        Applicability.DISPLAY_ONLY,
                        "add --checksum=sha256:<digest>, or download with curl and check the "
                        "digest in a RUN",
                        dockerfile.path,
                        (),
                    ),
                    severity=Severity.MEDIUM,
                )
            elif archives:
                yield self.dockerfile_finding(
                    dockerfile,
                    instruction,
                    f"ADD extracts the archive {archives[0]} implicitly",
                    Fix(
                        Applicability.DISPLAY_ONLY,
                        "COPY the archive and extract it with tar in a RUN",
                        dockerfile.path,
                        (),
                    ),
                )
            else:
                original = instruction.original
                replaced = re.sub(r"^(\s*)ADD\b", r"\1COPY", original, count=1, flags=re.I)
                yield self.dockerfile_finding(
                    dockerfile,
                    instruction,
                    "ADD of local files: use COPY",
                    line_fix(
                        dockerfile,
                        Applicability.SAFE,
                        "use COPY",
                        [LineEdit(instruction.start_line, instruction.end_line, replaced)],
                    ),
                )
