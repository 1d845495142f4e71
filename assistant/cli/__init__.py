"""The `assistant` command: a thin typer app; each stage's commands live in their own module.

The command modules import the core (settings, errors, paths, masking) at their top, but each command imports
the subsystem it runs (the web app, the store, the analysis models, the transcription stack, the benchmark)
inside its function: every one of them costs about a second to import on a laptop (FastAPI and uvicorn,
SQLAlchemy and Alembic, numpy and the fitted models), and `assistant --help` or `assistant analyze` should not
pay for all of them.
"""

from __future__ import annotations

import sys

import typer

from assistant.errors import AssistantError

app = typer.Typer(
    name="assistant",
    help="Lokal opkaldsassistent til styrket borgerkontakt (Danish call assistant).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

# Each module adds its commands to `app` (one module per area, so they can grow independently).
from assistant.cli import (  # noqa: E402
    analysis_commands,
    audio_commands,
    model_commands,
    pipeline_commands,
    server_commands,
    store_commands,
    user_commands,
)

for _module in (model_commands, audio_commands, pipeline_commands, analysis_commands, server_commands, store_commands,
                user_commands):
    _module.register(app)


def main() -> None:
    """Entry point: run the app and turn an `AssistantError` into a clear message, not a traceback."""
    try:
        app(standalone_mode=False)
    except AssistantError as err:
        typer.secho(f"Fejl ({err.code}): {err.message}", fg="red", err=True)
        sys.exit(2)
    except typer.Abort:
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # click usage errors carry their own exit code
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise
