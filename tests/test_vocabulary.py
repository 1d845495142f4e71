"""The domain vocabulary: one table per kind of code, matching what the analysis produces, served to the pages."""

from __future__ import annotations

import json
import typing

from assistant import vocabulary
from assistant.analysis import assessment, complaints
from assistant.analysis.types import ComplaintCategory, ComplaintKind, FlagKind


def test_every_code_the_analysis_produces_has_a_danish_name():
    # The analysis imports its categories and limits from the vocabulary; its pydantic types spell the codes
    # out as Literals (a type checker needs them written), and this keeps the two in step.
    assert set(typing.get_args(ComplaintCategory)) == set(vocabulary.COMPLAINT_CATEGORIES)
    assert set(complaints.CATEGORIES) == set(vocabulary.COMPLAINT_CATEGORIES)
    assert set(typing.get_args(ComplaintKind)) == set(vocabulary.COMPLAINT_KINDS)
    assert set(typing.get_args(FlagKind)) <= set(vocabulary.FLAGS)
    assert assessment.MANY_POINTS == vocabulary.MANY_POINTS


def test_names_are_distinct_and_danish():
    for table in (vocabulary.COMPLAINT_CATEGORIES, vocabulary.FLAGS, vocabulary.CALL_OUTCOMES,
                  vocabulary.NOTE_OUTCOMES, vocabulary.REVIEW_STATUSES):
        assert len(set(table.values())) == len(table)
    assert vocabulary.REVIEW_STATUSES["not_reviewed"] == "Ikke gennemgået"
    assert vocabulary.frustration_name(2) == "2 – Frustreret"
    assert vocabulary.frustration_name(None) == "–"


def test_plural_forms():
    assert vocabulary.plural(1, "sag", "sager") == "1 sag"
    assert vocabulary.plural(0, "sag", "sager") == "0 sager"
    assert vocabulary.plural(2, "sag", "sager") == "2 sager"


def test_pages_get_the_tables_as_a_script_without_logging_in(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from assistant.config import Settings
    from assistant.web.app import create_app

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path))
    with TestClient(create_app(Settings(data_dir=tmp_path, purge_interval_hours=0))) as client:
        response = client.get("/vocabulary.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/javascript")
    prefix = '"use strict";\nwindow.VOCABULARY = Object.freeze('
    assert response.text.startswith(prefix)
    tables = json.loads(response.text[len(prefix):].rstrip().removesuffix(");"))
    assert tables == json.loads(json.dumps(vocabulary.as_json()))
