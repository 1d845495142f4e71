"""Danish conversation analysis: frustration, complaint points, barriers, threats, coaching, suggestions.

Public entry points (imported lazily so that `assistant.analysis.types` stays cheap to import)::

    from assistant.analysis import CallAnalyzer
    analyzer = CallAnalyzer.create()            # one cached spaCy pipeline per process
    update = analyzer.add_turn("citizen", "jeg har ventet i tre måneder ...")
    update.changed, update.call, update.assessment, update.suggestions
"""

from __future__ import annotations

__all__ = ["AnalyzerOptions", "CallAnalyzer", "CallResult", "make_analyzer"]


def __getattr__(name: str):
    if name in __all__:
        from assistant.analysis import analyzer

        return getattr(analyzer, name)
    raise AttributeError(name)
