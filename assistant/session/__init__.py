"""The call session: wires the stages of one call together and publishes its events."""

from assistant.session.call import CallSession, CallSnapshot
from assistant.session.manager import CallManager, CallRequest

__all__ = ["CallManager", "CallRequest", "CallSession", "CallSnapshot"]
