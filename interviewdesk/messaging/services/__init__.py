"""The messaging app's write operations, one module per topic (docs/architecture.md, "Services").

The outbox's `message_queue` and `Recipient` are re-exported: callers write `messaging.services.message_queue`.
"""

from .outbox import (
    Recipient,
    message_queue,
)

__all__ = [
    "Recipient",
    "message_queue",
]
