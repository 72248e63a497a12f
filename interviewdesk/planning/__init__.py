"""Planning: proposals for a whole selection (interviews, cases, connection tests).

The core (`instance`, `grid`, `greedy`, `model`, `decode`, `bounds`, `explain`, `check`,
`solver`) is plain Python over dataclasses, without Django, so the benchmark, the property
tests and the product call the same code. See docs/planning.md.
"""
