"""Application settings: one `Settings` object read from the environment (`ASSISTANT_*`) or `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.paths import data_dir

# Danish plus the languages most often spoken by citizens of other origin in Danish municipalities.
DEFAULT_LANGUAGES = ["da", "en", "de", "sv", "no", "pl", "ro", "uk", "ru", "ar", "tr", "fa", "so", "ur", "bs", "sr", "lt", "vi"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=".env", extra="ignore")

    host: str = Field("127.0.0.1", description="Address the server binds to; 127.0.0.1 keeps it on this machine.")
    port: int = Field(8000, description="Port of the web server.")
    data_dir: Path = Field(default_factory=data_dir, description="Writable folder: model cache, database.")
    database_url: str | None = Field(None, description="SQLAlchemy URL; default SQLite in the data dir.")

    engine: str = Field("faster-whisper", description="Transcription engine: faster-whisper, openai-whisper, transformers.")
    model: str = Field("bundled", description="'bundled', a local model directory/checkpoint, or a hub name.")
    device: str = Field("auto", description="cpu, cuda or auto.")
    compute_type: str = Field("int8", description="CTranslate2 compute type on CPU (int8 is fastest here).")
    cpu_threads: int = Field(2, description="Threads for decoding.")
    language: str = Field("da", description="Default decoding language.")
    languages: list[str] = Field(default_factory=lambda: list(DEFAULT_LANGUAGES),
                                 description="Languages language identification may answer.")
    language_switch_threshold: float = Field(0.8, description="Decode in another language only above this probability.")
    beam_size: int = Field(1, description="Beam size; 1 (greedy) keeps latency low on a CPU.")

    channel_speakers: list[str] = Field(default_factory=lambda: ["caseworker", "citizen"],
                                        description="Speaker per channel (left, right).")
    retention_days: int = Field(30, description="Days transcripts and signals are kept; approved notes are kept.")
    store_audio: bool = Field(False, description="Keep call audio (off: audio is processed transiently).")
    voice_emotion_cues: bool = Field(False, description="Voice-based emotion cues (biometric; off by default).")

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'assistant.db'}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
