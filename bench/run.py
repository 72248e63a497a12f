"""`make bench`: run every benchmark script in this folder, one after the other.

Each script prints its own figures; this runner only adds a header and the wall time.
"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

scripts = sorted(p for p in HERE.glob("*.py") if p.name != "run.py" and not p.name.startswith("_"))
if len(sys.argv) > 1:
    scripts = [p for p in scripts if p.stem in sys.argv[1:]]
failed = []
for script in scripts:
    print(f"\n=== {script.stem} ===", flush=True)
    started = time.perf_counter()
    code = subprocess.call([sys.executable, str(script)], cwd=ROOT)
    print(f"--- {script.stem}: exit {code}, {time.perf_counter() - started:.1f} s", flush=True)
    if code:
        failed.append(script.stem)
sys.exit(1 if failed else 0)
