"""Latency benchmark: replay sample calls at real time, N at once, on one shared model.

Latency of an utterance = the moment its event arrives − the wall-clock moment its last voiced frame
was played (call start + `speech_end`). Two points of arrival can be measured:

- transcript (default): the `utterance-final` event inside the process (issue 2's number);
- websocket: the `analysis-update` event carrying final text and signals, received by a real
  WebSocket client of a real server, as the side-panel receives it (issue 4's number).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from pydantic import BaseModel

from assistant.audio import FileSource
from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.events import parse_event
from assistant.paths import SAMPLES_DIR
from assistant.security.services import app_services
from assistant.security.users import add_user
from assistant.session import CallManager, CallSession
from assistant.session.pieces import PieceOptions
from assistant.transcription.service import TranscriptionService
from assistant.vad.segment import SpeechSegment
from assistant.web.app import create_app
from assistant.web.serving import serving_in_thread, uvicorn_server


@dataclass
class BenchOptions:
    """What to measure.

    Attributes:
        concurrency: Numbers of calls replayed at once, one run each.
        through_websocket: Measure at a WebSocket client of a real server instead of in process.
        samples: Sample names (stems in recordings_sample/); all when empty.
        seconds: Replay at most this many seconds of each call; None = the whole call. A cut replay
            ends the utterance running at the cut without any silence after it, so that utterance has
            no pause to decode in and measures "call ended mid-sentence", not a normal turn end.
        find_max: After the listed runs, raise N until the calls no longer keep up with real time.
        realtime_p95_s: A run keeps up with real time when p95 latency stays below this...
        realtime_backlog_s: ...and the last event of each call comes at most this long after its audio ends.
    """

    concurrency: list[int] = field(default_factory=lambda: [1, 2])
    through_websocket: bool = False
    samples: list[str] = field(default_factory=list)
    seconds: float | None = None
    find_max: bool = False
    realtime_p95_s: float = 2.0
    realtime_backlog_s: float = 3.0


class BenchReport(BaseModel):
    mode: str
    calls: int
    utterances: int
    latency_p50_s: float
    latency_p95_s: float
    latency_max_s: float
    audio_s: float
    wall_s: float
    decode_s: float
    real_time_factor: float
    cpu_percent: float
    peak_rss_mb: float
    backlog_s: float
    keeps_up: bool


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _sample_paths(names: list[str]) -> list[Path]:
    paths = sorted(SAMPLES_DIR.glob("*.wav"))
    if names:
        paths = [p for p in paths if p.stem in names or p.name in names]
    if not paths:
        raise AssistantError(f"Ingen eksempelopkald fundet i {SAMPLES_DIR}.", code="bench-no-samples")
    return paths


class _ResourceMonitor:
    """Samples this process's CPU and resident memory while a run goes on."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.peak_rss = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _ResourceMonitor:
        self._cpu_start = self.process.cpu_times()
        self._wall_start = time.monotonic()
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak_rss = max(self.peak_rss, self.process.memory_info().rss)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        cpu_end = self.process.cpu_times()
        used = (cpu_end.user - self._cpu_start.user) + (cpu_end.system - self._cpu_start.system)
        self.cpu_percent = 100 * used / max(time.monotonic() - self._wall_start, 1e-9)


