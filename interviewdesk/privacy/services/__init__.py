"""The privacy app's write operations, one module per topic (docs/architecture.md, "Services").

The officer's requests (`requests`) are re-exported here, as callers import them from `privacy.services`.
"""

from .requests import (
    candidate_erase,
    candidate_export_record,
    erasure_refusal,
    retention_policy_set,
)

__all__ = [
    "candidate_erase",
    "candidate_export_record",
    "erasure_refusal",
    "retention_policy_set",
]
