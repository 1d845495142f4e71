"""Hugging Face transformers engines: a seq2seq Whisper checkpoint or a CTC model (wav2vec2, Røst)."""

from __future__ import annotations

import math

import numpy as np

from assistant.errors import ModelError, TranscriptionError
from assistant.transcription.engines import import_optional
from assistant.transcription.engines.openai_whisper_engine import torch_device
from assistant.transcription.engines.word_times import estimate_word_times
from assistant.transcription.guard import apply_guard, audio_rms, compression_ratio
from assistant.transcription.languages import choose_language, restrict_language_probs
from assistant.transcription.models import ResolvedModel
from assistant.transcription.types import DecodeOptions, Transcript, TranscriptWord

SAMPLE_RATE = 16_000


def load_transformers_engine(model: ResolvedModel, *, device: str = "auto", cpu_threads: int = 2):
    """Load a seq2seq Whisper or a CTC model, deciding by the model's `config.json`.

    Raises:
        ModelError: transformers/torch missing, or the model cannot be loaded.
    """
    transformers = import_optional("transformers", extra="transformers")
    torch = import_optional("torch", extra="transformers")
    torch.set_num_threads(cpu_threads)
    source = str(model.path) if model.path is not None else model.spec
    try:
        config = transformers.AutoConfig.from_pretrained(source)
    except Exception as err:  # missing files, no network for a hub name, …
        raise ModelError(f"transformers kunne ikke læse modellen '{source}': {err}", code="model-load-failed") from err
    architectures = config.architectures or []
    if config.model_type == "whisper":
        return TransformersWhisperEngine(model, source=source, device=device)
    if any(a.endswith("ForCTC") for a in architectures):
        return TransformersCTCEngine(model, source=source, device=device)
    raise ModelError(f"Modellen '{source}' er hverken Whisper (seq2seq) eller en CTC-model "
                     f"(model_type={config.model_type}, architectures={architectures}).", code="model-invalid")


def _silence(audio: np.ndarray, options: DecodeOptions, name: str) -> Transcript | None:
    if audio_rms(audio) < options.guard.min_rms:
        return Transcript(text="", language=options.language, dropped="silence",
                          duration=len(audio) / SAMPLE_RATE, engine=name)
    return None


