"""The model resolver: bundled reassembly and verification, local paths, hub names, clear errors."""

from __future__ import annotations

import hashlib
import os
import shutil
from types import SimpleNamespace

import pytest

from assistant.errors import ModelError
from assistant.transcription.models import (
    BUNDLED_SHA256,
    MARKER_NAME,
    BundledSource,
    bundled_model_dir,
    ensure_bundled_model,
    file_sha256,
    find_bundled_source,
    load_manifest,
    resolve_model,
)


def test_bundled_model_reassembles_with_progress_and_verified_hash(tmp_path):
    calls = []
    path = ensure_bundled_model(tmp_path / "m", progress=lambda done, total: calls.append((done, total)))

    assert file_sha256(path / "model.bin") == BUNDLED_SHA256
    assert {"config.json", "tokenizer.json", "vocabulary.txt", MARKER_NAME} <= {p.name for p in path.iterdir()}
    assert not list(path.glob("*.tmp-*")), "temporary files must not be left behind"
    total = sum(p.stat().st_size for p in find_bundled_source().parts)
    assert calls[-1] == (total, total)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_reuse_is_cheap_and_verify_rehashes(model_data_dir):
    cache = bundled_model_dir(model_data_dir)
    calls = []
    ensure_bundled_model(cache, progress=lambda d, t: calls.append(d))
    assert calls == [], "an intact cache with a matching marker is not re-read"
    ensure_bundled_model(cache, verify=True, progress=lambda d, t: calls.append(d))
    assert calls, "--verify hashes the whole file"


