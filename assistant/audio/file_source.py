"""`FileSource`: a recorded call (WAV/FLAC/OGG/MP3/…, any rate, mono or stereo) as 16 kHz frames."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from assistant.audio.frames import AudioFrame, Speaker
from assistant.audio.resample import StreamResampler
from assistant.audio.source import DEFAULT_CHANNEL_SPEAKERS, FrameBlocker, speakers_for_channels
from assistant.errors import AudioError

_READ_SECONDS = 0.5  # decode half a second at a time: small enough for realtime pacing, big enough to be cheap
_TRUNCATION_TOLERANCE = 0.02  # compressed formats may declare a slightly rough length


MIN_FILE_RATE = 4_000
MAX_FILE_RATE = 192_000
"""Sample rates a file may declare; outside them the header is damaged (or it is not speech audio)."""


class FileSource:
    """Reads an audio file and yields 32 ms `AudioFrame`s per channel in call time.

    WAV, FLAC, OGG (and MP3 where libsndfile has it) are read with soundfile; anything else
    (MP3, M4A, Opus, …) with PyAV (FFmpeg). Every channel is resampled to 16 kHz.
    The file is opened and checked in the constructor, so a bad file fails before any frame where the
    damage is visible in the header (WAV shorter than its header says); damage found while decoding (FLAC
    losing sync, MP3 shorter than its Xing header) raises `AudioError` from `frames()`. OGG declares no
    total length, so an OGG cut at a page boundary reads like a shorter recording.

    Attributes:
        speakers: Speaker per channel. description: "Fil: name (stereo, 44100 Hz, 62 s)".
        sample_rate: The file's own rate. channels: 1 or 2.
        duration: Length in seconds from the header (0.0 if the container does not say).
        position: Call time reached so far (progress = position / duration).

    Args:
        path: The audio file.
        realtime: Pace the frames at wall-clock speed, as if the call were live
            (a frame is yielded when its last sample "has been spoken").
        channel_speakers: Speaker of the left and right channel of a stereo file; mono is `unknown`.
        max_seconds: Stop after this much call time (e.g. to replay only the start of long files).

    Raises:
        AudioError: the file is missing, empty, unreadable, truncated or has more than two channels.
    """

    def __init__(self, path: str | Path, *, realtime: bool = False,
                 channel_speakers: Sequence[str] = DEFAULT_CHANNEL_SPEAKERS,
                 max_seconds: float | None = None) -> None:
        self.path = Path(path)
        self.realtime = realtime
        self.max_seconds = max_seconds
        self._closed = threading.Event()
        self.position = 0.0
        """Call time (s) reached by the frames yielded so far; with `duration` this gives progress."""
        self._probe()
        self.speakers: list[Speaker] = speakers_for_channels(self.channels, channel_speakers)
        layout = "mono" if self.channels == 1 else "stereo"
        length = f", {self.duration:.0f} s" if self.duration else ""
        self.description = f"Fil: {self.path.name} ({layout}, {self.sample_rate} Hz{length})"

    # -- probing -------------------------------------------------------------------------------

    def _probe(self) -> None:
        if not self.path.exists():
            raise AudioError(f"Lydfilen findes ikke (file not found): {self.path.name}", code="audio-file-not-found")
        if not self.path.is_file():
            raise AudioError(f"Ikke en lydfil (not a file): {self.path.name}", code="audio-unreadable")
        if self.path.stat().st_size == 0:
            raise AudioError(f"Lydfilen er tom (empty file, 0 bytes): {self.path.name}", code="audio-empty")
        try:
            self._probe_soundfile()
            self._backend = "soundfile"
        except _NotForSoundfile:
            self._probe_av()
            self._backend = "av"
        if self.declared_frames == 0:
            raise AudioError(f"Lydfilen indeholder ingen lyd (empty, truncated or damaged file): {self.path.name}",
                             code="audio-empty")
        if not MIN_FILE_RATE <= self.sample_rate <= MAX_FILE_RATE:  # a damaged header; the resampler can't
            raise AudioError(f"Lydfilens samplerate {self.sample_rate} Hz er ikke understøttet "
                             f"({MIN_FILE_RATE}–{MAX_FILE_RATE} Hz; damaged header?): {self.path.name}",
                             code="audio-unsupported-rate")

    def _probe_soundfile(self) -> None:
        import soundfile as sf

        try:
            info = sf.info(str(self.path))
        except Exception as err:  # libsndfile does not know the format: let FFmpeg try
            raise _NotForSoundfile() from err
        self.channels = info.channels
        self.sample_rate = int(info.samplerate)
        self.declared_frames: int | None = int(info.frames)
        self.duration: float = info.frames / info.samplerate if info.samplerate else 0.0
        if self.channels > 2:
            speakers_for_channels(self.channels, DEFAULT_CHANNEL_SPEAKERS)  # raises the clear error
        declared, present = _wav_data_sizes(info.extra_info)
        if declared is not None and present is not None and declared > present:
            raise AudioError(
                f"Lydfilen er afkortet (truncated file): {self.path.name} — headeren lover "
                f"{declared} bytes lyd, men kun {present} findes. Optag eller kopier filen igen.",
                code="audio-truncated")

    def _probe_av(self) -> None:
        av = _import_av()
        try:
            with av.open(str(self.path)) as container:
                if not container.streams.audio:
                    raise AudioError(f"Filen indeholder ikke lyd (no audio stream): {self.path.name}", code="audio-no-stream")
                stream = container.streams.audio[0]
                self.channels = stream.codec_context.layout.nb_channels or stream.codec_context.channels
                self.sample_rate = int(stream.codec_context.sample_rate or stream.rate or 0)
                if stream.duration is not None and stream.time_base is not None:
                    self.duration = float(stream.duration * stream.time_base)
                elif container.duration is not None:
                    self.duration = container.duration / 1_000_000
                else:
                    self.duration = 0.0  # unknown until decoded
                self.declared_frames = None
        except AudioError:
            raise
        except Exception as err:
            raise AudioError(f"Lydfilen kan ikke læses (unreadable audio file): {self.path.name} — {_describe(err)}",
                             code="audio-unreadable") from err
        if not self.sample_rate:
            raise AudioError(f"Lydfilen har ingen samplerate (unreadable audio file): {self.path.name}", code="audio-unreadable")
        if self.channels > 2:
            speakers_for_channels(self.channels, DEFAULT_CHANNEL_SPEAKERS)

    # -- frames --------------------------------------------------------------------------------

    def frames(self) -> Iterator[AudioFrame]:
        """Yield the file's frames: for each 32 ms block, channel 0 then channel 1.

        Raises:
            AudioError: the file turns out to be damaged or truncated while decoding.
        """
        resamplers = [StreamResampler(self.sample_rate) for _ in range(self.channels)]
        blockers = [FrameBlocker(speaker=s, channel=i) for i, s in enumerate(self.speakers)]
        clock_start = time.monotonic()
        blocks = self._blocks_soundfile() if self._backend == "soundfile" else self._blocks_av()
        try:
            for block in blocks:
                if self._closed.is_set():
                    return
                per_channel = [b.push(r.process(block[i])) for i, (r, b) in enumerate(zip(resamplers, blockers))]
                yield from self._paced(_interleave(per_channel), clock_start)
            per_channel = [b.push(r.flush()) + b.flush() for r, b in zip(resamplers, blockers)]
            yield from self._paced(_interleave(per_channel), clock_start)
        finally:
            blocks.close()

    def _paced(self, frames: list[AudioFrame], clock_start: float) -> Iterator[AudioFrame]:
        for frame in frames:
            if self._closed.is_set():
                return
            if self.max_seconds is not None and frame.start >= self.max_seconds:
                self._closed.set()
                return
            if self.realtime:
                # A live source hands a frame over once its last sample has been captured.
                delay = clock_start + frame.end - time.monotonic()
                if delay > 0 and self._closed.wait(delay):
                    return
            self.position = max(self.position, frame.end)
            yield frame

    def _blocks_soundfile(self) -> Iterator[np.ndarray]:
        import soundfile as sf

        read = 0
        try:
            with sf.SoundFile(str(self.path)) as handle:
                blocksize = max(1, int(self.sample_rate * _READ_SECONDS))
                while True:
                    data = handle.read(blocksize, dtype="float32", always_2d=True)
                    if len(data) == 0:
                        break
                    read += len(data)
                    yield data.T
        except AudioError:
            raise
        except Exception as err:
            raise self._damaged(err, read) from err
        if read == 0:
            raise AudioError(f"Lydfilen indeholder ingen lyd (empty, truncated or damaged file): {self.path.name}",
                             code="audio-empty")
        if self.declared_frames and read < self.declared_frames * (1 - _TRUNCATION_TOLERANCE) - 2048:
            raise AudioError(
                f"Lydfilen er afkortet (truncated file): {self.path.name} — kun {read / self.sample_rate:.1f} s af "
                f"{self.declared_frames / self.sample_rate:.1f} s kunne læses.", code="audio-truncated")

    def _blocks_av(self) -> Iterator[np.ndarray]:
        av = _import_av()
        read = 0
        layout = "mono" if self.channels == 1 else "stereo"
        try:
            with av.open(str(self.path)) as container:
                stream = container.streams.audio[0]
                # Only converts the sample format to planar float; the rate is changed by StreamResampler.
                converter = av.AudioResampler(format="fltp", layout=layout, rate=self.sample_rate)
                for decoded in container.decode(stream):
                    for frame in converter.resample(decoded):
                        data = frame.to_ndarray()
                        read += data.shape[1]
                        yield data
                for frame in converter.resample(None):
                    data = frame.to_ndarray()
                    read += data.shape[1]
                    yield data
        except AudioError:
            raise
        except Exception as err:
            raise self._damaged(err, read) from err
        if read == 0:
            raise AudioError(f"Lydfilen indeholder ingen lyd (empty, truncated or damaged file): {self.path.name}",
                             code="audio-empty")

    def _damaged(self, err: Exception, read: int) -> AudioError:
        where = f" efter {read / self.sample_rate:.1f} s" if read else ""
        return AudioError(f"Lydfilen er beskadiget eller afkortet (damaged or truncated file): {self.path.name}"
                          f"{where} — {_describe(err)}", code="audio-truncated")

    def close(self) -> None:
        """Stop yielding frames (also interrupts realtime waiting)."""
        self._closed.set()

    def __enter__(self) -> FileSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _NotForSoundfile(Exception):
    """libsndfile cannot open the file; try FFmpeg."""


def _interleave(per_channel: list[list[AudioFrame]]) -> list[AudioFrame]:
    frames = [frame for channel in per_channel for frame in channel]
    frames.sort(key=lambda f: (f.start, f.channel))
    return frames


def _wav_data_sizes(extra_info: str) -> tuple[int | None, int | None]:
    """libsndfile's WAV report says 'data : 320000 (should be 159978)' when the header promises more than is there."""
    match = re.search(r"^data\s*:\s*(\d+)\s*\(should be (\d+)\)", extra_info or "", re.MULTILINE)
    if not match:
        return None, None
    return int(match.group(1)), int(match.group(2))


def _describe(err: Exception) -> str:
    """The decoder's first line, with folders left out of any path in it (messages may reach a web client)."""
    text = str(err).strip() or type(err).__name__
    line = _QUOTED_PATH.sub(lambda m: m.group(1) + Path(m.group(2)).name + m.group(1), text.splitlines()[0])
    return _ABSOLUTE_PATH.sub(lambda m: Path(m.group(0)).name, line)[:200]


_QUOTED_PATH = re.compile(r"(['\"])((?:[A-Za-z]:)?[/\\][^'\"]*)\1")
_ABSOLUTE_PATH = re.compile(r"(?<![\w.])(?:[A-Za-z]:)?[/\\][^\s'\"]+")


def _import_av():
    try:
        import av
    except ImportError as err:  # pragma: no cover - av is a dependency
        raise AudioError("PyAV mangler til at læse dette lydformat: pip install av", code="audio-missing-decoder") from err
    return av
