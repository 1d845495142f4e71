"""`assistant bench` end to end on a short replay: real model, real-time file source, real sessions."""

from __future__ import annotations

import pytest

from assistant.bench import BenchOptions, format_report, run_benchmarks

pytestmark = pytest.mark.slow


def test_bench_reports_latency_and_resources_for_one_call(test_settings):
    options = BenchOptions(concurrency=[1], samples=["06_trussel_sanktion"], seconds=12.0)
    lines: list[str] = []
    [report] = run_benchmarks(options, test_settings, progress=lines.append)

    assert report.mode == "transcript" and report.calls == 1
    assert report.utterances >= 2, "the first 12 s of the call hold several turns"
    assert 0 < report.latency_p50_s <= report.latency_p95_s <= report.latency_max_s
    assert report.audio_s == 12.0 and report.wall_s >= 12.0, "replayed at real time"
    assert report.decode_s > 0 and report.peak_rss_mb > 0 and report.cpu_percent > 0
    table = format_report([report])
    assert "transcript" in table.splitlines()[1]
    if report.keeps_up:
        assert table.splitlines()[-1] == "Largest N that keeps up with real time: 1"
    assert any("1 samtidige" in line for line in lines)
