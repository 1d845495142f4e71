"""openai-whisper and transformers engines, each with a TINY random-weight model the test builds itself.

Real weights cannot be downloaded here, so these models produce junk text: the tests check that
loading and decoding run end to end and return a well-formed Transcript, not what it says.
"""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np
import pytest

from assistant.config import DEFAULT_LANGUAGES
from assistant.errors import ModelError
from assistant.transcription.engines import create_engine
from assistant.transcription.models import bundled_model_dir, resolve_model
from assistant.transcription.types import DecodeOptions, GuardOptions, Transcript

torch = pytest.importorskip("torch")
# Random weights loop and repeat; switch the guard off so the raw (junk) text and words come through.
RAW = DecodeOptions(guard=GuardOptions(compression_ratio_threshold=1e9, min_repeats=10_000,
                                       phantom_phrases=False, no_speech_threshold=1.0))


def _assert_well_formed(transcript: Transcript, audio: np.ndarray, *, engine: str) -> None:
    duration = len(audio) / 16_000
    assert isinstance(transcript, Transcript)
    assert isinstance(transcript.text, str)
    assert transcript.engine.startswith(engine)
    assert transcript.language in DEFAULT_LANGUAGES
    assert transcript.duration == pytest.approx(duration)
    if transcript.language_probs:
        assert set(transcript.language_probs) <= set(DEFAULT_LANGUAGES)
        assert sum(transcript.language_probs.values()) == pytest.approx(1.0)
    starts = [w.start for w in transcript.words]
    assert starts == sorted(starts)
    for word in transcript.words:
        assert isinstance(word.word, str)
        assert 0.0 <= word.start <= word.end <= duration + 0.05
        assert 0.0 <= word.probability <= 1.0


@pytest.fixture(scope="module")
def tiny_openai_checkpoint(tmp_path_factory):
    from whisper.model import ModelDimensions, Whisper

    torch.manual_seed(0)
    dims = ModelDimensions(n_mels=80, n_audio_ctx=1500, n_audio_state=64, n_audio_head=1, n_audio_layer=1,
                           n_vocab=51865, n_text_ctx=448, n_text_state=64, n_text_head=1, n_text_layer=1)
    path = tmp_path_factory.mktemp("openai") / "tiny.pt"
    torch.save({"dims": dims.__dict__, "model_state_dict": Whisper(dims).state_dict()}, path)
    return path


@pytest.fixture(scope="module")
def tiny_hf_whisper(tmp_path_factory, model_data_dir):
    import transformers as T

    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("hf-whisper")
    config = T.WhisperConfig(vocab_size=51865, d_model=64, encoder_layers=1, decoder_layers=1,
                             encoder_attention_heads=1, decoder_attention_heads=1, encoder_ffn_dim=64,
                             decoder_ffn_dim=64, num_mel_bins=80, max_source_positions=1500,
                             max_target_positions=448)
    T.WhisperForConditionalGeneration(config).save_pretrained(path)
    # The tokenizer comes from the bundled model's tokenizer.json: no hub access.
    tokenizer = T.WhisperTokenizerFast(tokenizer_file=str(bundled_model_dir(model_data_dir) / "tokenizer.json"))
    T.WhisperProcessor(T.WhisperFeatureExtractor(feature_size=80), tokenizer).save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def tiny_wav2vec2(tmp_path_factory):
    import transformers as T

    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("wav2vec2")
    vocab = {"<pad>": 0, "<unk>": 1, "|": 2, **{c: i + 3 for i, c in enumerate("abcdefghijklmnopqrstuvwxyzæøå'")}}
    (path / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    tokenizer = T.Wav2Vec2CTCTokenizer(str(path / "vocab.json"), unk_token="<unk>", pad_token="<pad>",
                                       word_delimiter_token="|")
    extractor = T.Wav2Vec2FeatureExtractor(feature_size=1, sampling_rate=16_000, padding_value=0.0,
                                           do_normalize=True, return_attention_mask=False)
    T.Wav2Vec2Processor(feature_extractor=extractor, tokenizer=tokenizer).save_pretrained(path)
    config = T.Wav2Vec2Config(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                              intermediate_size=37, conv_dim=(32, 32, 32), conv_stride=(5, 4, 4),
                              conv_kernel=(10, 4, 4), num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=2,
                              pad_token_id=0, architectures=["Wav2Vec2ForCTC"])
    T.Wav2Vec2ForCTC(config).save_pretrained(path)
    return path


def _load(path, engine, data_dir):
    return create_engine(resolve_model(str(path), engine=engine, settings=SimpleNamespace(data_dir=data_dir)),
                         device="cpu")


def test_openai_whisper_engine_loads_checkpoint_and_decodes(tiny_openai_checkpoint, danish_speech, model_data_dir):
    engine = _load(tiny_openai_checkpoint, "openai-whisper", model_data_dir)
    # "estimated" word times: openai-whisper's own alignment needs a numba compile of tens of seconds.
    transcript = engine.transcribe(danish_speech, options=DecodeOptions(**{**RAW.__dict__,
                                                                          "word_timestamps": "estimated"}))
    _assert_well_formed(transcript, danish_speech, engine="openai-whisper")
    # Random weights sometimes give NaN scores (openai-whisper's temperature fallback samples): the
    # engine reports such a score as unknown (None), never as NaN.
    for score in (transcript.avg_logprob, transcript.no_speech_prob):
        assert score is None or math.isfinite(score)
    assert all(math.isfinite(w.probability) for w in transcript.words)


def test_openai_whisper_engine_finds_the_checkpoint_in_a_directory(tiny_openai_checkpoint, model_data_dir):
    resolved = resolve_model(str(tiny_openai_checkpoint.parent), engine="openai-whisper",
                             settings=SimpleNamespace(data_dir=model_data_dir))
    assert resolved.kind == "local"
    engine = create_engine(resolved, device="cpu")
    transcript = engine.transcribe(np.zeros(8000, dtype=np.float32), options=DecodeOptions())
    assert transcript.text == "" and transcript.dropped == "silence"


def test_transformers_whisper_engine_decodes(tiny_hf_whisper, danish_speech, model_data_dir):
    engine = _load(tiny_hf_whisper, "transformers", model_data_dir)
    transcript = engine.transcribe(danish_speech, options=RAW)
    _assert_well_formed(transcript, danish_speech, engine="transformers")
    assert transcript.text, "a random decoder still emits tokens"
    assert transcript.words
    assert transcript.language_probs and transcript.no_speech_prob is not None


def test_transformers_ctc_engine_decodes_with_word_offsets(tiny_wav2vec2, danish_speech, model_data_dir):
    engine = _load(tiny_wav2vec2, "transformers", model_data_dir)
    transcript = engine.transcribe(danish_speech, options=RAW)
    _assert_well_formed(transcript, danish_speech, engine="transformers")
    assert transcript.text and transcript.words
    assert transcript.language == "da" and transcript.language_probs == {}, "CTC has no language identification"


def test_transformers_directory_of_unknown_architecture_is_refused(tmp_path, model_data_dir):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert", "architectures": ["BertModel"]}))
    (tmp_path / "model.safetensors").write_bytes(b"")
    with pytest.raises(ModelError) as info:
        _load(tmp_path, "transformers", model_data_dir)
    assert info.value.code in {"model-invalid", "model-load-failed"}
