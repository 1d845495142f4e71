"""Access control and hardening: logins, roles, the access gate, CSRF, throttling, headers, size limits.

`install_security(app, services)` wires it all into the app; `policy.ROUTE_ACCESS` says who may use which
route (a route missing there is refused).
"""

from assistant.security.install import install_security
from assistant.security.policy import ROUTE_ACCESS, Access
from assistant.security.sessions import Authenticator, Identity

__all__ = ["ROUTE_ACCESS", "Access", "Authenticator", "Identity", "install_security"]
