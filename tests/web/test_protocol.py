"""The audio wire protocol's messages: parsing, validation errors, round trips, de-interleaving."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.events import SuggestionAction, parse_event
from assistant.web.protocol import (
    AudioDone,
    AudioReady,
    AudioStart,
    AudioStop,
    ProtocolError,
    WireError,
    deinterleave,
    parse_client_message,
)


def test_client_messages_round_trip():
    start = AudioStart(rate=48000, width=2, channels=1)
    assert parse_client_message(start.model_dump_json()) == start
    assert start.frame_bytes == 2
    assert parse_client_message('{"type": "audio-stop"}') == AudioStop()
    assert parse_client_message('{"type": "audio-start"}') == AudioStart(rate=16000, width=2, channels=2)
    for message in (AudioReady(call_id="c1"), AudioDone(seconds=1.5), WireError(code="x", message="y")):
        assert type(message).model_validate_json(message.model_dump_json()) == message


@pytest.mark.parametrize(("text", "code"), [
    ("{oops", "bad-json"),
    ("[1, 2]", "invalid-message"),
    ('{"rate": 16000}', "invalid-message"),
    ('{"type": "audio-chunk"}', "unknown-type"),
    ('{"type": "audio-start", "width": 4}', "invalid-message"),
    ('{"type": "audio-start", "channels": 3}', "invalid-message"),
    ('{"type": "audio-start", "rate": "fast"}', "invalid-message"),
])
def test_bad_messages_raise_a_coded_protocol_error(text, code):
    with pytest.raises(ProtocolError) as err:
        parse_client_message(text)
    assert err.value.code == code
    assert err.value.message


def test_deinterleave_splits_channels():
    stereo = np.array([[1, -1], [2, -2], [3, -3]], dtype="<i2")
    left, right = deinterleave(stereo.tobytes(), 2)
    assert np.frombuffer(left, "<i2").tolist() == [1, 2, 3]
    assert np.frombuffer(right, "<i2").tolist() == [-1, -2, -3]
    assert deinterleave(b"\x01\x00", 1) == [b"\x01\x00"]


def test_suggestion_action_event_round_trips():
    event = SuggestionAction(call_id="c1", seq=7, suggestion_id="s1", action="used", kind="summary")
    assert parse_event(event.model_dump_json()) == event
