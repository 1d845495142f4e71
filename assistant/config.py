"""Application settings: one `Settings` object read from the environment (`ASSISTANT_*`) or `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
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

    engine: str = Field("auto", description="Transcription engine: auto (follows from the model), faster-whisper, "
                                            "openai-whisper, transformers.")
    model: str = Field("bundled", description="'bundled', a local model directory/checkpoint, or a hub name.")
    device: str = Field("auto", description="cpu, cuda or auto.")
    compute_type: str = Field("int8", description="CTranslate2 compute type on CPU (int8 is fastest here).")
    cpu_threads: int = Field(1, ge=1, description="Threads one decode uses.")
    decode_workers: int = Field(2, ge=1, description="Decodes run at once (one per core with cpu_threads=1: on the "
                                                     "2-core reference machine that doubled throughput, while a "
                                                     "second thread per decode barely helped).")
    language: str = Field("da", description="Default decoding language.")
    languages: list[str] = Field(default_factory=lambda: list(DEFAULT_LANGUAGES),
                                 description="Languages language identification may answer.")
    language_switch_threshold: float = Field(0.8, description="Decode in another language only above this probability.")
    beam_size: int = Field(1, description="Beam size; 1 (greedy) keeps latency low on a CPU.")
    word_timestamps: Literal["aligned", "estimated", "none"] = Field(
        "aligned", description="Word times: aligned (cross-attention, ~0.05–0.15 s per utterance), estimated, none.")
    decode_in_pieces: bool = Field(True, description="Decode long utterances in pieces at the speaker's pauses, so "
                                                     "only the last piece is left when speech ends (lower latency).")
    encoder_window: Literal["auto", "full"] = Field(
        "auto", description="auto: encode ~1.3× the utterance (at least 8 s) instead of Whisper's fixed 30 s (falls back when the "
                            "result looks bad); full: always 30 s.")

    channel_speakers: list[str] = Field(default_factory=lambda: ["caseworker", "citizen"],
                                        description="Speaker per channel (left, right).")
    audio_dirs: list[Path] = Field(default_factory=list,
                                   description="Folders (besides recordings_sample/) a file call started over the "
                                               "API may read; the API refuses any other path.")
    retention_days: int = Field(30, description="Days transcripts and signals are kept; approved notes are kept.")
    voice_emotion_cues: bool = Field(False, description="Voice-based emotion cues (biometric; off by default).")

    # ---- access control, hardening, retention (issue 6) ------------------------------------------
    secret_key: str | None = Field(None, description="Key that signs login cookies and CSRF tokens; when unset a "
                                                     "random key is created once and kept in <data_dir>/secret_key.")
    session_hours: float = Field(8.0, gt=0, description="How long a login lasts before the user must log in again.")
    cookie_secure: bool | None = Field(None, description="Mark cookies Secure (HTTPS only); None = when the request "
                                                         "arrived over HTTPS (directly or via a trusted proxy).")
    cookie_samesite: Literal["lax", "strict"] = Field("lax", description="SameSite attribute of the login cookie.")
    trusted_proxies: list[str] = Field(default_factory=list, description="IP addresses of reverse proxies whose "
                                       "X-Forwarded-For/-Proto headers are trusted (empty: none).")
    login_max_failures: int = Field(5, ge=1, description="Failed logins per user name or client address before "
                                                         "further attempts are refused for login_lockout_s.")
    login_lockout_s: int = Field(900, ge=1, description="Seconds failed logins are counted and a lockout lasts.")
    password_min_length: int = Field(12, ge=8, description="Shortest password `assistant users add/reset` accepts.")
    max_body_bytes: int = Field(1_000_000, ge=1024, description="Largest HTTP request body accepted (413 above).")
    max_ws_message_bytes: int = Field(1_048_576, ge=1024, description="Largest WebSocket message accepted "
                                                                     "(the connection is closed with 1009 above).")
    frame_ancestors: str = Field("'self'", description="CSP frame-ancestors: who may embed the pages in a frame, "
                                                       "e.g. \"'self' https://sag.kommune.dk\" ('none' forbids it).")
    oidc_issuer: str | None = Field(None, description="OpenID Connect issuer URL; setting it (with the client id) "
                                                      "enables login through the municipality's identity provider.")
    oidc_client_id: str | None = Field(None, description="OpenID Connect client id registered for the assistant.")
    oidc_client_secret: str | None = Field(None, description="OpenID Connect client secret (None: public client).")
    oidc_scopes: str = Field("openid profile email", description="Scopes requested at the identity provider.")
    oidc_redirect_url: str | None = Field(None, description="Callback URL registered at the identity provider; "
                                                            "default <this server>/auth/oidc/callback.")
    oidc_username_claim: str = Field("preferred_username", description="ID-token claim that names the local user; "
                                     "only users created with `assistant users add` can log in.")
    oidc_authorize_url: str | None = Field(None, description="Authorization endpoint (default: from discovery).")
    oidc_token_url: str | None = Field(None, description="Token endpoint (default: from discovery).")
    oidc_jwks_url: str | None = Field(None, description="Signing keys (JWKS) URL (default: from discovery).")
    purge_interval_hours: float = Field(24.0, ge=0, description="How often the server deletes data older than "
                                                                "retention_days (0: only `assistant purge`).")
    login_recheck_s: float = Field(5.0, gt=0, description="How often an open WebSocket checks that its login still "
                                   "holds; after a logout or a disabled user it is closed (4401) within this time.")
    audio_max_lead_s: float = Field(5.0, gt=0, description="How far (seconds) a client's audio may run ahead of real "
                                    "time on `WS /calls/{id}/audio`; beyond it the server stops reading "
                                    "(back-pressure), and a client more than twice as far ahead is closed.")
    audio_max_streams_per_user: int = Field(2, ge=1, description="Audio connections one user may have open at once "
                                            "(over all their calls).")
    mask_phone_numbers: bool = Field(False, description="Also mask phone numbers (8 digits, +45) in stored text.")
    mask_emails: bool = Field(False, description="Also mask e-mail addresses in stored text.")

    # ---- complaint deadlines and the telephone note (issue 12) ------------------------------------
    acknowledgement_days: int = Field(2, ge=0, description="The citizen hears from the municipality within this "
                                                           "many days of the complaint's receipt.")
    answer_days: int = Field(12, ge=0, description="The complaint is answered within this many days of its receipt.")
    deadline_working_days: bool = Field(False, description="The municipality promises its deadlines in working "
                                        "days: count Monday–Friday without Danish public holidays (helligdage).")
    deadline_closed_days: list[str] = Field(default_factory=list, description="Further days the municipality is "
                                            "closed when counting working days, as MM-DD (e.g. 12-24, 12-31, 06-05).")
    municipality: str = Field("", description="The municipality's name: the author of exported documents (with "
                                              "the caseworker), e.g. 'Aarhus Kommune'.")

    @field_validator("deadline_closed_days")
    @classmethod
    def _closed_days_are_month_day(cls, days: list[str]) -> list[str]:
        from datetime import date

        for day in days:
            try:
                month, day_of_month = (int(part) for part in day.split("-"))
                date(2024, month, day_of_month)  # a leap year: 02-29 is a valid closed day
            except ValueError as err:
                raise ValueError(f"Lukkedagen '{day}' skal skrives MM-DD, fx 12-24.") from err
        return [f"{int(d.split('-')[0]):02d}-{int(d.split('-')[1]):02d}" for d in days]

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'assistant.db'}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