@pytest.fixture
def corrupted_copy(model_data_dir, tmp_path):
    """A copy of the reassembled model with bytes flipped in the middle (same size, same mtime)."""
    cache = tmp_path / "copy"
    shutil.copytree(bundled_model_dir(model_data_dir), cache)
    model_bin = cache / "model.bin"
    stat = model_bin.stat()
    with open(model_bin, "r+b") as handle:
        handle.seek(stat.st_size // 2)
        handle.write(b"\x00corrupt\x00")
    os.utime(model_bin, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return cache


def test_corrupted_model_file_gives_clear_error(corrupted_copy):
    with pytest.raises(ModelError) as info:
        ensure_bundled_model(corrupted_copy, verify=True, repair=False)
    assert info.value.code == "model-corrupt"
    assert "sha256" in info.value.message and "assistant models --verify" in info.value.message


def test_corrupted_model_file_is_reassembled_on_verify(corrupted_copy):
    ensure_bundled_model(corrupted_copy, verify=True, repair=True)
    assert file_sha256(corrupted_copy / "model.bin") == BUNDLED_SHA256


def test_modified_file_is_detected_without_verify(corrupted_copy):
    (corrupted_copy / "model.bin").touch()  # a newer mtime than the marker: the cheap check re-hashes
    with pytest.raises(ModelError, match="beskadiget"):
        ensure_bundled_model(corrupted_copy, repair=False)


def test_parts_that_do_not_match_the_hash_are_refused(tmp_path):
    parts = [tmp_path / "model.bin.part1", tmp_path / "model.bin.part2"]
    for part in parts:
        part.write_bytes(b"not a model")
    extras = []
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (tmp_path / name).write_text("{}")
        extras.append(tmp_path / name)
    source = BundledSource(parts=tuple(parts), extra_files=tuple(extras))

    with pytest.raises(ModelError) as info:
        ensure_bundled_model(tmp_path / "cache", source=source)
    assert info.value.code == "model-corrupt"
    assert not (tmp_path / "cache" / "model.bin").exists(), "a bad reassembly never replaces the file"

    good = hashlib.sha256(b"not a model" * 2).hexdigest()
    path = ensure_bundled_model(tmp_path / "cache", source=source, expected_sha256=good)
    assert (path / "model.bin").read_bytes() == b"not a model" * 2


def test_resolve_bundled(model_data_dir):
    resolved = resolve_model("bundled", engine="faster-whisper", settings=SimpleNamespace(data_dir=model_data_dir))
    assert resolved.kind == "bundled"
    assert resolved.path == bundled_model_dir(model_data_dir)


def test_bundled_model_is_only_for_faster_whisper(settings_ns):
    with pytest.raises(ModelError) as info:
        resolve_model("bundled", engine="openai-whisper", settings=settings_ns)
    assert info.value.code == "model-wrong-format"


@pytest.mark.parametrize("engine,expected", [
    ("faster-whisper", "model.bin"), ("openai-whisper", ".pt"), ("transformers", "config.json")])
def test_unknown_model_path_lists_what_was_expected(settings_ns, engine, expected):
    with pytest.raises(ModelError) as info:
        resolve_model("/no/such/model", engine=engine, settings=settings_ns)
    assert info.value.code == "model-not-found"
    assert "/no/such/model" in info.value.message and expected in info.value.message


def test_directory_without_model_files_is_invalid(settings_ns, tmp_path):
    with pytest.raises(ModelError) as info:
        resolve_model(str(tmp_path), engine="faster-whisper", settings=settings_ns)
    assert info.value.code == "model-invalid"
    assert "model.bin" in info.value.message


def test_local_ctranslate2_directory_resolves(settings_ns, model_data_dir):
    path = bundled_model_dir(model_data_dir)
    resolved = resolve_model(str(path), engine="faster-whisper", settings=settings_ns)
    assert resolved.kind == "local" and resolved.path == path


@pytest.mark.parametrize("spec", ["large-v3", "syvai/hviske-v2", "CoRal-project/roest-whisper-large-v1"])
def test_hub_names_are_kept_for_the_engine_to_fetch(settings_ns, spec):
    resolved = resolve_model(spec, engine="faster-whisper", settings=settings_ns)
    assert resolved.kind == "hub" and resolved.path is None and resolved.name == spec


@pytest.mark.parametrize("spec", ["whisper large", "nonsense"])
def test_specs_that_are_neither_path_nor_hub_name_are_refused(settings_ns, spec):
    with pytest.raises(ModelError, match="hverken"):
        resolve_model(spec, engine="faster-whisper", settings=settings_ns)


def test_unknown_engine_is_refused(settings_ns):
    with pytest.raises(ModelError) as info:
        resolve_model("bundled", engine="kaldi", settings=settings_ns)
    assert info.value.code == "model-unknown-engine"


def test_hub_model_offline_gives_clear_error(settings_ns, monkeypatch):
    """No network here: loading a hub name must end in a ModelError, not a traceback."""
    from assistant.transcription.engines import create_engine

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    resolved = resolve_model("example-org/not-a-real-model", engine="faster-whisper", settings=settings_ns)
    with pytest.raises(ModelError) as info:
        create_engine(resolved, device="cpu")
    assert info.value.code == "model-download-failed"
    assert "ASSISTANT_MODEL" in info.value.message


def test_manifest_lists_default_and_danish_models():
    models = {m["id"]: m for m in load_manifest()}
    assert models["whisper-base-bundled"]["default"] is True
    assert {"whisper-large-v3-turbo", "whisper-large-v3", "hviske-v2", "roest-whisper-large-v1",
            "roest-wav2vec2"} <= set(models)
    for entry in models.values():
        assert entry["engine"] in {"faster-whisper", "openai-whisper", "transformers"}
        assert entry["danish_wer"] and entry["install"]


# ---- ASSISTANT_ENGINE=auto: the one-line setting (no network: fake local directories with the right files)


def _fake_dir(root, name: str, files: list[str]):
    path = root / name
    path.mkdir()
    for file in files:
        (path / file).write_bytes(b"{}" if file.endswith(".json") else b"\0")
    return path


@pytest.mark.parametrize("files,engine", [
    (["model.bin", "config.json", "tokenizer.json"], "faster-whisper"),            # CTranslate2 (faster-hviske)
    (["config.json", "model.safetensors", "preprocessor_config.json"], "transformers"),  # Røst v3 Whisper
    (["config.json", "pytorch_model.bin", "vocab.json"], "transformers"),            # a wav2vec2 CTC snapshot
    (["large-v3-turbo.pt"], "openai-whisper"),
])
def test_auto_engine_follows_a_local_directory(settings_ns, tmp_path, files, engine):
    path = _fake_dir(tmp_path, "model", files)
    resolved = resolve_model(str(path), engine="auto", settings=settings_ns)
    assert (resolved.engine, resolved.kind, resolved.path) == (engine, "local", path.resolve())


@pytest.mark.parametrize("spec,engine,hub", [
    ("CoRal-project/roest-v3-whisper-1.5b", "transformers", "CoRal-project/roest-v3-whisper-1.5b"),
    ("roest-v3-wav2vec2", "transformers", "CoRal-project/roest-v3-wav2vec2-315m"),  # a manifest id
    ("syvai/faster-hviske-v3-conversation", "faster-whisper", "syvai/faster-hviske-v3-conversation"),
    ("hviske-v3-conversation", "faster-whisper", "syvai/faster-hviske-v3-conversation"),
    ("syvai/hviske-v3-conversation", "transformers", "syvai/hviske-v3-conversation"),
    ("deepdml/faster-whisper-large-v3-turbo-ct2", "faster-whisper", "deepdml/faster-whisper-large-v3-turbo-ct2"),
    ("large-v3", "faster-whisper", "large-v3"),
])
def test_auto_engine_follows_a_hub_name(settings_ns, spec, engine, hub):
    resolved = resolve_model(spec, engine="auto", settings=settings_ns)
    assert (resolved.engine, resolved.kind, resolved.name) == (engine, "hub", hub)


def test_auto_engine_for_the_bundled_model(settings_ns, model_data_dir):
    assert resolve_model("bundled", engine="auto", settings=settings_ns).engine == "faster-whisper"


def test_an_incomplete_local_directory_still_says_what_is_missing(settings_ns, tmp_path):
    path = _fake_dir(tmp_path, "half", ["tokenizer.json"])
    with pytest.raises(ModelError) as info:
        resolve_model(str(path), engine="auto", settings=settings_ns)
    assert info.value.code == "model-invalid" and "model.bin" in info.value.message


def test_manifest_lists_the_current_danish_models():
    models = {m["id"]: m for m in load_manifest()}
    assert {"roest-v3-whisper", "roest-v3-wav2vec2", "hviske-v3-conversation"} <= set(models)
    assert "64 %" in models["whisper-large-v3-turbo"]["danish_wer"]
