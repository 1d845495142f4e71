"""Issue 13 bug: the `mask_phone_numbers`/`mask_emails` settings reach the command line too. The options are
passed in (store, session, note drafter), never set process-wide by building the web app."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from assistant.config import Settings
from assistant.store.db import Store
from assistant.store.recorder import CallRecorder
from store.builders import ScriptTurn, call_events, feed

CONTACT_TURN = ("Jeg har ventet længe, ring til mig på 20 30 40 50 eller skriv til anna.berg@mail.dk "
                "når sagen er færdig.")


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    code = "import sys; from assistant.cli import main; sys.argv = ['assistant', *sys.argv[1:]]; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=300)


def test_note_fresh_on_the_command_line_masks_contact_details_as_configured(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = Store.open(url)  # recorded before the options were switched on: the stored turn is unmasked
    feed(CallRecorder(store), call_events("kontakt", [
        ScriptTurn("caseworker", "Goddag, det er Mette fra Borgerservice. Hvad er der sket?"),
        ScriptTurn("citizen", CONTACT_TURN, points=[("sagsbehandlingstid", "har ventet længe")]),
    ]))
    store.close()
    env = {"ASSISTANT_DATA_DIR": str(tmp_path), "PYTHONPATH": os.getcwd()}

    plain = _cli("note", "kontakt", "--fresh", "--database-url", url, env=env)
    assert plain.returncode == 0, plain.stderr
    assert "20 30 40 50" in plain.stdout and "anna.berg@mail.dk" in plain.stdout  # the turn is in the draft

    masked = _cli("note", "kontakt", "--fresh", "--database-url", url,
                  env={**env, "ASSISTANT_MASK_PHONE_NUMBERS": "true", "ASSISTANT_MASK_EMAILS": "true"})
    assert masked.returncode == 0, masked.stderr
    assert "ring til mig på XX XX XX XX eller skriv til …@mail.dk" in masked.stdout
    assert "20 30 40 50" not in masked.stdout and "anna.berg" not in masked.stdout


def test_transcribe_and_listen_sessions_mask_as_the_settings_say():
    # `transcribe` and `listen` run the session `cli_call_session` builds; a typed turn takes the same path
    # through the session's masking as a transcribed one (no model is needed to show it).
    from assistant.cli.pipeline_commands import cli_call_session

    async def first_text(settings: Settings) -> str:
        session = cli_call_session(None, transcriber=None, settings=settings)
        await session.start()
        await session.add_text("citizen", CONTACT_TURN)
        await session.end("stopped")
        return session.utterances[0].text

    masked = asyncio.run(first_text(Settings(mask_phone_numbers=True, mask_emails=True)))
    assert "XX XX XX XX" in masked and "…@mail.dk" in masked and "anna.berg" not in masked
    assert asyncio.run(first_text(Settings())) == CONTACT_TURN
