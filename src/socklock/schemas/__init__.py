"""The JSON documents socklock reads and writes, as pydantic models (imported lazily).

Every document carries ``"schema": "socklock/<name>/v1"``; ``make schemas`` writes their JSON
Schemas under ``schemas/`` and a test checks the checked-in files are current.
"""
