"""The 6-level scale the service uses, with its percentage bands (BRIEF §2)."""

from decimal import Decimal

DEFAULT_SCALE = "six-level"
LEVELS = [
    (1, {"en": "very weak", "nl": "zeer zwak", "fr": "très faible", "de": "sehr schwach"}, 0, 6),
    (2, {"en": "weak", "nl": "zwak", "fr": "faible", "de": "schwach"}, 7, 22),
    (3, {"en": "rather weak", "nl": "eerder zwak", "fr": "plutôt faible", "de": "eher schwach"}, 23, 49),
    (4, {"en": "rather good", "nl": "eerder goed", "fr": "plutôt bon", "de": "eher gut"}, 50, 76),
    (5, {"en": "good", "nl": "goed", "fr": "bon", "de": "gut"}, 77, 92),
    (6, {"en": "very good", "nl": "zeer goed", "fr": "très bon", "de": "sehr gut"}, 93, 100),
]


def ensure_default_scale(rating_scale_model=None, scale_level_model=None):
    """Create (or complete) the default scale; idempotent. Takes historical models inside migrations."""
    if rating_scale_model is None:
        from .models import RatingScale as rating_scale_model
        from .models import ScaleLevel as scale_level_model
    scale, _created = rating_scale_model.objects.get_or_create(name=DEFAULT_SCALE)
    for order, label, low, high in LEVELS:
        scale_level_model.objects.update_or_create(
            scale=scale, order=order, defaults={"label": label, "min_pct": Decimal(low), "max_pct": Decimal(high)}
        )
    return scale
