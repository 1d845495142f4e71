"""Language identification restricted to the languages plausible in a Danish municipality."""

from __future__ import annotations

import math
from collections.abc import Iterable


def restrict_language_probs(probs: Iterable[tuple[str, float]], allowed: Iterable[str]) -> dict[str, float]:
    """Keep only allowed languages and renormalise so they sum to 1.

    Unrestricted, Whisper base answers Latin, Thai or Icelandic on poor Danish audio; inside a Danish
    municipality those answers only mean "unsure", so they are dropped rather than reported.

    Args:
        probs: `(language, probability)` pairs; Whisper's `<|da|>` token form is accepted too.
        allowed: ISO 639-1 codes that may be answered.

    Returns:
        Allowed languages with renormalised probabilities, highest first (empty if none had mass;
        non-finite values, which a broken model can produce, are ignored).
    """
    allowed_set = set(allowed)
    kept = {}
    for language, prob in probs:
        code = language[2:-2] if language.startswith("<|") else language
        if code in allowed_set and math.isfinite(prob) and prob > 0:
            kept[code] = kept.get(code, 0.0) + float(prob)
    total = sum(kept.values())
    if total <= 0:
        return {}
    return {code: p / total for code, p in sorted(kept.items(), key=lambda item: -item[1])}


def choose_language(probs: dict[str, float], *, default: str, threshold: float,
                    raw_probs: dict[str, float] | None = None, min_share: float = 0.0) -> str:
    """The language to decode in.

    Args:
        probs: Restricted, renormalised probabilities, highest first.
        default: The language to decode in unless the evidence for another is strong.
        threshold: The other language's restricted probability must be at least this ...
        raw_probs: ... and, if given, its unrestricted probability at least `min_share`.
        min_share: See `raw_probs`.

    Returns:
        `default` or the confidently detected other language.
    """
    if not probs:
        return default
    best, best_prob = next(iter(probs.items()))
    if best == default or best_prob < threshold:
        return default
    if raw_probs is not None and raw_probs.get(best, 0.0) < min_share:
        return default
    return best
