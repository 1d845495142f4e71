"""Fixtures for the audio tests: sample calls, format conversions made with sox/ffmpeg, a PulseAudio server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from assistant.paths import SAMPLES_DIR

SAMPLE = SAMPLES_DIR / "01_ventetid_rolig.wav"


def timeline(wav: Path) -> dict:
    """The generator's ground truth: where each turn lies in the call."""
    return json.loads(wav.with_name(wav.stem + ".timeline.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_call() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def audio_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("audio")


def sox(*args: str) -> None:
    subprocess.run(["sox", "-R", "-D", *args], check=True, capture_output=True)


@pytest.fixture(scope="session")
def clip_wav(audio_dir: Path) -> Path:
    """The first 6 s of a sample call (stereo 16 kHz), source for the conversions."""
    out = audio_dir / "clip.wav"
    sox(str(SAMPLE), str(out), "trim", "0", "6")
    return out


@pytest.fixture(scope="session")
def convert(audio_dir: Path, clip_wav: Path):
    """Make a variant of the clip: convert("flac"), convert("wav", rate=8000, channels=1), …"""

    def make(ext: str, *, rate: int | None = None, channels: int | None = None, source: Path = clip_wav) -> Path:
        name = f"{source.stem}_{rate or 'orig'}_{channels or 'orig'}.{ext}"
        out = audio_dir / name
        if out.exists():
            return out
        if ext == "mp3":  # sox may lack an MP3 encoder; ffmpeg has one
            cmd = ["ffmpeg", "-loglevel", "error", "-y", "-i", str(source)]
            if rate:
                cmd += ["-ar", str(rate)]
            if channels:
                cmd += ["-ac", str(channels)]
            subprocess.run([*cmd, str(out)], check=True, capture_output=True)
        else:
            effects = ([] if channels is None else ["channels", str(channels)]) + ([] if rate is None else ["rate", str(rate)])
            sox(str(source), str(out), *effects)
        return out

    return make


@pytest.fixture(scope="module")
def pulse_server():
    """A private PulseAudio server with a null sink `callsink`; its monitor is what PortAudio's `pulse` records.

    Yields the environment paplay needs. The server runs as a child of the test and is stopped afterwards.
    """
    if shutil.which("pulseaudio") is None or shutil.which("paplay") is None:
        pytest.skip("pulseaudio/paplay er ikke installeret (apt install pulseaudio pulseaudio-utils)")
    tmp = Path(tempfile.mkdtemp(prefix="assistant-pulse-"))
    (tmp / "run").mkdir()
    socket = tmp / "native"
    # Own HOME/runtime dir so it neither needs nor touches a user session; anonymous auth avoids cookies.
    server_env = dict(os.environ, HOME=str(tmp), PULSE_RUNTIME_PATH=str(tmp / "run"), XDG_RUNTIME_DIR=str(tmp / "run"))
    log = open(tmp / "pulseaudio.log", "w")
    proc = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=false", "--system=false",
         "--disable-shm=true",
         "-L", f"module-native-protocol-unix auth-anonymous=1 socket={socket}",
         "-L", "module-null-sink sink_name=callsink rate=16000 channels=2 channel_map=front-left,front-right"],
        env=server_env, stdout=subprocess.DEVNULL, stderr=log)
    saved = {key: os.environ.get(key) for key in ("PULSE_SERVER", "PULSE_SOURCE")}
    # The ALSA 'pulse' plugin inside this process reads these when a stream opens.
    os.environ["PULSE_SERVER"] = f"unix:{socket}"
    os.environ["PULSE_SOURCE"] = "callsink.monitor"
    try:
        for _ in range(100):
            if proc.poll() is not None:
                break
            if subprocess.run(["pactl", "info"], capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        if proc.poll() is not None:
            pytest.fail(f"PulseAudio startede ikke: {(tmp / 'pulseaudio.log').read_text()[-2000:]}")
        yield dict(os.environ)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
        from assistant.audio.capture import list_devices

        list_devices(refresh=True)  # forget the devices of the server that is gone
