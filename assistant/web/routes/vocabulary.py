"""`GET /vocabulary.js`: the domain's Danish names (assistant.vocabulary) for the pages' scripts.

Served as a script that sets `window.VOCABULARY`, so a page loads it with a plain `<script src>` before its
own script, and the JavaScript never repeats a category, flag or outcome name.
"""

from __future__ import annotations

import json

from fastapi import APIRouter
from fastapi.responses import Response

from assistant import vocabulary

api_router = APIRouter(tags=["pages"], include_in_schema=False)
page_router = APIRouter(include_in_schema=False)


def vocabulary_script() -> str:
    """`window.VOCABULARY = {...};` (the tables hold no data about anybody: served to everyone)."""
    tables = json.dumps(vocabulary.as_json(), ensure_ascii=False, sort_keys=True)
    return f'"use strict";\nwindow.VOCABULARY = Object.freeze({tables});\n'


@api_router.get("/vocabulary.js")
def vocabulary_js() -> Response:
    return Response(vocabulary_script(), media_type="application/javascript; charset=utf-8",
                    headers={"Cache-Control": "no-cache"})
