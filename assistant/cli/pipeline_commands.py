"""Commands that run the live pipeline in the terminal: `transcribe`, `listen`, `bench`."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Optional

import typer

from assistant.config import Settings, get_settings
from assistant.events import CallEvent, ErrorEvent, UtteranceFinal, UtterancePartial
from assistant.masking import MaskingOptions

SPEAKER_LABELS = {"caseworker": "Sagsbehandler", "citizen": "Borger", "unknown": "Ukendt"}


def _print_event(event: CallEvent, *, as_json: bool) -> None:
    """One line per final utterance (JSON Lines with --json); errors to stderr."""
    if isinstance(event, ErrorEvent):
        typer.secho(f"Fejl ({event.code}): {event.message}", fg="red", err=True)
    elif isinstance(event, UtteranceFinal):
        u = event.utterance
        if as_json:
            typer.echo(u.model_dump_json())
        else:
            lang = "" if u.language == "da" else f" [{u.language}]"
            typer.echo(f"[{u.start:7.2f}–{u.end:7.2f}] {SPEAKER_LABELS[u.speaker]:>13}{lang}: {u.text}")
    elif isinstance(event, UtterancePartial) and not as_json:
        typer.secho(f"            … {SPEAKER_LABELS[event.speaker]:>13}: {event.text}", dim=True, err=True)


def cli_call_session(source, *, transcriber, settings: Settings):  # noqa: ANN001, ANN201
    """The call session `transcribe` and `listen` run: pieces and masking as the settings say."""
    from assistant.session import CallSession
    from assistant.session.pieces import PieceOptions

    return CallSession(source=source, transcriber=transcriber, analyzer=None,
                       piece_options=PieceOptions.from_settings(settings),
                       masking=MaskingOptions.from_settings(settings))


async def _run_session(source, *, as_json: bool) -> None:  # noqa: ANN001
    from assistant.transcription.service import TranscriptionService

    settings = get_settings()
    transcriber = await asyncio.to_thread(lambda: TranscriptionService(settings=settings))
    session = cli_call_session(source, transcriber=transcriber, settings=settings)
    session.add_listener(lambda event: _print_event(event, as_json=as_json))
    await session.start()
    try:
        await session.wait()
    except asyncio.CancelledError:
        await session.end("stopped")
        raise


def transcribe(
    file: Path = typer.Argument(..., help="Lydfil (WAV/FLAC/OGG/MP3), mono eller stereo, enhver samplerate"),
    live: bool = typer.Option(False, "--live", help="Afspil i realtid som et live opkald"),
    as_json: bool = typer.Option(False, "--json", help="Én JSON-linje pr. replik"),
) -> None:
    """Transcribe a call recording, speaker by channel, printing each utterance as it is produced."""
    from assistant.audio import FileSource

    settings = get_settings()
    source = FileSource(file, realtime=live, channel_speakers=tuple(settings.channel_speakers))
    try:
        asyncio.run(_run_session(source, as_json=as_json))
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


def listen(
    device: Optional[list[str]] = typer.Option(None, "--device", "-d",
                                               help="Optageenhed (navn eller nummer); to gange for headset + opkald"),
    server: Optional[str] = typer.Option(None, "--server", help="Send lyden til en server, f.eks. http://host:8000"),
    user: Optional[str] = typer.Option(None, "--user", "-u", help="Brugernavn på serveren (adgangskoden spørges om)"),
    as_json: bool = typer.Option(False, "--json", help="Én JSON-linje pr. replik"),
) -> None:
    """Transcribe live from capture devices here, or stream them to a central server (`--server`)."""
    try:
        if server:
            from assistant.web.audio_client import stream_capture

            credentials = None
            if user:
                credentials = (user, typer.prompt("Adgangskode", hide_input=True))
            result = asyncio.run(stream_capture(server, devices=device or None, credentials=credentials))
            typer.echo(f"Sendt {result.seconds_sent:.0f} s lyd til opkald {result.call_id}.")
            return
        from assistant.audio import CaptureSource

        source = CaptureSource(devices=device or None, channel_speakers=tuple(get_settings().channel_speakers))
        asyncio.run(_run_session(source, as_json=as_json))
    except KeyboardInterrupt:
        raise typer.Exit(0) from None


def bench(
    calls: str = typer.Option("1,2", "--calls", "-n", help="Antal samtidige opkald, kommasepareret, f.eks. 1,2,3"),
    websocket: bool = typer.Option(False, "--websocket", help="Mål gennem serverens WebSocket til panelet"),
    samples: Optional[list[str]] = typer.Option(None, "--sample", help="Eksempelopkald (standard: alle)"),
    limit_s: float | None = typer.Option(None, "--seconds", help="Afspil højst så mange sekunder af hvert opkald "
                                                                  "(standard: hele opkaldet)"),
    find_max: bool = typer.Option(False, "--find-max", help="Øg N indtil opkaldene ikke længere holder realtid"),
    as_json: bool = typer.Option(False, "--json", help="Resultater som JSON"),
) -> None:
    """Replay sample calls at real time, N at once, and report latency, real-time factor, CPU and memory."""
    from assistant.bench import BenchOptions, format_report, run_benchmarks

    options = BenchOptions(
        concurrency=[int(n) for n in calls.split(",") if n.strip()], through_websocket=websocket,
        samples=samples or [], seconds=limit_s, find_max=find_max,
    )
    reports = run_benchmarks(options, get_settings(), progress=lambda line: typer.echo(line, err=True))
    if as_json:
        typer.echo(json.dumps([r.model_dump() for r in reports], indent=2))
    else:
        typer.echo(format_report(reports))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(transcribe)
    app.command()(listen)
    app.command()(bench)
