"""PushSource keeps a pushing client to real time (issue 11, finding 1): the pacing wait, the buffer bound, discard."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.audio import PushSource
from assistant.errors import AudioError


def _silence(seconds: float, rate: int = 16_000) -> bytes:
    return np.zeros(int(seconds * rate), dtype="<i2").tobytes()


def test_the_pacing_wait_holds_audio_beyond_the_lead_over_real_time():
    now = [100.0]
    source = PushSource(["unknown"], clock=lambda: now[0])
    assert source.pacing_wait(2.0, max_lead_s=5.0) == 0  # the first seconds may go in at once
    assert source.pacing_wait(9.0, max_lead_s=5.0) == pytest.approx(4.0)
    source.push(0, _silence(4.0), 16_000)
    assert source.pacing_wait(1.0, max_lead_s=5.0) == 0  # 5 s ahead: just within the lead
    assert source.pacing_wait(3.0, max_lead_s=5.0) == pytest.approx(2.0)
    now[0] += 10.0  # real time passes: the client is behind now and may catch up at once
    assert source.pacing_wait(10.0, max_lead_s=5.0) == 0


def test_push_refuses_audio_beyond_the_buffer_and_discard_frees_it():
    source = PushSource(["caseworker", "citizen"], max_buffered_s=2.0)
    for channel in (0, 1):
        source.push(channel, _silence(1.5), 16_000)
    assert source.buffered_seconds == pytest.approx(1.5, abs=0.05)
    with pytest.raises(AudioError) as refused:
        source.push(0, _silence(1.0), 16_000)
    assert refused.value.code == "audio-buffer-full"
    first = next(source.frames(timeout=1))
    assert source.buffered_seconds < 1.5  # reading frees the buffer
    assert first.channel in (0, 1)
    source.discard()
    assert source.buffered_seconds == 0 and list(source.frames(timeout=1)) == []
