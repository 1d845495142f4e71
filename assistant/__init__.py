"""Local, real-time call assistant for Danish complaint calls ("styrket borgerkontakt")."""

__version__ = "0.1.0"
