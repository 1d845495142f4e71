"""The demo's login: a demo caseworker account and a one-time login link printed with the panel URL."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI

from assistant.errors import ConfigError
from assistant.security.services import app_services
from assistant.security.users import add_user
from assistant.store.models import User

DEMO_USERNAME = "demo"


def ensure_demo_user(app: FastAPI, *, username: str = DEMO_USERNAME) -> int:
    """The demo caseworker's user id; the account is created (without a password) on first use.

    It logs in through one-time links only, unless an admin gives it a password (`assistant users reset demo`).

    Raises:
        ConfigError: the account exists but is disabled or is not a caseworker.
    """
    from sqlalchemy import select

    with app_services(app).store.session() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user, _ = add_user(session, username=username, role="caseworker", display_name="Demo-sagsbehandler",
                               password="")
        if not user.active or user.role != "caseworker":
            raise ConfigError(f"Demo-brugeren '{username}' er deaktiveret eller ikke sagsbehandler.",
                              code="demo-user-unusable")
        return user.id


def login_link(app: FastAPI, *, user_id: int, next_path: str) -> str:
    """A one-time login link path (valid 15 minutes) that continues to `next_path` on this server.

    The link says it is the demo's (`demo=1`): used twice, it then tells how to get a new one instead of
    asking for a password the demo user does not have.
    """
    token = app_services(app).auth.login_link_token(user_id)
    return f"/auth/link/{token}?next={quote(next_path, safe='/')}&demo=1"
