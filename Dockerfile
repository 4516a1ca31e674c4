# The socklock CI image: `docker run --rm -v "$PWD:/src" socklock scan . --out-dir out`
# (GitLab CI, Jenkins, any runner with a container engine). It passes socklock's own
# hardening rules (`socklock harden Dockerfile` reports nothing; a test checks it): the base
# is pinned by digest, nothing runs as root, no URL is ADDed, a HEALTHCHECK is declared.
# Renew the digest with the tag (Renovate or Dependabot do it).
FROM python:3.11-slim-bookworm@sha256:a36c24f9cbdf4fd0f52d67f0823eeac19c2028c637cecc392d97f980d4fec56b

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /opt/socklock
# the hash-pinned dependencies first (a layer that changes with the lock file only)
COPY requirements.txt ./
RUN python -m pip install --require-hashes --no-deps -r requirements.txt
COPY pyproject.toml README.md ./
COPY src ./src
RUN python -m pip install --no-deps . \
    && useradd --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin socklock

USER 10001:10001
WORKDIR /src
HEALTHCHECK --interval=5m --timeout=10s CMD ["socklock", "--version"]
ENTRYPOINT ["socklock"]
CMD ["--help"]
