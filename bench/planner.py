"""The planner against the greedy baseline on seeded instances (issue 13 §5).

    .venv/bin/python bench/planner.py            # S and M (what `make bench` runs)
    PLANNER_SIZES=S,M,L .venv/bin/python bench/planner.py   # L too: about six more minutes

Each (instance, method) runs in a child process so that its peak memory is its own. For each:
planned / plannable (the max-flow upper bound on coverage), the last interview day, jury-days
and the gap to the solver's bound on them, idle minutes inside jury half-days, seconds and
peak memory (max RSS). Every proposal is checked against every hard rule (`check.violations`).
How to read the table: docs/planning.md.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

TIME_LIMITS = {"S": 20.0, "M": 55.0, "L": 280.0}  # seconds for the solver; the rest is building and checking
SEED = 7


def one(size: str, method: str) -> dict:
    from _planner_instances import instance

    from interviewdesk.planning.check import violations
    from interviewdesk.planning.solver import plan, plan_greedy

    inst = instance(size)
    started = time.perf_counter()
    if method == "greedy":
        proposal = plan_greedy(inst)
    else:
        proposal = plan(inst, seed=SEED, time_limit=TIME_LIMITS[size])
    seconds = time.perf_counter() - started
    f = proposal.figures
    broken = violations(inst, proposal)
    return {"size": size, "method": method, "planned": f.planned, "candidates": f.candidates,
            "bound": f.plannable_bound, "last_day": f.last_day.isoformat() if f.last_day else "-",
            "jury_days": f.jury_days, "jury_days_bound": f.jury_days_bound, "idle": f.idle_minutes,
            "seconds": round(seconds, 1), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "violations": len(broken), "method_used": f.method, "lost_to_tests": f.lost_to_tests, "first_violation": broken[0] if broken else "",
            "stages": [[s.objective, s.value, s.bound, s.status, s.seconds] for s in f.stages]}


def main() -> int:
    sizes = os.environ.get("PLANNER_SIZES", "S,M").split(",")
    rows = []
    header = (f"{'inst':4} {'method':7} {'planned/plannable':>17} {'last day':>10} {'jury-days':>9} "
              f"{'bound':>5} {'gap':>6} {'idle min':>8} {'seconds':>7} {'peak MB':>7}")
    print(header, flush=True)
    for size in sizes:
        for method in ("greedy", "cp-sat"):
            out = subprocess.run([sys.executable, __file__, "--one", size, method], capture_output=True, text=True,
                                 check=False)
            if out.returncode:
                print(out.stderr, file=sys.stderr)
                return 1
            row = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(row)
            bound = row["jury_days_bound"]
            gap = f"{(row['jury_days'] - bound) / row['jury_days']:.1%}" if bound is not None and row["jury_days"] else "-"
            print(f"{size:4} {method:7} {row['planned']:>8}/{row['bound']:<8} {row['last_day']:>10} "
                  f"{row['jury_days']:>9} {bound if bound is not None else '-':>5} {gap:>6} {row['idle']:>8} "
                  f"{row['seconds']:>7} {row['peak_mb']:>7}", flush=True)
    print("\nsolver stages (objective, value, bound, status, seconds):")
    for row in rows:
        if row["stages"]:
            print(f"  {row['size']}: " + "; ".join(f"{o} {v} (bound {b}, {st}, {s}s)" for o, v, b, st, s in row["stages"])
                  + f"; lost to connection tests {row['lost_to_tests']}; proposal from: {row['method_used']}")
    failures = [f"{r['size']} {r['method']}: {r['violations']} broken rules, e.g. {r['first_violation']}"
                for r in rows if r["violations"]]
    for size in sizes:
        greedy, solver = (next(r for r in rows if r["size"] == size and r["method"] == m) for m in ("greedy", "cp-sat"))
        if solver["planned"] < greedy["planned"]:
            failures.append(f"{size}: the planner planned fewer candidates than the greedy")
    for failure in failures:
        print("FAILED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        print(json.dumps(one(sys.argv[2], sys.argv[3])))
        sys.exit(0)
    sys.exit(main())