class TransformersWhisperEngine:
    """A seq2seq Whisper checkpoint (e.g. a Danish fine-tune such as hviske-v2) through transformers.

    Decoding is a small greedy loop of our own rather than `generate()`: one encoder pass serves
    language identification, the no-speech probability and the decode, and it works with checkpoints
    whose generation config lacks Whisper's language tables. Word times are estimated.
    """

    def __init__(self, model: ResolvedModel, *, source: str, device: str) -> None:
        import torch
        import transformers

        self._torch = torch
        self.device = torch_device(device)
        try:
            self.processor = transformers.WhisperProcessor.from_pretrained(source)
            self.model = transformers.WhisperForConditionalGeneration.from_pretrained(source).to(self.device).eval()
        except Exception as err:
            raise ModelError(f"Whisper-modellen '{source}' kunne ikke indlæses: {err}", code="model-load-failed") from err
        tokenizer = self.processor.tokenizer
        ids = {tok: tokenizer.convert_tokens_to_ids(tok) for tok in (
            "<|startoftranscript|>", "<|transcribe|>", "<|notimestamps|>", "<|endoftext|>")}
        self._sot, self._transcribe, self._notimestamps, self._eot = ids.values()
        self._sot_prev = tokenizer.convert_tokens_to_ids("<|startofprev|>")
        self._no_speech = next((i for t in ("<|nospeech|>", "<|nocaptions|>")
                                if (i := tokenizer.convert_tokens_to_ids(t)) not in (None, tokenizer.unk_token_id)), None)
        vocab = tokenizer.get_vocab()
        self._lang_ids = {tok[2:-2]: i for tok, i in vocab.items()
                          if tok.startswith("<|") and tok.endswith("|>") and 2 <= len(tok) - 4 <= 3 and tok[2:-2].isalpha()
                          and i > self._eot}
        self.name = f"transformers:{model.name}"

    def transcribe(self, audio: np.ndarray, *, options: DecodeOptions, context: str = "") -> Transcript:
        """Transcribe one utterance (16 kHz float32 mono, up to 30 s).

        `context` (text spoken just before) goes into Whisper's previous-text prompt.

        Raises:
            TranscriptionError: decoding fails.
        """
        audio = np.asarray(audio, dtype=np.float32)
        if (silent := _silence(audio, options, self.name)) is not None:
            return silent
        torch = self._torch
        try:
            with torch.inference_mode():
                features = self.processor.feature_extractor(audio, sampling_rate=SAMPLE_RATE, return_tensors="pt")
                encoded = self.model.get_encoder()(features.input_features.to(self.device)).last_hidden_state
                first = self._step(encoded, [self._sot])
                language_probs, raw = self._language_probs(first, options)
                language = choose_language(language_probs, default=options.language,
                                           threshold=options.language_switch_threshold,
                                           raw_probs=raw, min_share=options.language_switch_min_share)
                tokens, logprobs, no_speech = self._greedy(encoded, language, options, len(audio) / SAMPLE_RATE,
                                                           context=self._context_ids(context))
        except (RuntimeError, ValueError) as err:
            raise TranscriptionError(f"transformers-Whisper fejlede under afkodning: {err}", code="stt-failed") from err
        text = self.processor.tokenizer.decode(tokens, skip_special_tokens=True).strip()
        avg_logprob = float(np.sum(logprobs) / (len(logprobs) + 1))
        words = [] if options.word_timestamps == "none" else estimate_word_times(
            text.split(), audio, probability=math.exp(avg_logprob))
        transcript = Transcript(text=text, words=words, language=language, language_probs=language_probs,
                                avg_logprob=avg_logprob, no_speech_prob=no_speech,
                                compression_ratio=compression_ratio(text), duration=len(audio) / SAMPLE_RATE,
                                engine=self.name)
        return apply_guard(transcript, options=options.guard)

    def _step(self, encoded, tokens: list[int]):
        torch = self._torch
        out = self.model(encoder_outputs=(encoded,), decoder_input_ids=torch.tensor([tokens], device=self.device))
        return torch.log_softmax(out.logits[0, -1].float(), dim=-1)

    def _language_probs(self, first_logprobs, options: DecodeOptions):
        if not options.detect_language or not self._lang_ids:
            return {}, {}
        codes = list(self._lang_ids)
        logits = first_logprobs[[self._lang_ids[c] for c in codes]]
        probs = self._torch.softmax(logits, dim=-1).tolist()
        raw = dict(zip(codes, probs))
        return restrict_language_probs(raw.items(), options.languages), raw

    def _context_ids(self, context: str) -> list[int]:
        context = context.strip()
        if not context or self._sot_prev in (None, self.processor.tokenizer.unk_token_id):
            return []
        ids = self.processor.tokenizer.encode(" " + context, add_special_tokens=False)
        return [self._sot_prev, *ids[-64:]]

    def _greedy(self, encoded, language: str, options: DecodeOptions, duration: float, *, context: list[int]):
        torch = self._torch
        lang_id = self._lang_ids.get(language)
        prompt = [*context, self._sot] + ([lang_id] if lang_id is not None else []) + [self._transcribe,
                                                                                      self._notimestamps]
        first = self._step(encoded, prompt[:-2] + [self._transcribe])  # where Whisper predicts no-speech
        no_speech = float(first[self._no_speech].exp()) if self._no_speech is not None else None
        max_new = min(self.model.config.max_target_positions - len(prompt),
                      16 + math.ceil(duration * options.max_tokens_per_second))
        tokens, logprobs, past = [], [], None
        ids = torch.tensor([prompt], device=self.device)
        for _ in range(max_new):
            out = self.model(encoder_outputs=(encoded,), decoder_input_ids=ids, past_key_values=past, use_cache=True)
            past = out.past_key_values
            step = torch.log_softmax(out.logits[0, -1].float(), dim=-1)
            step[self._eot + 1:] = -math.inf  # specials and timestamps
            token = int(step.argmax())
            if token == self._eot:
                break
            tokens.append(token)
            logprobs.append(float(step[token]))
            ids = torch.tensor([[token]], device=self.device)
        return tokens, logprobs, no_speech


