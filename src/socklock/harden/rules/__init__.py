"""One module per rule; the registry (:mod:`socklock.harden.registry`) lists them all."""
