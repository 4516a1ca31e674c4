"""The JSON documents socklock reads and writes, as pydantic models (imported lazily).

Every document carries ``"schema": "socklock/<name>/v1"``; ``make schemas`` writes their JSON
Schemas under ``schemas/`` and a test checks the checked-in files are current.
"""

from __future__ import annotations

from typing import Final

CONNECTIVITY: Final = "socklock/connectivity/v1"
"""The id of the verify document, here without pydantic: the streamed writer
(``report/connectivity_json.py``) needs no model, and importing pydantic is a tenth of a
second of a run."""
