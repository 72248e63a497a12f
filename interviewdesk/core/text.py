"""The type of text that may still be waiting for its language.

`gettext_lazy` returns a proxy that becomes a string when rendered, in the language active then. A
label defined at import time is such a proxy; django-stubs calls its type `StrOrPromise`, which exists
only for the type checker (django-stubs-ext is a test dependency, not a runtime one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise as LazyText
else:
    LazyText = str

__all__ = ["LazyText"]
