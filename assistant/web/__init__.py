"""The web app: FastAPI routes, WebSockets, the side-panel and the post-call pages (`create_app` in `app.py`)."""
