"""The default engine: Whisper in CTranslate2 (faster-whisper's runtime) driven directly.

Driving `ctranslate2.models.Whisper` directly (features and tokenizer from faster-whisper) lets one
encoder pass serve language identification, decoding and word alignment, and lets the encoder see a
window shorter than Whisper's fixed 30 s (see `DecodeOptions.encoder_window`), which is most of the
cost of a short utterance on a CPU.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.errors import ModelError, TranscriptionError
from assistant.transcription.engines import import_optional, resolve_device
from assistant.transcription.engines.word_times import estimate_word_times
from assistant.transcription.guard import apply_guard, audio_rms, compression_ratio, merge_punctuation
from assistant.transcription.languages import choose_language, restrict_language_probs
from assistant.transcription.models import ResolvedModel
from assistant.transcription.types import DecodeOptions, Transcript, TranscriptWord

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
FULL_WINDOW = 3000  # mel frames in Whisper's 30 s input
FRAMES_PER_SECOND = 100
TOKENS_PER_SECOND = 50  # encoder positions per second (the conv stem halves the frames)
MAX_TEXT_CTX = 448
MAX_CONTEXT_TOKENS = 64  # of earlier text in the prompt: enough for a sentence or two, cheap to prefill


@dataclass
class _Decoded:
    tokens: list[int]
    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float
    language: str
    language_probs: dict[str, float]
    window: int


class FasterWhisperEngine:
    """Whisper via CTranslate2: int8 on CPU, float16 on CUDA.

    Args:
        model: The resolved model (bundled, a local CTranslate2 directory or a hub name).
        device: `cpu`, `cuda` or `auto`.
        compute_type: CTranslate2 compute type on CPU.
        cpu_threads: Threads CTranslate2 uses for one decode.
        parallel: Decodes that may run at once (CTranslate2 inter_threads; one per service worker).

    Raises:
        ModelError: the model cannot be fetched or loaded.
    """

    def __init__(self, model: ResolvedModel, *, device: str = "auto", compute_type: str = "int8",
                 cpu_threads: int = 1, parallel: int = 1) -> None:
        ctranslate2 = import_optional("ctranslate2", extra="faster-whisper")
        feature_extractor = import_optional("faster_whisper.feature_extractor", extra="faster-whisper")
        tokenizers = import_optional("tokenizers", extra="faster-whisper")
        self._ct2 = ctranslate2
        model_dir = model.path if model.path is not None else _download(model.spec)
        self.device = resolve_device(device)
        self.compute_type = compute_type if self.device == "cpu" else "float16"
        try:
            self.model = ctranslate2.models.Whisper(str(model_dir), device=self.device,
                                                    compute_type=self.compute_type, intra_threads=cpu_threads,
                                                    inter_threads=parallel)
        except (RuntimeError, ValueError) as err:
            raise ModelError(f"Modellen i {model_dir} kunne ikke indlæses af CTranslate2: {err}",
                             code="model-load-failed") from err
        tokenizer_file = Path(model_dir) / "tokenizer.json"
        if not tokenizer_file.is_file():
            raise ModelError(f"{model_dir} mangler tokenizer.json (kopiér den fra den originale Whisper-model).",
                             code="model-invalid")
        self._hf_tokenizer = tokenizers.Tokenizer.from_file(str(tokenizer_file))
        self._tokenizers: dict[str, object] = {}
        self.features = feature_extractor.FeatureExtractor(feature_size=self.model.n_mels)
        self.name = f"faster-whisper:{model.name}"

    # ------------------------------------------------------------------ public

    def transcribe(self, audio: np.ndarray, *, options: DecodeOptions, context: str = "") -> Transcript:
        """Transcribe one utterance (16 kHz float32 mono); audio over 30 s is decoded in 30 s pieces.

        Args:
            audio: The samples.
            options: Decode options.
            context: Text spoken just before this audio (Whisper's previous-text prompt). CTranslate2 reads
                the prompt in one step, so it costs little, whereas every forced output token costs a full
                decoding step (~12 ms here): continuing an utterance from a prompt is cheap, forcing a
                prefix is not.

        Raises:
            TranscriptionError: the audio is not 1-D or CTranslate2 fails.
        """
        audio = _as_mono(audio)
        if audio_rms(audio) < options.guard.min_rms:
            return Transcript(text="", language=options.language, dropped="silence",
                              duration=len(audio) / SAMPLE_RATE, engine=self.name)
        piece = FULL_WINDOW * SAMPLE_RATE // FRAMES_PER_SECOND
        try:
            # A leftover of under 0.1 s after the last 30 s piece carries no words.
            starts = [i for i in range(0, len(audio), piece) if i == 0 or len(audio) - i >= SAMPLE_RATE // 10]
            context_tokens = self._context_tokens(context, options)
            parts = [self._transcribe_piece(audio[i:i + piece], options, offset=i / SAMPLE_RATE,
                                            context_tokens=context_tokens) for i in starts]
        except RuntimeError as err:
            raise TranscriptionError(f"CTranslate2 fejlede under afkodning: {err}", code="stt-failed") from err
        return apply_guard(_join(parts), options=options.guard)

    # ------------------------------------------------------------------ steps

    def _context_tokens(self, context: str, options: DecodeOptions) -> list[int]:
        context = context.strip()
        if not context:
            return []
        return self._tokenizer(options.language).encode(" " + context)[-MAX_CONTEXT_TOKENS:]

    def _transcribe_piece(self, audio: np.ndarray, options: DecodeOptions, *, offset: float,
                          context_tokens: list[int]) -> Transcript:
        features = self.features(audio)
        n_frames = min(features.shape[-1], FULL_WINDOW)
        window = self._window(n_frames, options)
        # When the result looks bad: a prompted piece is first retried without the prompt (Whisper
        # sometimes answers a short piece after a prompt with nothing or with the prompt's words), else
        # the short window is retried as the full one.
        attempts = [(window, context_tokens)]
        if context_tokens:
            attempts.append((window, []))
        elif window < FULL_WINDOW:
            attempts.append((FULL_WINDOW, []))
        encoded, encoded_window = None, 0
        for attempt, (window, prompt) in enumerate(attempts):
            if window != encoded_window:
                encoded, encoded_window = self._encode(features, n_frames, window), window
            decoded = self._decode(encoded, options, duration=len(audio) / SAMPLE_RATE, window=window,
                                   context_tokens=prompt)
            if attempt + 1 == len(attempts) or not _looks_bad(decoded, options):
                break
            log.debug("Window %d%s looked bad (logprob %.2f, compression %.2f, no-speech %.2f, %r); retrying",
                      window, " with prompt" if prompt else "", decoded.avg_logprob, decoded.compression_ratio,
                      decoded.no_speech_prob, decoded.text[:60])
        if decoded.compression_ratio > options.guard.compression_ratio_threshold:
            decoded = self._decode(encoded, options, duration=len(audio) / SAMPLE_RATE, window=window,
                                   no_repeat_ngram_size=4, language=decoded.language,
                                   language_probs=decoded.language_probs, context_tokens=prompt)
        words = self._words(encoded, decoded, audio, n_frames, options)
        return Transcript(
            text=decoded.text,
            words=[TranscriptWord(w.start + offset, w.end + offset, w.word, w.probability) for w in words],
            language=decoded.language, language_probs=decoded.language_probs,
            avg_logprob=decoded.avg_logprob, no_speech_prob=decoded.no_speech_prob,
            compression_ratio=decoded.compression_ratio, encoder_frames=decoded.window,
            duration=len(audio) / SAMPLE_RATE, engine=self.name)

    @staticmethod
    def _window(n_frames: int, options: DecodeOptions) -> int:
        if options.encoder_window == "full":
            return FULL_WINDOW
        window = max(options.window_floor_frames, math.ceil(n_frames * options.window_factor), n_frames)
        window += window % 2  # the encoder's stride-2 convolution wants an even count
        return min(window, FULL_WINDOW)

    def _encode(self, features: np.ndarray, n_frames: int, window: int):
        batch = np.zeros((1, features.shape[0], window), dtype=np.float32)
        batch[0, :, :n_frames] = features[:, :n_frames]
        return self.model.encode(self._ct2.StorageView.from_array(batch), to_cpu=False)

    def _decode(self, encoded, options: DecodeOptions, *, duration: float, window: int,
                no_repeat_ngram_size: int | None = None, language: str | None = None,
                language_probs: dict[str, float] | None = None, context_tokens: list[int] = ()) -> _Decoded:
        if language is None:
            language_probs, raw_probs = self._language_probs(encoded, options)
            language = choose_language(language_probs, default=options.language,
                                       threshold=options.language_switch_threshold,
                                       raw_probs=raw_probs, min_share=options.language_switch_min_share)
        tokenizer = self._tokenizer(language)
        prompt = [*tokenizer.sot_sequence, tokenizer.no_timestamps]
        if context_tokens:
            prompt = [tokenizer.sot_prev, *context_tokens, *prompt]
        max_new = min(MAX_TEXT_CTX // 2, 16 + math.ceil(duration * options.max_tokens_per_second))
        result = self.model.generate(
            encoded, [prompt], beam_size=options.beam_size, max_length=len(prompt) + max_new,
            return_scores=True, return_no_speech_prob=True, suppress_blank=True, suppress_tokens=[-1],
            no_repeat_ngram_size=options.no_repeat_ngram_size if no_repeat_ngram_size is None else no_repeat_ngram_size,
            repetition_penalty=options.repetition_penalty)[0]
        tokens = [t for t in result.sequences_ids[0] if t < tokenizer.eot]
        text = tokenizer.decode(tokens).strip()
        # CTranslate2 returns the length-normalised score; Whisper's avg_logprob divides by len + 1.
        avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
        return _Decoded(tokens=tokens, text=text, avg_logprob=float(avg_logprob),
                        no_speech_prob=float(result.no_speech_prob), compression_ratio=compression_ratio(text),
                        language=language, language_probs=language_probs or {}, window=window)

    def _language_probs(self, encoded, options: DecodeOptions) -> tuple[dict[str, float], dict[str, float]]:
        """Restricted and raw language probabilities from the encoder output already computed."""
        if not options.detect_language or not self.model.is_multilingual:
            return {}, {}
        raw = self.model.detect_language(encoded)[0]
        return restrict_language_probs(raw, options.languages), {code[2:-2]: p for code, p in raw}

    def _words(self, encoded, decoded: _Decoded, audio: np.ndarray, n_frames: int,
               options: DecodeOptions) -> list[TranscriptWord]:
        if not decoded.tokens or options.word_timestamps == "none":
            return []
        if options.word_timestamps == "estimated":
            return estimate_word_times(decoded.text.split(), audio, probability=math.exp(decoded.avg_logprob))
        tokenizer = self._tokenizer(decoded.language)
        alignment = self.model.align(encoded, tokenizer.sot_sequence, [decoded.tokens], n_frames,
                                     median_filter_width=7)[0]
        return _aligned_words(tokenizer, decoded.tokens, alignment)

    def _tokenizer(self, language: str):
        if language not in self._tokenizers:
            from faster_whisper.tokenizer import Tokenizer

            try:
                self._tokenizers[language] = Tokenizer(self._hf_tokenizer, self.model.is_multilingual,
                                                       task="transcribe", language=language)
            except ValueError as err:
                raise TranscriptionError(f"Modellen kender ikke sproget '{language}'.",
                                         code="stt-unknown-language") from err
        return self._tokenizers[language]


def _aligned_words(tokenizer, tokens: list[int], alignment) -> list[TranscriptWord]:
    """Word times from the cross-attention alignment (as faster-whisper's `find_alignment`)."""
    words, word_tokens = tokenizer.split_to_word_tokens(tokens + [tokenizer.eot])
    if len(word_tokens) <= 1:
        return []
    pairs = np.array(alignment.alignments)
    text_indices, time_indices = pairs[:, 0], pairs[:, 1]
    jumps = np.pad(np.diff(text_indices), (1, 0), constant_values=1).astype(bool)
    jump_times = time_indices[jumps] / TOKENS_PER_SECOND
    boundaries = np.pad(np.cumsum([len(t) for t in word_tokens[:-1]]), (1, 0))
    probs = alignment.text_token_probs
    result = []
    for word, start, end, lo, hi in zip(words[:-1], jump_times[boundaries[:-1]], jump_times[boundaries[1:]],
                                        boundaries[:-1], boundaries[1:]):
        result.append(TranscriptWord(start=round(float(start), 3), end=round(float(max(end, start)), 3),
                                     word=word, probability=float(np.mean(probs[lo:hi]))))
    return merge_punctuation(result)


def _looks_bad(decoded: _Decoded, options: DecodeOptions) -> bool:
    """Whether a short-window result deserves a second try with the full window."""
    guard = options.guard
    silent = decoded.no_speech_prob > guard.no_speech_threshold
    if not decoded.text:
        return not silent
    return (decoded.compression_ratio > guard.compression_ratio_threshold
            or (decoded.avg_logprob < options.window_fallback_log_prob and not silent))


def _join(parts: list[Transcript]) -> Transcript:
    if len(parts) == 1:
        return parts[0]
    longest = max(parts, key=lambda p: len(p.text))
    weights = [max(len(p.text), 1) for p in parts]
    return Transcript(
        text=" ".join(p.text for p in parts if p.text),
        words=[w for p in parts for w in p.words],
        language=longest.language, language_probs=longest.language_probs,
        avg_logprob=float(np.average([p.avg_logprob for p in parts], weights=weights)),
        no_speech_prob=min(p.no_speech_prob for p in parts),
        compression_ratio=compression_ratio(" ".join(p.text for p in parts)),
        encoder_frames=max(p.encoder_frames or 0 for p in parts), duration=sum(p.duration for p in parts),
        engine=longest.engine)


def _as_mono(audio: np.ndarray) -> np.ndarray:
    audio = np.asarray(audio)
    if audio.ndim != 1:
        raise TranscriptionError(f"Lyden skal være mono (1-D), fik form {audio.shape}.", code="stt-bad-audio")
    return audio.astype(np.float32, copy=False)


def _download(name: str) -> Path:
    """Fetch a hub model through faster-whisper (cached by huggingface_hub; needs a network once)."""
    from faster_whisper.utils import download_model

    try:
        return Path(download_model(name, local_files_only=True))
    except Exception:  # not cached yet: try the network  # noqa: BLE001
        pass
    try:
        return Path(download_model(name))
    except Exception as err:  # huggingface_hub raises many kinds; all mean "not available here"
        raise ModelError(f"Modellen '{name}' kunne ikke hentes fra Hugging Face Hub ({type(err).__name__}). "
                         f"Det kræver netværk første gang; offline: konvertér/hent modellen på en anden maskine "
                         f"og peg ASSISTANT_MODEL på mappen (se models/README.md).", code="model-download-failed") from err
