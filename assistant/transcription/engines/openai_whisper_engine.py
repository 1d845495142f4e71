"""openai-whisper engine: the reference PyTorch implementation, for `.pt` checkpoints."""

from __future__ import annotations

import math

import numpy as np

from assistant.errors import ModelError, TranscriptionError
from assistant.transcription.engines import import_optional
from assistant.transcription.engines.word_times import estimate_word_times
from assistant.transcription.guard import apply_guard, audio_rms, compression_ratio, merge_punctuation
from assistant.transcription.languages import choose_language, restrict_language_probs
from assistant.transcription.models import ResolvedModel, find_checkpoint
from assistant.transcription.types import DecodeOptions, Transcript, TranscriptWord

SAMPLE_RATE = 16_000


def torch_device(device: str) -> str:
    """`auto` → `cuda` when torch sees a GPU, else `cpu`."""
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class OpenAIWhisperEngine:
    """Whisper through the `openai-whisper` package.

    `word_timestamps="aligned"` uses openai-whisper's own DTW alignment, which numba compiles on first
    use (tens of seconds once per process).

    Args:
        model: A local `.pt` checkpoint (or a directory holding exactly one), or a size name such as
            `large-v3`, which openai-whisper downloads to ~/.cache/whisper (needs a network once).
        device: `cpu`, `cuda` or `auto`.
        cpu_threads: torch threads.

    Raises:
        ModelError: openai-whisper is not installed, or the checkpoint cannot be loaded.
    """

    def __init__(self, model: ResolvedModel, *, device: str = "auto", cpu_threads: int = 2) -> None:
        self._whisper = import_optional("whisper", extra="openai-whisper")
        torch = import_optional("torch", extra="openai-whisper")
        torch.set_num_threads(cpu_threads)
        self.device = torch_device(device)
        target = str(find_checkpoint(model.path)) if model.path is not None else model.spec
        try:
            self.model = self._whisper.load_model(target, device=self.device)
        except Exception as err:  # torch.load, a download or a state-dict mismatch
            raise ModelError(f"openai-whisper kunne ikke indlæse '{target}': {err}", code="model-load-failed") from err
        self.name = f"openai-whisper:{model.name}"

    def transcribe(self, audio: np.ndarray, *, options: DecodeOptions, context: str = "") -> Transcript:
        """Transcribe one utterance (16 kHz float32 mono); `context` (text spoken just before) is the prompt.

        Raises:
            TranscriptionError: decoding fails.
        """
        audio = np.asarray(audio, dtype=np.float32)
        duration = len(audio) / SAMPLE_RATE
        if audio_rms(audio) < options.guard.min_rms:
            return Transcript(text="", language=options.language, dropped="silence", duration=duration,
                              engine=self.name)
        try:
            language_probs, raw = self._language_probs(audio, options)
            language = choose_language(language_probs, default=options.language,
                                       threshold=options.language_switch_threshold,
                                       raw_probs=raw, min_share=options.language_switch_min_share)
            max_new = min(self.model.dims.n_text_ctx // 2,
                          16 + math.ceil(len(audio) / SAMPLE_RATE * options.max_tokens_per_second))
            result = self.model.transcribe(
                audio, language=language, task="transcribe", temperature=0.0,
                beam_size=options.beam_size if options.beam_size > 1 else None,
                condition_on_previous_text=False, initial_prompt=context.strip() or None, without_timestamps=options.word_timestamps != "aligned",
                word_timestamps=options.word_timestamps == "aligned", fp16=self.device == "cuda", verbose=None,
                sample_len=max_new)
        except (RuntimeError, ValueError, IndexError) as err:
            raise TranscriptionError(f"openai-whisper fejlede under afkodning: {err}", code="stt-failed") from err
        return apply_guard(self._to_transcript(result, audio, language, language_probs, options),
                           options=options.guard)

    def _language_probs(self, audio: np.ndarray, options: DecodeOptions):
        if not options.detect_language or not self.model.is_multilingual:
            return {}, {}
        whisper = self._whisper
        mel = whisper.log_mel_spectrogram(whisper.pad_or_trim(audio), n_mels=self.model.dims.n_mels)
        _, probs = self.model.detect_language(mel.to(self.model.device))
        return restrict_language_probs(probs.items(), options.languages), dict(probs)

    def _to_transcript(self, result: dict, audio: np.ndarray, language: str, language_probs: dict,
                       options: DecodeOptions) -> Transcript:
        segments = result.get("segments", [])
        text = result.get("text", "").strip()
        # Untrained or broken weights can give NaN scores: report "unknown" rather than NaN.
        avg_logprob = _finite_mean([s["avg_logprob"] for s in segments])
        no_speech = _finite_mean([s["no_speech_prob"] for s in segments])
        if options.word_timestamps == "aligned":
            words = merge_punctuation([TranscriptWord(float(w["start"]), float(w["end"]), w["word"],
                                                      _finite_mean([w["probability"]]) or 0.0)
                                       for s in segments for w in s.get("words", [])])
        elif options.word_timestamps == "estimated":
            words = estimate_word_times(text.split(), audio, probability=float(np.exp(avg_logprob or 0.0)))
        else:
            words = []
        return Transcript(text=text, words=words, language=language, language_probs=language_probs,
                          avg_logprob=avg_logprob, no_speech_prob=no_speech, compression_ratio=compression_ratio(text),
                          duration=len(audio) / SAMPLE_RATE, engine=self.name)


def _finite_mean(values: list[float]) -> float | None:
    """The mean of `values`, or None when there are none or it is not a finite number."""
    mean = float(np.mean(values)) if values else float("nan")
    return mean if np.isfinite(mean) else None
