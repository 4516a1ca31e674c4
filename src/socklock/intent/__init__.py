"""Intent a person writes (reviewed calls), read into a service graph: see :mod:`.reader`."""

from socklock.intent.reader import read_intent

__all__ = ["read_intent"]
