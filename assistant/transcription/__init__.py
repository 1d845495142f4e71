"""Transcription: model resolution, engines behind one protocol, and the shared decoding service."""

from assistant.transcription.models import ResolvedModel, ensure_bundled_model, resolve_model
from assistant.transcription.service import TranscriptionService, load_engine, to_utterance
from assistant.transcription.types import (
    DecodeOptions,
    GuardOptions,
    Transcript,
    TranscriptionEngine,
    TranscriptWord,
)
from assistant.transcription.utterance import Utterance, Word

__all__ = [
    "DecodeOptions",
    "GuardOptions",
    "ResolvedModel",
    "Transcript",
    "TranscriptWord",
    "TranscriptionEngine",
    "TranscriptionService",
    "Utterance",
    "Word",
    "ensure_bundled_model",
    "load_engine",
    "resolve_model",
    "to_utterance",
]
