"""Remote capture client: streams PCM16 from a capture device or a file to a server's `WS /calls/{id}/audio`.

This is what `assistant listen --server URL` runs on the caseworker's PC while the server runs centrally.
The wire protocol is described in `assistant.web.protocol`.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.audio import CaptureSource, FileSource
from assistant.errors import AssistantError
from assistant.web.protocol import AudioStart, AudioStop

if TYPE_CHECKING:
    from assistant.audio import AudioFrame, AudioSource

log = logging.getLogger(__name__)

RATE = 16_000
"""The client sends what the sources yield: 16 kHz (no resampling on the server)."""


class ClientError(AssistantError):
    code = "audio-client-error"


@dataclass
class StreamResult:
    """What a streaming run did."""

    call_id: str
    panel_url: str
    seconds_sent: float
    server_errors: list[str]


def _urls(server_url: str) -> tuple[str, str]:
    """(http base, ws base) from `http://host:port`, `https://…`, `ws://…` or `host:port`."""
    url = server_url.rstrip("/")
    if "://" not in url:
        url = f"http://{url}"
    scheme, rest = url.split("://", 1)
    http = {"ws": "http", "wss": "https"}.get(scheme, scheme)
    ws = {"http": "ws", "https": "wss"}.get(http, "ws")
    return f"{http}://{rest}", f"{ws}://{rest}"


async def _frames(source: AudioSource) -> AsyncIterator[AudioFrame]:
    """The source's blocking frame iterator, read in a thread and handed to the event loop."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[object] = asyncio.Queue(maxsize=200)
    done = object()

    def pump() -> None:
        try:
            for frame in source.frames():
                asyncio.run_coroutine_threadsafe(queue.put(frame), loop).result()
        except BaseException as err:  # hand the failure to the event loop; it is raised there
            asyncio.run_coroutine_threadsafe(queue.put(err), loop).result()
        finally:
            asyncio.run_coroutine_threadsafe(queue.put(done), loop).result()

    threading.Thread(target=pump, name="audio-client-source", daemon=True).start()
    while True:
        item = await queue.get()
        if item is done:
            return
        if isinstance(item, BaseException):
            raise item
        yield item  # type: ignore[misc]


