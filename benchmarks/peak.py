"""Run a command and write its peak RSS in MB to a file: ``peak.py OUT COMMAND...``.

Why a launcher: Linux counts the parent's resident memory at fork time in a child's ru_maxrss
(exec keeps the high-water mark of the address space it replaces), so a child started from the
suite's runner, which has numpy, torch and the prepared data loaded, would report at least the
runner's size. This launcher imports nothing heavy; what it reports for its own child is that
child's peak (plus this launcher's ~10 MB).
"""

import os
import subprocess
import sys

out, command = sys.argv[1], sys.argv[2:]
process = subprocess.Popen(command)
_, status, usage = os.wait4(process.pid, 0)
process.returncode = os.waitstatus_to_exitcode(status)
with open(out, "w") as handle:
    handle.write(f"{usage.ru_maxrss / 1024:.1f}\n")
sys.exit(process.returncode)
