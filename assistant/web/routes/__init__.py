"""HTTP and WebSocket routes of the web app, one module per resource."""
