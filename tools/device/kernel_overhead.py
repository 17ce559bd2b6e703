#!/usr/bin/env python3
"""Per-kernel cost of small kernels queued back to back in a CUDA graph.

Replays chains of N identical element-wise kernels (x.mul_(1.0001), an in-place
read and write) for several tensor sizes and fits time per kernel =
overhead + bytes moved / bandwidth by least squares. The overhead is what
xpusim calls kStreamedKernelOverheadS (src/cost/chip_cost.h).

Usage: python3 tools/device/kernel_overhead.py OUT.json
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from graph_timer import time_graph_us  # noqa: E402


def per_kernel_us(numel, chain=200, iters=50):
    x = torch.ones(numel, device="cuda", dtype=torch.bfloat16)
    def fn():
        for _ in range(chain):
            x.mul_(1.0001)
    return time_graph_us(fn, iters=iters, divide_by=chain)


def main():
    rows = []
    for numel in [1 << 10, 1 << 14, 1 << 17, 1 << 19, 1 << 20, 1 << 21, 1 << 22, 1 << 23]:
        us = per_kernel_us(numel)
        rows.append({"bytes_moved": numel * 2 * 2, "us_per_kernel": us})
        print(rows[-1], flush=True)
    # Least squares: us = a + bytes / (bw GB/s * 1e3)
    n = len(rows)
    xs = [r["bytes_moved"] for r in rows]
    ys = [r["us_per_kernel"] for r in rows]
    mx, my = sum(xs) / n, sum(ys) / n
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    overhead = my - slope * mx
    doc = {"device": torch.cuda.get_device_name(), "torch": torch.__version__,
           "what": "in-place bf16 multiply, chains of 200 kernels in one CUDA graph",
           "rows": rows, "fit_overhead_us": overhead, "fit_bandwidth_gb_s": 1e-3 / slope if slope > 0 else None,
           "smallest_kernel_us": min(ys)}
    print(json.dumps({k: v for k, v in doc.items() if k != "rows"}))
    with open(sys.argv[1] if len(sys.argv) > 1 else "kernel_overhead.json", "w") as f:
        json.dump(doc, f, indent=1)


if __name__ == "__main__":
    main()
