"""`assistant serve` (the web server) and `assistant demo` (the server plus a demo call)."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path
from typing import Optional

import typer

from assistant.config import Settings, get_settings
from assistant.errors import AssistantError, ConfigError
from assistant.paths import SAMPLES_DIR

DEMO_SAMPLE_HINTS = ("flere_klagepunkter", "frustr")
"""The demo prefers the sample where a frustrated citizen raises several points (it shows most signals)."""


def _check_port_free(host: str, port: int) -> None:
    """Fail early with a clear message instead of uvicorn's exit on a busy port.

    The probe binds the way uvicorn will (SO_REUSEADDR): connections left in TIME-WAIT by a stopped or
    crashed server do not block the port, so a restart comes back at once; a port another process
    listens on still fails here.
    """
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as err:
            raise ConfigError(f"Kan ikke lytte på {host}:{port} ({err.strerror}). Vælg en anden port med --port.",
                              code="port-unavailable") from None


def _base_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else (f"[{host}]" if ":" in host else host)
    return f"http://{shown}:{port}"


def serve(
    host: Optional[str] = typer.Option(None, "--host", help="Adresse (standard fra indstillingerne: 127.0.0.1)"),
    port: Optional[int] = typer.Option(None, "--port", "-p", help="Port (standard fra indstillingerne: 8000)"),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level"),
) -> None:
    """Start the web server: the API, the WebSockets and the side-panel at /panel."""
    from assistant.web.app import create_app
    from assistant.web.serving import uvicorn_server

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    _check_port_free(host, port)
    typer.echo(f"Panelet: {_base_url(host, port)}/panel  (API-dokumentation: {_base_url(host, port)}/docs)")
    try:
        uvicorn_server(create_app(settings), host=host, port=port, log_level=log_level).run()
    except KeyboardInterrupt:  # uvicorn re-raises the captured Ctrl-C after a clean shutdown
        pass


def pick_demo_sample(name: str | None = None) -> str:
    """The sample the demo replays: `name` if given, else the frustrated multi-point one, else the first.

    Raises:
        AssistantError: code `no-samples` when recordings_sample/ holds no WAV file.
    """
    from assistant.session.manager import resolve_sample_path

    if name:
        return str(resolve_sample_path(name))
    samples = sorted(SAMPLES_DIR.glob("*.wav"))
    if not samples:
        raise AssistantError(f"Der er ingen eksempeloptagelser i {SAMPLES_DIR}.", code="no-samples")
    for hint in DEMO_SAMPLE_HINTS:
        for sample in samples:
            if hint in sample.stem:
                return str(sample)
    return str(samples[0])


def _can_open_browser() -> bool:
    """Only where a graphical browser can appear; on a server a text browser would take over the terminal."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


BUNDLED_MODEL_WARNING = (
    "Bemærk: --audio sender optagelsen gennem den indbyggede Whisper base-model, som er svag til dansk "
    "(især syntetisk tale): forvent forkert hørte ord og manglende signaler. Sådan installerer du en "
    "dansk model: se models/README.md (én linje, fx ASSISTANT_MODEL=syvai/faster-hviske-v3-conversation)."
)


async def _start_demo_call(manager, *, sample: str, audio: bool, realtime: bool, speed: float):  # noqa: ANN001
    """Start the demo call: the sample's script replayed as typed turns, or (`audio`) the recording itself.

    Returns:
        The session and, for a script replay, the task that feeds it (it waits for the panel to connect).
    """
    from assistant.security.demo import DEMO_USERNAME
    from assistant.session import CallRequest
    from assistant.session.replay import load_script, replay_script

    if audio:
        call = await manager.start_call(CallRequest(source="file", path=sample, realtime=realtime),
                                        owner=DEMO_USERNAME)
        return call, None
    script = load_script(Path(sample))
    call = await manager.start_call(CallRequest(source="text", citizen_informed=True), owner=DEMO_USERNAME,
                                    description=f"Demo: {script.title}", replay=True)
    feeder = asyncio.create_task(replay_script(call, script, speed=speed), name=f"demo-replay-{call.call_id}")
    return call, feeder


