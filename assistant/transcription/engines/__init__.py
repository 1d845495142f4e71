"""Transcription engines behind the `TranscriptionEngine` protocol; `create_engine` picks one."""

from __future__ import annotations

from assistant.errors import ModelError
from assistant.transcription.models import ResolvedModel
from assistant.transcription.types import TranscriptionEngine


def create_engine(model: ResolvedModel, *, device: str = "auto", compute_type: str = "int8",
                  cpu_threads: int = 1, parallel: int = 1) -> TranscriptionEngine:
    """Load the engine named by `model.engine` with its model.

    Args:
        model: A resolved model (see `resolve_model`).
        device: `cpu`, `cuda` or `auto` (CUDA when a GPU is present).
        compute_type: CTranslate2 compute type on CPU (faster-whisper only).
        cpu_threads: Threads one decode may use.
        parallel: Decodes that may run at once (the service's worker threads; faster-whisper only).

    Returns:
        The loaded engine.

    Raises:
        ModelError: the engine's library is not installed (with the pip command) or the model does not load.
    """
    # Each engine module is imported only when chosen: it needs its own optional library (faster-whisper,
    # openai-whisper or transformers + torch), and it imports this package back.
    if model.engine == "faster-whisper":
        from assistant.transcription.engines.faster_whisper_engine import FasterWhisperEngine

        return FasterWhisperEngine(model, device=device, compute_type=compute_type, cpu_threads=cpu_threads,
                                   parallel=parallel)
    if model.engine == "openai-whisper":
        from assistant.transcription.engines.openai_whisper_engine import OpenAIWhisperEngine

        return OpenAIWhisperEngine(model, device=device, cpu_threads=cpu_threads)
    if model.engine == "transformers":
        from assistant.transcription.engines.transformers_engine import load_transformers_engine

        return load_transformers_engine(model, device=device, cpu_threads=cpu_threads)
    raise ModelError(f"Ukendt motor '{model.engine}'.", code="model-unknown-engine")


def import_optional(module: str, *, extra: str):
    """Import a heavy optional module, or raise a `ModelError` with the install hint."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise ModelError(f"Motoren kræver pakken '{module}', som ikke er installeret. Installér den med: "
                         f"pip install 'borgerkontakt-assistant[{extra}]'", code="model-missing-package") from err


def resolve_device(device: str) -> str:
    """`auto` → `cuda` when torch/CTranslate2 see a GPU, else `cpu`."""
    if device != "auto":
        return device
    try:
        import ctranslate2

        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    except ImportError:
        return "cpu"
