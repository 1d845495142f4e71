"""Tools that measure the product and are not part of it: the latency benchmark (`assistant bench`).

It sits at the top of the dependency order (it drives the session, the web app and the store as a user
would); only the command line imports it.
"""

from assistant.bench.latency import BenchOptions, BenchReport, format_report, run_benchmarks

__all__ = ["BenchOptions", "BenchReport", "format_report", "run_benchmarks"]
