"""The optional Hugging Face frustration backend, with a tiny BERT the test builds and saves itself."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory):
    """A 2-label BERT (random weights, tiny) whose bias says "negative" for every input."""
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    path = tmp_path_factory.mktemp("tiny_bert")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "det", "er", "for", "dårligt", "fint", "tak", "jeg"]
    (path / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(path / "vocab.txt"), do_lower_case=True)
    config = BertConfig(vocab_size=len(vocab), hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=16, max_position_embeddings=64, num_labels=2,
                        id2label={0: "positive", 1: "negative"}, label2id={"positive": 0, "negative": 1})
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor([0.0, 5.0]))  # always "negative", with high probability
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def test_backend_loads_and_maps_labels(tiny_model_dir):
    from assistant.analysis.hf_backend import HFFrustrationBackend

    backend = HFFrustrationBackend(tiny_model_dir)
    probs = backend.probabilities("det er for dårligt")
    assert set(probs) == {"positive", "negative"}
    assert probs["negative"] > 0.9
    assert backend.level("det er for dårligt") == 2


def test_backend_label_map_option(tiny_model_dir):
    from assistant.analysis.hf_backend import HFBackendOptions, HFFrustrationBackend

    backend = HFFrustrationBackend(tiny_model_dir, HFBackendOptions(label_levels={"NEGATIVE": 3}))
    assert backend.level("tak") == 3


def test_analyzer_uses_backend(tiny_model_dir):
    from assistant.analysis.analyzer import AnalyzerOptions, CallAnalyzer

    analyzer = CallAnalyzer.create(AnalyzerOptions(hf_model_dir=tiny_model_dir))
    update = analyzer.add_turn("citizen", "ja tak det er fint")
    assert update.turn.frustration == 2  # the model says negative; the lexicon alone says calm


def test_missing_model_dir_is_a_clear_error(tmp_path):
    from assistant.analysis.hf_backend import HFFrustrationBackend
    from assistant.errors import AnalysisError

    with pytest.raises(AnalysisError, match="config.json"):
        HFFrustrationBackend(tmp_path)
