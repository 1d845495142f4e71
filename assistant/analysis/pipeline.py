"""The Danish spaCy pipeline: an installed da_core_news_* model or a blank "da" one, plus our registered components.

Our components (registered here with ``@Language.factory``, all in this one module):

- ``borger_cues``: matches the JSONL cue lexicons (``assistant/analysis/data``) on lower-case forms and lemmas,
  fuzzily, and stores the matches in ``doc._.cues`` (and as spans in ``doc.spans["cues"]``).
- ``borger_afinn``: scores words with the Danish AFINN lexicon (negations flip a positive word) into
  ``doc._.afinn``: a list of (token index, score).
"""

from __future__ import annotations

import importlib.util
import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from assistant.errors import AnalysisError

if TYPE_CHECKING:  # heavy import kept lazy for callers that never analyse text
    from spacy.language import Language

log = logging.getLogger(__name__)

#: Every cue lexicon the analysis uses (files ``data/<name>.jsonl``).
CUE_LEXICONS = [
    "frustration",
    "calm",
    "complaint",
    "barrier",
    "threat",
    "coaching",
    "phase",
    "negative",
]

#: Installed spaCy pipelines tried first, best first.
DANISH_MODELS = ["da_core_news_trf", "da_core_news_lg", "da_core_news_md", "da_core_news_sm"]

NEGATIONS = frozenset({"ikke", "ik", "ikk", "aldrig", "ingen", "intet", "hverken", "næppe", "not", "no", "never"})

_registered = False


def _register() -> None:
    """Register our factories and Doc extensions once (spaCy keeps a global registry)."""
    global _registered
    if _registered:
        return
    from spacy.language import Language
    from spacy.tokens import Doc

    if not Doc.has_extension("cues"):
        Doc.set_extension("cues", default=None)
    if not Doc.has_extension("afinn"):
        Doc.set_extension("afinn", default=None)

    @Language.factory("borger_cues", default_config={"lexicons": CUE_LEXICONS})
    def make_borger_cues(nlp: Language, name: str, lexicons: list[str]) -> CueComponent:
        return CueComponent(lexicons)

    @Language.factory("borger_afinn", default_config={})
    def make_borger_afinn(nlp: Language, name: str) -> AfinnComponent:
        return AfinnComponent()

    _registered = True


def token_forms(doc) -> list[tuple[str, str]]:
    """(lower-case text, lower-case lemma) per token; the lemma falls back to the text (computed once per doc)."""
    forms = doc.user_data.get("borger_forms")
    if forms is None:
        forms = []
        texts = []
        starts = []
        for i, t in enumerate(doc):
            lower = t.lower_
            forms.append((lower, (t.lemma_ or lower).lower()))
            texts.append(t.text)
            if i == 0 or t.is_sent_start:
                starts.append(i)
        doc.user_data["borger_forms"] = forms
        doc.user_data["borger_texts"] = texts
        doc.user_data["borger_sent_starts"] = starts
    return forms


class CueComponent:
    """Pipeline component that writes lexicon matches to ``doc._.cues``."""

    def __init__(self, lexicons: list[str]) -> None:
        from assistant.analysis.lexicon import LexiconSet

        self.lexicons = LexiconSet(list(lexicons))

    def __call__(self, doc):
        cues = self.lexicons.matcher.match(token_forms(doc), doc.user_data["borger_texts"])
        from spacy.tokens import Span

        doc._.cues = cues
        doc.spans["cues"] = [Span(doc, c.start, c.end, label=f"{c.lexicon}:{c.label}") for c in cues]
        return doc


class AfinnComponent:
    """Pipeline component that scores words with the Danish AFINN lexicon into ``doc._.afinn``."""

    def __init__(self) -> None:
        from afinn import Afinn

        words = Afinn(language="da")._dict
        self.single = {w: float(s) for w, s in words.items() if " " not in w}
        self.phrases: dict[str, list[tuple[tuple[str, ...], float]]] = {}
        for w, s in words.items():
            if " " in w:
                parts = tuple(w.split())
                self.phrases.setdefault(parts[0], []).append((parts, float(s)))

    def __call__(self, doc):
        forms = token_forms(doc)
        scores: list[tuple[int, float]] = []
        for i, (lower, lemma) in enumerate(forms):
            score = self.single.get(lower)
            if score is None:
                score = self.single.get(lemma)
            if score is None:
                continue
            before = {forms[j][0] for j in range(max(0, i - 2), i)}
            if before & NEGATIONS:
                # "ikke godt" leans negative (less than a negative word); "ikke dum" is not negative.
                score = -score / 2 if score > 0 else 0.0
            scores.append((i, score))
        lowers = [f[0] for f in forms]
        for i, lower in enumerate(lowers):
            for phrase, score in self.phrases.get(lower, ()):
                if tuple(lowers[i:i + len(phrase)]) == phrase:
                    scores.append((i, score))
        doc._.afinn = scores
        return doc


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared Danish pipeline (built once per process).

    Returns:
        An installed da_core_news_* pipeline when one is present, else ``spacy.blank("da")`` with the lookup
        lemmatizer (spacy-lookups-data) and a sentencizer; both followed by ``borger_cues`` and ``borger_afinn``.

    Raises:
        AnalysisError: when spaCy or its Danish lookup tables are not installed.
    """
    try:
        import spacy
    except ImportError as err:  # pragma: no cover - spaCy is a core dependency
        raise AnalysisError("spaCy er ikke installeret (pip install spacy spacy-lookups-data)") from err
    _register()
    nlp = None
    for name in DANISH_MODELS:
        if importlib.util.find_spec(name) is not None:
            try:
                # The parser and NER are not used; the tagger/lemmatizer give better lemmas than lookups.
                nlp = spacy.load(name, exclude=["ner", "parser"])
                nlp.add_pipe("sentencizer")
                log.info("using spaCy pipeline %s", name)
                break
            except OSError:  # pragma: no cover - a broken install; fall back to the blank pipeline
                log.warning("could not load %s; using blank Danish pipeline", name)
    if nlp is None:
        nlp = spacy.blank("da")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.add_pipe("sentencizer")
        try:
            nlp.initialize()
        except (OSError, ValueError) as err:
            raise AnalysisError(
                "Danske opslagstabeller til lemmatisering mangler (pip install spacy-lookups-data)"
            ) from err
    nlp.add_pipe("borger_cues")
    nlp.add_pipe("borger_afinn")
    return nlp


def lemma_table(nlp=None):
    """The lookup lemma table (form → lemma) of the pipeline, or an empty dict when it has none."""
    nlp = nlp or get_nlp()
    try:
        return nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    except (KeyError, AttributeError, ValueError):
        return {}
