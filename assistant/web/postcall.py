"""Post-call features (store, notes, supervisor review) plug into the web app here.

Placeholder owned by the store/notes area, which replaces it: `install_postcall` adds its routers and
attaches the store's recorder to the call manager.
"""

from __future__ import annotations


def install_postcall(app, *, manager, settings) -> None:  # noqa: ANN001
    """Add the post-call routes and the store's event recorder to `app`."""
