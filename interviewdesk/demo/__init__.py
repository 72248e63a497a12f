"""Demo data and the demo commands; the top layer (see docs/architecture.md)."""
