"""Streaming voice-activity segmentation per channel (Silero VAD from faster-whisper)."""

from __future__ import annotations

from assistant.vad.options import VadOptions
from assistant.vad.segment import SpeechSegment
from assistant.vad.segmenter import StreamingSegmenter

__all__ = ["SpeechSegment", "StreamingSegmenter", "VadOptions"]
