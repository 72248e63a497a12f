"""Worker tasks for the outbox. Tasks are triggers; the Message rows are the truth."""

from __future__ import annotations

from .models import Message


def enqueue_delivery(message: Message) -> None:
    """Delivery is built by the outbox worker (messaging.delivery); until a worker picks the row
    up it stays queued, and the periodic sweep finds every queued row anyway."""
    return None
