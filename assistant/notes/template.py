"""Note templates live in prompts/notes/ (wording is data, not code); rendered with Jinja2."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from assistant.paths import PROMPTS_DIR

TEMPLATES_DIR = PROMPTS_DIR / "notes"


@lru_cache(maxsize=1)
def _environment():  # noqa: ANN202 - jinja2 is imported lazily
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=False,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True)


def render_template(name: str, **context: Any) -> str:
    """Render `prompts/notes/<name>` with `context`."""
    return _environment().get_template(name).render(**context)
