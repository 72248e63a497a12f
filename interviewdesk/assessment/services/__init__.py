"""The assessment's write operations, one module per topic (docs/architecture.md, "Services").

Score sheets, consensus and results (`scoring`) and the guide (`guide`) are re-exported here, as callers import
them from `assessment.services`.
"""

from .guide import (
    GUIDE_TEXT_FIELDS,
    aggregation_set,
    guide_current,
    guide_ensure,
    guide_preview,
    guide_save,
    guide_update,
)
from .scoring import (
    STAR_FIELDS,
    all_sheets_submitted,
    refuse_if_not_scorable,
    result_correct,
    result_notify,
    result_open,
    result_preview,
    result_save,
    result_shown,
    result_sign_off,
    results_publish,
    sheet_open,
    sheet_save,
    sheet_shown,
    sheet_submit,
)

__all__ = [
    "GUIDE_TEXT_FIELDS",
    "STAR_FIELDS",
    "aggregation_set",
    "all_sheets_submitted",
    "guide_current",
    "guide_ensure",
    "guide_preview",
    "guide_save",
    "guide_update",
    "refuse_if_not_scorable",
    "result_correct",
    "result_notify",
    "result_open",
    "result_preview",
    "result_save",
    "result_shown",
    "result_sign_off",
    "results_publish",
    "sheet_open",
    "sheet_save",
    "sheet_shown",
    "sheet_submit",
]