class TransformersCTCEngine:
    """A CTC model (wav2vec2, e.g. Røst's roest-wav2vec2): fast, one language, no language identification.

    Word times come from the CTC frame offsets; `language_probs` stays empty and the language is
    the configured one.
    """

    def __init__(self, model: ResolvedModel, *, source: str, device: str) -> None:
        import torch
        import transformers

        self._torch = torch
        self.device = torch_device(device)
        try:
            self.processor = transformers.AutoProcessor.from_pretrained(source)
            self.model = transformers.AutoModelForCTC.from_pretrained(source).to(self.device).eval()
        except Exception as err:
            raise ModelError(f"CTC-modellen '{source}' kunne ikke indlæses: {err}", code="model-load-failed") from err
        self._seconds_per_frame = float(np.prod(self.model.config.conv_stride)) / SAMPLE_RATE
        self.name = f"transformers:{model.name}"

    def transcribe(self, audio: np.ndarray, *, options: DecodeOptions, context: str = "") -> Transcript:
        """Transcribe one utterance (16 kHz float32 mono); `context` is ignored (CTC has no text prompt).

        Raises:
            TranscriptionError: decoding fails.
        """
        audio = np.asarray(audio, dtype=np.float32)
        if (silent := _silence(audio, options, self.name)) is not None:
            return silent
        torch = self._torch
        try:
            with torch.inference_mode():
                inputs = self.processor(audio, sampling_rate=SAMPLE_RATE, return_tensors="pt")
                logits = self.model(inputs.input_values.to(self.device)).logits[0].float()
        except (RuntimeError, ValueError) as err:
            raise TranscriptionError(f"CTC-modellen fejlede under afkodning: {err}", code="stt-failed") from err
        logprobs = torch.log_softmax(logits, dim=-1)
        best = logprobs.argmax(dim=-1)
        tokenizer = self.processor.tokenizer
        decoded = tokenizer.decode(best.tolist(), output_word_offsets=True)
        text = decoded.text.strip()
        pad_id = tokenizer.pad_token_id
        voiced = best != pad_id
        avg_logprob = float(logprobs.max(dim=-1).values[voiced].mean()) if bool(voiced.any()) else None
        words = self._words(decoded.word_offsets, logprobs, options, audio, avg_logprob)
        transcript = Transcript(text=text, words=words, language=options.language, avg_logprob=avg_logprob,
                                compression_ratio=compression_ratio(text), duration=len(audio) / SAMPLE_RATE,
                                engine=self.name)
        return apply_guard(transcript, options=options.guard)

    def _words(self, offsets, logprobs, options: DecodeOptions, audio, avg_logprob) -> list[TranscriptWord]:
        if options.word_timestamps == "none" or not offsets:
            return []
        if options.word_timestamps == "estimated":
            return estimate_word_times([o["word"] for o in offsets], audio,
                                       probability=math.exp(avg_logprob or 0.0))
        frame_probs = logprobs.max(dim=-1).values.exp()
        words = []
        for o in offsets:
            lo, hi = int(o["start_offset"]), max(int(o["end_offset"]), int(o["start_offset"]) + 1)
            words.append(TranscriptWord(start=round(lo * self._seconds_per_frame, 3),
                                        end=round(hi * self._seconds_per_frame, 3), word=o["word"],
                                        probability=float(frame_probs[lo:hi].mean())))
        return words

