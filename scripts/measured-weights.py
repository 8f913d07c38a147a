#!/usr/bin/env python3
"""Condense frame-omni-bencher's `--json-file` output into the measured worst cases that
`try-runtime/tests/weights.rs` checks the declared weights against.

  measured-weights.py RAW.json OUT.txt

One line per benchmark and component point:
  benchmark  components  time_ns  reads  writes  proof_bytes
`components` is `name=value,...` (or `-`), `time_ns` the median extrinsic time over the
repeats, `reads`/`writes` the storage accesses the weight template charges, `proof_bytes` the
largest storage proof recorded at that point."""
import json
import statistics
import sys

raw, out = sys.argv[1], sys.argv[2]
lines = []
for batch in json.load(open(raw)):
    name = batch["benchmark"]
    times, dbs = {}, {}
    for r in batch["time_results"]:
        key = tuple((c[0], c[1]) for c in r["components"])
        times.setdefault(key, []).append(r["extrinsic_time"])
    for r in batch["db_results"]:
        key = tuple((c[0], c[1]) for c in r["components"])
        reads, writes, proof = dbs.get(key, (0, 0, 0))
        dbs[key] = (max(reads, r["reads"]), max(writes, r["writes"]), max(proof, r["proof_size"]))
    for key in sorted(times):
        comps = ",".join(f"{c}={v}" for c, v in key) or "-"
        reads, writes, proof = dbs.get(key, (0, 0, 0))
        t = int(statistics.median(times[key]))
        lines.append(f"{name} {comps} {t} {reads} {writes} {proof}")
with open(out, "w") as f:
    f.write("# benchmark components time_ns reads writes proof_bytes (scripts/measured-weights.py)\n")
    f.write("\n".join(lines) + "\n")
