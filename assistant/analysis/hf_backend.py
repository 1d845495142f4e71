"""Optional frustration backend: a Hugging Face text-classification model loaded from a local directory.

For municipalities that have a Danish sentiment/emotion model. The model never replaces the explainable
lexicon signal: the analyser takes the higher of the two levels, and the lexicon still supplies the evidence.
Nothing is downloaded: the directory must hold ``config.json``, the weights and the tokenizer files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.errors import AnalysisError

#: Label names (lower-case) a sentiment/emotion model commonly uses, and the frustration level they mean.
DEFAULT_LABEL_LEVELS = {
    "negative": 2, "negativ": 2, "neg": 2, "angry": 2, "anger": 2, "vred": 2, "frustrated": 2, "frustreret": 2,
    "very_negative": 3, "meget_negativ": 3, "furious": 3, "rasende": 3,
    "irritated": 1, "irriteret": 1, "slightly_negative": 1,
    "neutral": 0, "positive": 0, "positiv": 0, "pos": 0, "calm": 0, "rolig": 0,
}


@dataclass
class HFBackendOptions:
    """How model labels become frustration levels."""

    label_levels: dict[str, int] = field(default_factory=dict)
    """Explicit label → level map (label names as in the model's config, case-insensitive); wins over defaults."""
    min_probability: float = 0.6
    """The model's top label counts only at or above this probability."""
    max_length: int = 256
    """Longest input in tokens (longer turns are truncated)."""


class HFFrustrationBackend:
    """Frustration level (0-3) from a local sequence-classification model."""

    def __init__(self, model_dir: Path, options: HFBackendOptions | None = None) -> None:
        """Load tokenizer and model from a local directory.

        Args:
            model_dir: Folder written by ``save_pretrained`` (model and tokenizer).
            options: Label mapping and thresholds.

        Raises:
            AnalysisError: when transformers is missing or the folder holds no usable model.
        """
        self.options = options or HFBackendOptions()
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as err:  # pragma: no cover - transformers is installed in this project
            raise AnalysisError("transformers og torch kræves til model-backend (pip install transformers torch)",
                                code="analysis-backend-missing") from err
        path = Path(model_dir)
        if not (path / "config.json").is_file():
            raise AnalysisError(f"Ingen model i {path} (config.json mangler)", code="analysis-backend-missing")
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            self.model = AutoModelForSequenceClassification.from_pretrained(str(path), local_files_only=True)
        except (OSError, ValueError) as err:
            raise AnalysisError(f"Kan ikke indlæse modellen i {path}: {err}", code="analysis-backend-error") from err
        self.model.eval()
        self._torch = torch
        self.labels = {int(i): str(name) for i, name in self.model.config.id2label.items()}

    def _level_of(self, label_index: int) -> int:
        name = self.labels.get(label_index, str(label_index))
        explicit = {k.lower(): v for k, v in self.options.label_levels.items()}
        key = name.lower()
        if key in explicit:
            return explicit[key]
        if key in DEFAULT_LABEL_LEVELS:
            return DEFAULT_LABEL_LEVELS[key]
        if len(self.labels) == 4 and key.startswith("label_"):
            return label_index  # a 0-3 scale like ours
        return 0

    def probabilities(self, text: str) -> dict[str, float]:
        """Probability per model label for one text."""
        inputs = self.tokenizer(text or "", return_tensors="pt", truncation=True, max_length=self.options.max_length)
        with self._torch.inference_mode():
            logits = self.model(**inputs).logits[0]
        probs = self._torch.softmax(logits, dim=-1).tolist()
        return {self.labels.get(i, str(i)): p for i, p in enumerate(probs)}

    def level(self, text: str) -> int:
        """Frustration level the model assigns (0 when it is unsure).

        Args:
            text: One citizen turn.

        Returns:
            0-3.
        """
        probs = self.probabilities(text)
        ordered = list(probs.values())
        best = max(range(len(ordered)), key=ordered.__getitem__)
        if ordered[best] < self.options.min_probability:
            return 0
        return self._level_of(best)


@lru_cache(maxsize=4)
def load_backend(model_dir: Path) -> HFFrustrationBackend:
    """The backend for a model directory, loaded once per process (see :class:`HFFrustrationBackend`)."""
    return HFFrustrationBackend(Path(model_dir))
