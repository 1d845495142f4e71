"""Where the static files of the panel and of the post-call pages (notes, review, statistics) are."""

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
REVIEW_STATIC_DIR = STATIC_DIR / "review"