class _Interleaver:
    """Collects per-channel frames and returns interleaved PCM16 once every channel has audio."""

    def __init__(self, channels: int) -> None:
        self.buffers = [np.zeros(0, dtype=np.float32) for _ in range(channels)]

    def add(self, frame: AudioFrame) -> bytes:
        self.buffers[frame.channel] = np.concatenate([self.buffers[frame.channel], frame.samples])
        n = min(len(b) for b in self.buffers)
        if n == 0:
            return b""
        block = np.stack([b[:n] for b in self.buffers], axis=1)
        self.buffers = [b[n:] for b in self.buffers]
        return (np.clip(block, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


async def stream_source(server_url: str, source: AudioSource, *, call_id: str | None = None,
                        citizen_informed: bool = False,
                        on_message: Callable[[str], None] = lambda _text: None,
                        on_ready: Callable[[str], None] = lambda _url: None,
                        credentials: tuple[str, str] | None = None) -> StreamResult:
    """Stream an open audio source to the server as one call.

    Args:
        server_url: The server, e.g. `http://127.0.0.1:8000`.
        source: Any `AudioSource` (file, capture); it is closed at the end.
        call_id: An existing `stream` call to feed; a new one is started when None.
        citizen_informed: For a new call: the caseworker told the citizen about the assistant.
        on_message: Called with each text message from the server (ready, errors, done).
        on_ready: Called with the panel URL once the call is open.
        credentials: (user name, password) to log in with when the server has access control on.

    Returns:
        The call id, the panel URL, the seconds sent and the server's error messages.

    Raises:
        ClientError: the server refused the call or closed the connection with an error code.
    """
    import httpx
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    http_base, ws_base = _urls(server_url)
    channels = len(source.speakers)
    async with httpx.AsyncClient(base_url=http_base, timeout=120) as client:
        if credentials is not None:
            await _login(client, credentials)
        if call_id is None:
            response = await client.post("/calls", json={"source": "stream", "sample_rate": RATE,
                                                          "channels": channels, "citizen_informed": citizen_informed})
            if response.status_code != 201:
                raise ClientError(f"Serveren startede ikke opkaldet: {_message(response)}", code="audio-client-refused")
            call_id = response.json()["call_id"]
        cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    ws_headers = {"Cookie": cookies} if cookies else {}
    panel_url = f"{http_base}/panel/{call_id}"
    on_ready(panel_url)
    errors: list[str] = []
    sent = 0
    start = AudioStart(rate=RATE, width=2, channels=channels)
    try:
        async with connect(f"{ws_base}/calls/{call_id}/audio", max_size=2**20, additional_headers=ws_headers) as ws:

            async def read() -> None:
                async for message in ws:
                    if isinstance(message, str):
                        if '"type":"error"' in message.replace(" ", ""):
                            errors.append(message)
                        on_message(message)

            reader = asyncio.create_task(read())
            await ws.send(start.model_dump_json())
            interleaver = _Interleaver(channels)
            try:
                async for frame in _frames(source):
                    payload = interleaver.add(frame)
                    if payload:
                        await ws.send(payload)
                        sent += len(payload)
            except asyncio.CancelledError:  # Ctrl-C: end the call cleanly rather than as a dropped client
                await asyncio.shield(ws.send(AudioStop().model_dump_json()))
                raise
            await ws.send(AudioStop().model_dump_json())
            try:
                await asyncio.wait_for(reader, timeout=30)  # until audio-done and the server's close
            except asyncio.TimeoutError:
                reader.cancel()
    except ConnectionClosed as err:
        if err.rcvd is not None and err.rcvd.code >= 4000:
            raise ClientError(f"Serveren lukkede lydforbindelsen ({err.rcvd.code}: {err.rcvd.reason}).",
                              code="audio-client-closed") from None
        raise ClientError("Forbindelsen til serveren blev afbrudt.", code="audio-client-closed") from err
    except OSError as err:
        raise ClientError(f"Kan ikke forbinde til {ws_base}: {err}", code="audio-client-connect") from err
    finally:
        source.close()
    return StreamResult(call_id=call_id, panel_url=panel_url, seconds_sent=sent / (2 * channels * RATE),
                        server_errors=errors)


def _message(response) -> str:  # noqa: ANN001
    try:
        return str(response.json().get("message", response.text))
    except ValueError:
        return f"HTTP {response.status_code}"


async def _login(client, credentials: tuple[str, str]) -> None:  # noqa: ANN001
    """Log the client in (session cookie in its jar, CSRF token in its headers)."""
    username, password = credentials
    response = await client.post("/auth/login", json={"username": username, "password": password})
    if response.status_code != 200:
        raise ClientError(f"Login på serveren mislykkedes: {_message(response)}", code="audio-client-login")
    token = response.json().get("csrf_token")
    if token:
        client.headers["X-CSRF-Token"] = token


async def stream_file(server_url: str, path: str | Path, realtime: bool = True, **kwargs) -> StreamResult:
    """Stream a recording to the server as if it were captured live.

    Args:
        server_url: The server, e.g. `http://127.0.0.1:8000`.
        path: A WAV (or other audio) file; stereo = caseworker left, citizen right.
        realtime: Pace the audio at real time (False: as fast as it can be read).
        **kwargs: Passed to `stream_source` (call_id, citizen_informed, on_message, on_ready, credentials).

    Returns:
        See `stream_source`.
    """

    source = await asyncio.to_thread(FileSource, Path(path), realtime=realtime)
    return await stream_source(server_url, source, **kwargs)


async def stream_capture(server_url: str, *, devices: Sequence[str] | None = None,
                         channel_speakers: Sequence[str] = ("caseworker", "citizen"), **kwargs) -> StreamResult:
    """Capture from this PC's devices (headset + call loopback, or one stereo device) and stream to the server.

    Runs until the capture stops or Ctrl-C. Prints the panel URL once the call is open.

    Args:
        server_url: The server, e.g. `http://server:8000`.
        devices: One stereo device or two (headset, call loopback); the default input when None.
        channel_speakers: Speaker per channel.
        **kwargs: Passed to `stream_source` (call_id, citizen_informed, on_message, on_ready, credentials).

    Returns:
        See `stream_source`.
    """

    source = await asyncio.to_thread(CaptureSource, devices=list(devices) if devices else None,
                                     channel_speakers=tuple(channel_speakers))

    def announce(text: str) -> None:
        if '"error"' in text:
            print(f"Serveren: {text}", flush=True)

    kwargs.setdefault("on_message", announce)
    kwargs.setdefault("on_ready", lambda url: print(f"Lyden sendes til serveren. Panelet: {url}", flush=True))
    return await stream_source(server_url, source, **kwargs)