async def _run_in_process(paths: list[Path], n_calls: int, options: BenchOptions, transcriber,  # noqa: ANN001
                          settings: Settings) -> tuple[list[float], float, float]:
    """N calls on the shared model; returns (latencies, audio seconds, backlog seconds)."""

    latencies: list[float] = []
    backlogs: list[float] = []
    audio_s = 0.0

    async def one_call(path: Path) -> None:
        nonlocal audio_s
        source = FileSource(path, realtime=True, channel_speakers=tuple(settings.channel_speakers),
                            max_seconds=options.seconds)
        session = CallSession(source=source, transcriber=transcriber, analyzer=None, partials=False,
                              piece_options=PieceOptions.from_settings(settings))
        start = time.monotonic()

        def on_event(event) -> None:  # noqa: ANN001
            if event.type == "utterance-final":
                latencies.append(time.monotonic() - (start + event.utterance.speech_end))

        session.add_listener(on_event)
        await session.start()
        await session.wait()
        played = min(source.duration, options.seconds or source.duration)
        audio_s += played
        backlogs.append(time.monotonic() - (start + played))

    await asyncio.gather(*(one_call(paths[i % len(paths)]) for i in range(n_calls)))
    return latencies, audio_s, max(backlogs, default=0.0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BENCH_USER = ("bench", "benchmark-password-1")


@contextlib.contextmanager
def _server(settings: Settings, transcriber):  # noqa: ANN001
    """A real uvicorn server in a thread, on a throw-away data dir, sharing the already loaded model."""
    import tempfile

    port = _free_port()
    stack_dir = tempfile.TemporaryDirectory(prefix="assistant-bench-")
    settings = settings.model_copy(update={"data_dir": Path(stack_dir.name), "database_url": None})
    app = create_app(settings, manager=CallManager(settings, transcriber=transcriber))
    with app_services(app).store.session() as session:
        add_user(session, username=BENCH_USER[0], role="caseworker", password=BENCH_USER[1])
    try:
        with serving_in_thread(uvicorn_server(app, host="127.0.0.1", port=port, log_level="warning")):
            yield f"127.0.0.1:{port}"
    finally:
        stack_dir.cleanup()


async def _run_through_websocket(paths: list[Path], n_calls: int, options: BenchOptions, address: str
                                 ) -> tuple[list[float], float, float]:
    """N calls started over HTTP; latency measured where a panel receives `analysis-update`."""
    import httpx
    import websockets

    latencies: list[float] = []
    backlogs: list[float] = []
    audio_s = 0.0

    async def one_call(client: httpx.AsyncClient, path: Path) -> None:
        nonlocal audio_s
        response = await client.post("/calls", json={"source": "file", "path": str(path), "realtime": True,
                                                       "max_seconds": options.seconds})
        response.raise_for_status()
        call_id = response.json()["call_id"]
        start_wall: float | None = None
        speech_end: dict[int, float] = {}
        cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        headers = {"Cookie": cookies, "Origin": f"http://{address}"}
        async with websockets.connect(f"ws://{address}/calls/{call_id}/events?after=0",
                                      additional_headers=headers) as ws:
            async for message in ws:
                event = parse_event(message)
                now = time.time()
                if event.type == "call-start":
                    start_wall = event.timestamp.timestamp()
                elif event.type == "utterance-final":
                    speech_end[event.turn_index] = event.utterance.speech_end
                elif event.type == "analysis-update" and start_wall is not None:
                    latencies.append(now - (start_wall + speech_end[event.turn_index]))
                elif event.type == "call-end":
                    played = max(speech_end.values(), default=0.0)
                    if start_wall is not None:
                        backlogs.append(now - (start_wall + played))
                    audio_s += played
                    break

    async with httpx.AsyncClient(base_url=f"http://{address}", timeout=60) as client:
        login = await client.post("/auth/login", json={"username": BENCH_USER[0], "password": BENCH_USER[1]})
        login.raise_for_status()
        client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        client.headers["Origin"] = f"http://{address}"
        await asyncio.gather(*(one_call(client, paths[i % len(paths)]) for i in range(n_calls)))
    return latencies, audio_s, max(backlogs, default=0.0)


def _warm_up(transcriber) -> None:  # noqa: ANN001
    """Decode a second of quiet once so the first measured utterance doesn't pay for lazy set-up."""
    import numpy as np

    quiet = (np.random.default_rng(0).standard_normal(16_000) * 1e-3).astype(np.float32)
    transcriber.transcribe_segment(SpeechSegment(speaker="unknown", start=0.0, samples=quiet, speech_end=1.0))


def run_benchmarks(options: BenchOptions, settings: Settings, *,
                   progress: Callable[[str], None] = lambda _line: None) -> list[BenchReport]:
    """Run one benchmark per concurrency level (and beyond with `find_max`).

    Returns:
        One report per run, in the order run.
    """

    paths = _sample_paths(options.samples)
    progress("Indlæser model …")
    transcriber = TranscriptionService(settings=settings)
    _warm_up(transcriber)
    reports: list[BenchReport] = []
    mode = "websocket" if options.through_websocket else "transcript"
    with contextlib.ExitStack() as stack:
        address = stack.enter_context(_server(settings, transcriber)) if options.through_websocket else ""

        def run(n_calls: int) -> BenchReport:
            progress(f"Måler {n_calls} samtidige opkald ({mode}) …")
            decode_before = transcriber.stats.decode_seconds
            with _ResourceMonitor() as monitor:
                wall_start = time.monotonic()
                if options.through_websocket:
                    coro = _run_through_websocket(paths, n_calls, options, address)
                else:
                    coro = _run_in_process(paths, n_calls, options, transcriber, settings)
                latencies, audio_s, backlog = asyncio.run(coro)
                wall = time.monotonic() - wall_start
            decode = transcriber.stats.decode_seconds - decode_before
            p95 = _percentile(latencies, 95)
            report = BenchReport(
                mode=mode, calls=n_calls, utterances=len(latencies),
                latency_p50_s=round(statistics.median(latencies), 3) if latencies else float("nan"),
                latency_p95_s=round(p95, 3), latency_max_s=round(max(latencies, default=float("nan")), 3),
                audio_s=round(audio_s, 1), wall_s=round(wall, 1), decode_s=round(decode, 1),
                real_time_factor=round(decode / audio_s, 3) if audio_s else float("nan"),
                cpu_percent=round(monitor.cpu_percent, 1), peak_rss_mb=round(monitor.peak_rss / 2**20, 1),
                backlog_s=round(backlog, 2),
                keeps_up=p95 <= options.realtime_p95_s and backlog <= options.realtime_backlog_s,
            )
            progress(format_report([report], header=False))
            return report

        for n_calls in options.concurrency:
            reports.append(run(n_calls))
        if options.find_max:
            n_calls = max(options.concurrency) + 1
            while reports[-1].keeps_up and n_calls <= 16:
                reports.append(run(n_calls))
                n_calls += 1
    return reports


def format_report(reports: list[BenchReport], *, header: bool = True) -> str:
    lines = []
    if header:
        lines.append(f"{'mode':<10} {'N':>2} {'utt':>4} {'p50 s':>6} {'p95 s':>6} {'max s':>6} {'RTF':>6} "
                     f"{'CPU %':>6} {'RSS MB':>7} {'backlog':>7} keeps-up")
    for r in reports:
        lines.append(f"{r.mode:<10} {r.calls:>2} {r.utterances:>4} {r.latency_p50_s:>6.2f} {r.latency_p95_s:>6.2f} "
                     f"{r.latency_max_s:>6.2f} {r.real_time_factor:>6.3f} {r.cpu_percent:>6.0f} "
                     f"{r.peak_rss_mb:>7.0f} {r.backlog_s:>7.2f} {'yes' if r.keeps_up else 'no'}")
    keeping = [r.calls for r in reports if r.keeps_up]
    if header and keeping:
        lines.append(f"Largest N that keeps up with real time: {max(keeping)}")
    return "\n".join(lines)
