"""Run one command and record its own wall time and peak memory.

    python -m bench.peak RESULT.json COMMAND [ARGS...]

Linux keeps a process's high-water mark of resident memory across fork and exec, so a command
started straight from the benchmark (which holds pandas, SQLAlchemy and a store by then) reports
at least the benchmark's own size: the 40 MB floor read as 75 MB. Started from this small process
(about 10 MB, less than any command measured), the figure is the command's own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    result, command = argv[0], argv[1:]
    started = time.perf_counter()
    child = subprocess.Popen(command)
    _, status, usage = os.wait4(child.pid, 0)  # the child's own rusage
    wall = time.perf_counter() - started
    with open(result, "w", encoding="utf-8") as out:
        json.dump(
            {
                "returncode": os.waitstatus_to_exitcode(status),
                "seconds": wall,
                "peak_mb": usage.ru_maxrss / 1024,
                "cpu_seconds": usage.ru_utime
                + usage.ru_stime,  # steadier than wall on a busy machine
            },
            out,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