async def run_demo(settings: Settings, *, sample: str, host: str, port: int, open_browser: bool,
                   realtime: bool = True, audio: bool = False, speed: float = 1.0,
                   log_level: str = "warning") -> None:
    """Serve the app and start one demo call on `sample`; returns when the server stops (Ctrl-C).

    By default the sample's script is replayed turn by turn at speaking pace as a typed call, starting
    when the panel connects; with `audio` the recording goes through the configured transcription model.
    """
    from assistant.security.demo import ensure_demo_user, login_link
    from assistant.session import CallManager
    from assistant.web.app import create_app
    from assistant.web.serving import uvicorn_server

    manager = CallManager(settings)
    app = create_app(settings, manager=manager)
    demo_user_id = ensure_demo_user(app)  # before start-up, which would otherwise say nobody can log in
    server = uvicorn_server(app, host=host, port=port, log_level=log_level)
    serving = asyncio.create_task(server.serve())
    while not server.started:
        if serving.done():  # startup failed; uvicorn has logged why
            await serving
            raise ConfigError(f"Serveren kunne ikke starte på {host}:{port}.", code="server-start-failed")
        await asyncio.sleep(0.05)
    base = _base_url(host, port)
    if audio:
        typer.echo(BUNDLED_MODEL_WARNING if settings.model == "bundled" else
                   f"Optagelsen transskriberes med {settings.model}.", err=True)
        typer.echo("Indlæser talegenkendelsesmodellen …", err=True)
    try:
        call, feeder = await _start_demo_call(manager, sample=sample, audio=audio, realtime=realtime, speed=speed)
    except AssistantError:
        server.should_exit = True
        await serving
        raise
    # The panel needs a login: the demo caseworker gets a one-time link (15 minutes) straight to the call.
    url = base + login_link(app, user_id=demo_user_id, next_path=f"/panel/{call.call_id}")
    if audio:
        typer.echo(f"Demo-opkald startet: optagelsen {os.path.basename(sample)} afspilles i realtid.")
    else:
        typer.echo(f"Demo-opkald klar: manuskriptet til {os.path.basename(sample)} genafspilles replik for "
                   f"replik i taletempo. Det starter, når du åbner panelet.")
    typer.echo(f"Åbn panelet: {url}")
    typer.echo("(Engangslink: logger ind som demo-sagsbehandler og virker én gang i 15 minutter; "
               "kør 'assistant demo' igen for et nyt link.)")
    typer.echo("Stop med Ctrl-C.")
    if open_browser and _can_open_browser():
        import webbrowser

        webbrowser.open(url)
    try:
        await serving
    finally:
        if feeder is not None:
            feeder.cancel()


def demo(
    sample: Optional[str] = typer.Option(None, "--sample", "-s", help="Eksempelopkald (navn eller sti)"),
    port: Optional[int] = typer.Option(None, "--port", "-p", help="Port (standard 8000)"),
    no_browser: bool = typer.Option(False, "--no-browser", help="Åbn ikke browseren; udskriv kun adressen"),
    audio: bool = typer.Option(False, "--audio", help="Transskribér optagelsen i stedet for at genafspille "
                                                      "manuskriptet (den indbyggede model er svag til dansk)"),
    speed: float = typer.Option(1.0, "--speed", min=0.1, max=20.0,
                                help="Tempo for genafspilningen af manuskriptet (1 = taletempo)"),
) -> None:
    """Start the server and a demo call: a sample call's script replayed at speaking pace (or, with
    --audio, the recording through the transcription model); print the panel URL."""
    settings = get_settings()
    port = port or settings.port
    _check_port_free(settings.host, port)
    path = pick_demo_sample(sample)
    try:
        asyncio.run(run_demo(settings, sample=path, host=settings.host, port=port, open_browser=not no_browser,
                             audio=audio, speed=speed))
    except KeyboardInterrupt:  # uvicorn re-raises the captured Ctrl-C after a clean shutdown
        pass
    typer.echo("Demoen er stoppet.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(serve)
    app.command()(demo)
