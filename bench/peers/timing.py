"""Shared timing loop of the peer scripts: warm-up, then timed runs until
`repeat` runs or `time_limit` seconds (at least 3 runs); median and min in
ms. clock "cpu" reads the process CPU time (time.process_time): with one
thread it leaves out the time the process was descheduled, as tsopt's
--clock cpu does, which keeps numbers comparable on a loaded machine; with
several threads it sums their time, so use it single-threaded only."""

import statistics
import time


def time_runs(run, repeat, time_limit, clock="wall", warmup=3):
    now = time.process_time if clock == "cpu" else time.perf_counter
    for _ in range(warmup):
        run()
    times = []
    start = time.perf_counter()
    while len(times) < repeat:
        t0 = now()
        run()
        times.append((now() - t0) * 1e3)
        if len(times) >= 3 and time.perf_counter() - start > time_limit:
            break
    return {"median_ms": statistics.median(times), "min_ms": min(times),
            "runs": len(times), "clock": clock}
