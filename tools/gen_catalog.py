#!/usr/bin/env python3
"""One-off converter: shared/reference/accelerators.json -> data/chips, data/systems.

The committed YAML is the product; this script records how it was produced.
Every number below was hand-copied from the reference (and its tag kept), or is
an estimate whose basis is written in the comment next to it. Run:

    python3 tools/gen_catalog.py [--ref PATH] [--check]

--check only recomputes TPP / performance density and compares them with the
reference's `tpp` column; it writes nothing. The canonical examples
data/chips/h100-sxm.yaml and data/systems/dgx-h100.yaml are hand-written and not
regenerated here.
"""
import argparse
import json
import os
import re
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_REF = "/work/shared/reference/accelerators.json"

EST = ("xpusim estimate; the basis is written in the comment on each line that uses it", "")
IDLE_FRACTION = 0.11  # H100 measured idle 76 W / 700 W TDP (shared/calibration/h100)


def S(key, value, tag, conf, comment=None):
    return (key, value, tag, conf, comment)


def idle(tdp, basis="TDP"):
    return S("idle_power_w", round(IDLE_FRACTION * tdp), "est", "estimate",
             f"0.11 x {basis} ({tdp} W): H100 measured idle/TDP ratio 76/700")


def half(key, bidir, tag, conf, what="bidirectional"):
    v = bidir / 2
    v = int(v) if v == int(v) else v
    return S(key, v, tag, conf, f"{bidir} GB/s {what} / 2")


# ---------------------------------------------------------------------------
# Chips
# ---------------------------------------------------------------------------
CHIPS = []


def chip(**kw):
    CHIPS.append(kw)


# ---- NVIDIA ----------------------------------------------------------------
chip(id="a100-sxm-80gb", ref="A100 SXM4 80GB", name="NVIDIA A100 SXM4 80GB", vendor="NVIDIA",
     ecosystem="us", aliases=["a100", "a100-80gb", "a100-sxm4-80gb", "a100-sxm"],
     year=2020, process_node="TSMC N7", memory_type="HBM2e", domain=8,
     domain_comment="HGX A100 8-GPU NVSwitch board",
     specs=[S("tflops_fp32", 19.5, "NV-A100", "datasheet"),
            S("tflops_tf32", 156, "NV-A100", "datasheet"),
            S("tflops_bf16", 312, "NV-A100", "datasheet"),
            S("tflops_fp16", 312, "NV-A100", "datasheet"),
            S("tops_int8", 624, "NV-A100", "datasheet"),
            S("memory_gb", 80, "NV-A100", "datasheet"),
            S("memory_bandwidth_tb_s", 2.039, "NV-A100", "datasheet"),
            S("sram_mb", 40, "Epoch", "reported", "L2 cache"),
            S("tdp_w", 400, "NV-A100", "datasheet"),
            idle(400),
            S("die_area_mm2", 826, "Epoch", "reported"),
            half("scaleup_bandwidth_gb_s", 600, "NV-A100", "datasheet", "bidirectional NVLink 3 (12 links)"),
            S("scaleout_bandwidth_gbit_s", 200, "Epoch", "reported", "DGX A100: one HDR 200 Gb/s NIC per GPU"),
            S("price_usd", 15000, "Epoch", "estimate", "A100 40GB launch-era estimate; 80GB not priced separately")],
     notes="Sparse headline figures are 2x the dense values used here. TPP 4,992 (INT8 624 x 8), "
           "PD 6.04: controlled since Oct-2022 (3A090.a).")

chip(id="a100-sxm-40gb", ref="A100 SXM4 80GB", name="NVIDIA A100 SXM4 40GB", vendor="NVIDIA",
     ecosystem="us", aliases=["a100-40gb", "a100-sxm4-40gb"],
     year=2020, process_node="TSMC N7", memory_type="HBM2", domain=8,
     domain_comment="HGX A100 8-GPU NVSwitch board",
     header="Derived from the A100 SXM4 80GB record of shared/reference/accelerators.json:\n"
            "same GA100 compute, 40 GB HBM2 at 1.555 TB/s (A100 datasheet, 40GB column).",
     specs=[S("tflops_fp32", 19.5, "NV-A100", "datasheet"),
            S("tflops_tf32", 156, "NV-A100", "datasheet"),
            S("tflops_bf16", 312, "NV-A100", "datasheet"),
            S("tflops_fp16", 312, "NV-A100", "datasheet"),
            S("tops_int8", 624, "NV-A100", "datasheet"),
            S("memory_gb", 40, "NV-A100", "datasheet", "40GB column of the datasheet; not in the reference table"),
            S("memory_bandwidth_tb_s", 1.555, "NV-A100", "datasheet", "40GB column of the datasheet; not in the reference table"),
            S("sram_mb", 40, "Epoch", "reported", "L2 cache"),
            S("tdp_w", 400, "NV-A100", "datasheet"),
            idle(400),
            S("die_area_mm2", 826, "Epoch", "reported"),
            half("scaleup_bandwidth_gb_s", 600, "NV-A100", "datasheet", "bidirectional NVLink 3"),
            S("scaleout_bandwidth_gbit_s", 200, "Epoch", "reported", "DGX A100 HDR, one NIC per GPU"),
            S("price_usd", 15000, "Epoch", "estimate", "NextPlatform launch-era estimate for the 40GB part")],
     notes="Derived variant (see header). TPP 4,992, PD 6.04 as the 80GB part.")

chip(id="a800-sxm-80gb", ref="A800 SXM4 80GB", name="NVIDIA A800 SXM4 80GB", vendor="NVIDIA",
     ecosystem="us", aliases=["a800", "a800-80gb", "a800-sxm4-80gb"],
     year=2022, process_node="TSMC N7", memory_type="HBM2e", domain=8,
     specs=[S("tflops_fp32", 19.5, "Epoch", "reported"),
            S("tflops_tf32", 156, "Epoch", "reported"),
            S("tflops_bf16", 312, "Epoch", "reported"),
            S("tflops_fp16", 312, "Epoch", "reported"),
            S("tops_int8", 624, "Epoch", "reported"),
            S("memory_gb", 80, "Epoch", "reported"),
            S("memory_bandwidth_tb_s", 2.039, "Epoch", "reported"),
            S("sram_mb", 40, "Epoch", "reported"),
            S("tdp_w", 400, "Epoch", "reported"),
            idle(400),
            S("die_area_mm2", 826, "Epoch", "reported"),
            half("scaleup_bandwidth_gb_s", 400, "A800-NVL", "reported", "bidirectional (NVLink cut from 600)")],
     notes="China variant of the A100 (Nov 2022): identical compute and memory, NVLink cut to "
           "400 GB/s bidirectional to stay under the Oct-2022 600 GB/s I/O criterion. Captured by the "
           "Oct-2023 rule (TPP 4,992, PD 6.04).")

chip(id="h100-pcie", ref="H100 PCIe 80GB", name="NVIDIA H100 PCIe 80GB", vendor="NVIDIA",
     ecosystem="us", aliases=["h100-pcie-80gb"],
     year=2022, process_node="TSMC 4N", memory_type="HBM2e", domain=2,
     domain_comment="NVLink bridge joins pairs of cards",
     specs=[S("tflops_fp32", 51.2, "Epoch", "reported"),
            S("tflops_tf32", 378, "Epoch", "reported"),
            S("tflops_bf16", 756, "Epoch", "reported"),
            S("tflops_fp16", 756, "Epoch", "reported"),
            S("tflops_fp8", 1513, "calc", "reported", "half of the 3,026 sparse figure"),
            S("tops_int8", 1513, "calc", "reported", "half of the 3,026 sparse figure"),
            S("memory_gb", 80, "NV-H100PCIe", "datasheet"),
            S("memory_bandwidth_tb_s", 2.0, "NV-H100PCIe", "datasheet", "product brief: >2,000 GB/s"),
            S("sram_mb", 50, "Epoch", "reported"),
            S("tdp_w", 350, "NV-H100PCIe", "datasheet"),
            idle(350),
            S("die_area_mm2", 814, "NV-H100PCIe", "datasheet"),
            half("scaleup_bandwidth_gb_s", 600, "Epoch", "reported", "bidirectional NVLink bridge"),
            S("scaleout_bandwidth_gbit_s", 400, "Epoch", "reported")],
     notes="114 SMs. TPP 12,104 (FP8 1,513 x 8), PD 14.87: 3A090.a.")

chip(id="h800-sxm", ref="H800 SXM5 80GB", name="NVIDIA H800 SXM5 80GB", vendor="NVIDIA",
     ecosystem="us", aliases=["h800", "h800-sxm5", "h800-80gb"],
     year=2023, process_node="TSMC 4N", memory_type="HBM3", domain=8,
     specs=[S("tflops_fp32", 59.3, "Epoch", "reported",
              "SUSPICIOUS: H100 SXM is 66.9 with the same SMs; only FP64 was cut"),
            S("tflops_tf32", 494.7, "Epoch", "reported"),
            S("tflops_bf16", 989.4, "Epoch", "reported"),
            S("tflops_fp16", 989.4, "Epoch", "reported"),
            S("tflops_fp8", 1979, "Epoch", "reported"),
            S("tops_int8", 1979, "Epoch", "reported"),
            S("memory_gb", 80, "Epoch", "reported"),
            S("memory_bandwidth_tb_s", 3.35, "Epoch", "reported"),
            S("sram_mb", 50, "Epoch", "reported"),
            S("tdp_w", 700, "Epoch", "reported"),
            idle(700),
            S("die_area_mm2", 814, "Epoch", "reported"),
            half("scaleup_bandwidth_gb_s", 400, "H800", "reported", "bidirectional (NVLink cut from 900)"),
            S("scaleout_bandwidth_gbit_s", 400, "est", "estimate",
              "HGX H800 servers ship 8x 400G NICs like HGX H100 (DeepSeek-V3 cluster: 400 Gb/s IB per GPU)")],
     notes="China variant of the H100 (2023): NVLink cut to 400 GB/s bidirectional, FP64 cut to ~1 TF, "
           "tensor throughput as H100. Controlled since Oct-2023 (TPP 15,832, PD 19.45). Used to train DeepSeek-V3.")

chip(id="h20", ref="H20 (96GB)", name="NVIDIA H20 96GB", vendor="NVIDIA",
     ecosystem="us", aliases=["h20-96gb", "hgx-h20-gpu"],
     year=2024, process_node="TSMC 4N", memory_type="HBM3", domain=8,
     specs=[S("tflops_fp32", 44, "H20-cn", "reported"),
            S("tflops_tf32", 74, "H20-cn", "reported"),
            S("tflops_bf16", 148, "H20", "reported"),
            S("tflops_fp16", 148, "H20", "reported"),
            S("tflops_fp8", 296, "H20", "reported"),
            S("tops_int8", 296, "H20", "reported"),
            S("memory_gb", 96, "H20", "reported"),
            S("memory_bandwidth_tb_s", 4.0, "H20", "reported"),
            S("sram_mb", 60, "H20-cn", "reported", "L2 cache"),
            S("tdp_w", 400, "Epoch", "reported", "some sources give 350 W"),
            idle(400),
            S("die_area_mm2", 814, "Epoch", "reported", "cut-down GH100 die"),
            half("scaleup_bandwidth_gb_s", 900, "H20", "reported", "bidirectional NVLink 4"),
            S("price_usd", 12500, "H20-price", "estimate", "SemiAnalysis 2024: $12-13k")],
     notes="Cut-down GH100 (78 SMs). TPP 2,368 and PD 2.91 sit below the Oct-2023 3A090 thresholds; "
           "'is-informed' licence requirement from Apr 2025, licences with 15% revenue share from Aug 2025. "
           "A 141 GB HBM3e variant was reported in 2025 (not catalogued).")

chip(id="h200-sxm", ref="H200 SXM 141GB", name="NVIDIA H200 SXM 141GB", vendor="NVIDIA",
     ecosystem="us", aliases=["h200", "h200-141gb", "h200-sxm5"],
     year=2024, process_node="TSMC 4N", memory_type="HBM3e", domain=8,
     specs=[S("tflops_fp32", 66.9, "NV-H200", "datasheet"),
            S("tflops_tf32", 494.5, "NV-H200", "datasheet"),
            S("tflops_bf16", 989.5, "NV-H200", "datasheet"),
            S("tflops_fp16", 989.5, "NV-H200", "datasheet"),
            S("tflops_fp8", 1979, "NV-H200", "datasheet"),
            S("tops_int8", 1979, "NV-H200", "datasheet"),
            S("memory_gb", 141, "NV-H200", "datasheet"),
            S("memory_bandwidth_tb_s", 4.8, "NV-H200", "datasheet"),
            S("sram_mb", 50, "Epoch", "reported"),
            S("tdp_w", 700, "NV-H200", "datasheet"),
            idle(700),
            S("die_area_mm2", 814, "Epoch", "reported"),
            half("scaleup_bandwidth_gb_s", 900, "NV-H200", "datasheet", "bidirectional NVLink 4"),
            S("scaleout_bandwidth_gbit_s", 400, "NV-DGX", "datasheet"),
            S("price_usd", 24600, "H200-CN", "estimate", "China channel 1.4M CNY per 8-GPU module / 8 at 7.1 CNY/USD")],
     notes="Same GH100 compute as the H100 with 141 GB HBM3e. TPP 15,832, PD 19.45. Case-by-case export "
           "to approved Chinese customers from Dec-2025/Jan-2026 (TPP < 21,000 and DRAM < 6,500 GB/s).")

chip(id="b200", ref="B200 (HGX, 1000 W)", name="NVIDIA B200 (HGX, 1000 W)", vendor="NVIDIA",
     ecosystem="us", aliases=["b200-sxm", "b200-hgx"],
     year=2024, process_node="TSMC 4NP (2 dies)", memory_type="HBM3e", domain=8,
     domain_comment="HGX B200 8-GPU board; NVL72 racks use the gb200 entry",
     specs=[S("tflops_fp32", 80, "NV-BW", "datasheet", "Epoch lists 62"),
            S("tflops_tf32", 1100, "NV-BW", "datasheet", "Epoch lists 1,125"),
            S("tflops_bf16", 2250, "NV-BW", "datasheet"),
            S("tflops_fp16", 2250, "NV-BW", "datasheet"),
            S("tflops_fp8", 4500, "NV-BW", "datasheet"),
            S("tops_int8", 4500, "NV-BW", "datasheet"),
            S("tflops_fp4", 9000, "NV-BW", "datasheet"),
            S("memory_gb", 180, "Epoch", "reported", "HGX: 1.44 TB / 8; some docs quote 192"),
            S("memory_bandwidth_tb_s", 7.7, "Epoch", "reported", "some docs quote 8"),
            S("tdp_w", 1000, "NV-BW", "datasheet"),
            idle(1000),
            half("scaleup_bandwidth_gb_s", 1800, "NV-BW", "datasheet", "bidirectional NVLink 5"),
            S("scaleout_bandwidth_gbit_s", 400, "NV-DGX", "datasheet", "DGX B200: 8x ConnectX-7 400G"),
            S("price_usd", 35000, "B200-price", "estimate", "CNBC: $30-40k")],
     notes="Two reticle-sized dies; die area undisclosed, so performance density is not computed. "
           "TPP 36,000 (FP4 9,000 x 4 = FP8 4,500 x 8): 3A090.a, above the 2026 21,000 case-by-case cap.")

chip(id="gb200", ref="GB200 (per B200 GPU, 1200 W)", name="NVIDIA GB200 (per Blackwell GPU, 1200 W)",
     vendor="NVIDIA", ecosystem="us", aliases=["gb200-gpu", "b200-nvl72"],
     year=2025, process_node="TSMC 4NP (2 dies)", memory_type="HBM3e", domain=72,
     domain_comment="GB200 NVL72 rack (NVLink Switch trays)",
     header="Per-GPU view of the GB200 superchip (1 Grace + 2 Blackwell GPUs); the Grace CPU's\n"
            "power is counted in the system's node overhead, not here.",
     specs=[S("tflops_fp32", 90, "NV-BW", "datasheet"),
            S("tflops_tf32", 1250, "NV-BW", "datasheet"),
            S("tflops_bf16", 2500, "NV-BW", "datasheet"),
            S("tflops_fp16", 2500, "NV-BW", "datasheet"),
            S("tflops_fp8", 5000, "NV-BW", "datasheet"),
            S("tops_int8", 5000, "NV-BW", "datasheet"),
            S("tflops_fp4", 10000, "NV-BW", "datasheet"),
            S("memory_gb", 186, "Epoch", "reported", "13.4 TB / 72; later docs 192"),
            S("memory_bandwidth_tb_s", 8, "Epoch", "reported"),
            S("tdp_w", 1200, "NV-BW", "datasheet"),
            idle(1200),
            half("scaleup_bandwidth_gb_s", 1800, "NV-BW", "datasheet", "bidirectional NVLink 5")],
     notes="Die area undisclosed (PD not computed). TPP 40,000 (FP4 10,000 x 4). Scale-out NIC per GPU "
           "depends on the build and is set in the system file.")

chip(id="l40s", ref="L40S", name="NVIDIA L40S", vendor="NVIDIA", ecosystem="us", aliases=["l40s-48gb"],
     year=2023, process_node="TSMC 4N (AD102)", memory_type="GDDR6", domain=1,
     domain_comment="no NVLink; PCIe only",
     specs=[S("tflops_fp32", 91.6, "NV-L40S", "datasheet"),
            S("tflops_tf32", 183, "NV-L40S", "datasheet"),
            S("tflops_bf16", 362.05, "NV-L40S", "datasheet"),
            S("tflops_fp16", 362.05, "NV-L40S", "datasheet"),
            S("tflops_fp8", 733, "NV-L40S", "datasheet"),
            S("memory_gb", 48, "NV-L40S", "datasheet", "GDDR6 with ECC"),
            S("memory_bandwidth_tb_s", 0.864, "NV-L40S", "datasheet"),
            S("sram_mb", 48, "TPU-AD102", "reported", "L2 cache"),
            S("tdp_w", 350, "NV-L40S", "datasheet"),
            idle(350),
            S("die_area_mm2", 609, "TPU-AD102", "reported"),
            half("scaleup_bandwidth_gb_s", 64, "NV-L40S", "datasheet", "bidirectional PCIe Gen4 x16")],
     notes="INT8 not in the retrieved datasheet table (omitted). TPP 5,864 (FP8 733 x 8), PD 9.63: "
           "3A090.a, barred for China since Oct-2023.")

chip(id="l20", ref="L20", name="NVIDIA L20", vendor="NVIDIA", ecosystem="us", aliases=["l20-48gb"],
     year=2023, process_node="TSMC 4N (AD102)", memory_type="GDDR6", domain=1,
     domain_comment="no NVLink; PCIe only",
     specs=[S("tflops_fp32", 59.35, "Epoch", "reported"),
            S("tflops_tf32", 59.8, "Epoch", "reported"),
            S("tflops_bf16", 119.5, "Epoch", "reported"),
            S("tflops_fp16", 119.5, "Epoch", "reported"),
            S("tflops_fp8", 239, "Epoch", "reported"),
            S("tops_int8", 239, "Epoch", "reported"),
            S("memory_gb", 48, "Epoch", "reported"),
            S("memory_bandwidth_tb_s", 0.864, "Epoch", "reported"),
            S("tdp_w", 275, "Epoch", "reported"),
            idle(275),
            S("die_area_mm2", 609, "Epoch", "reported"),
            S("price_usd", 4299, "Epoch", "reported", "reseller list price")],
     notes="China-compliant Ada part. TPP 1,912, PD 3.14: below 3A090.a and (just) below 3A090.b "
           "(needs PD >= 3.2 at TPP >= 1,600).")

# ---- AMD -------------------------------------------------------------------
chip(id="mi250x", ref="Instinct MI250X", name="AMD Instinct MI250X", vendor="AMD", ecosystem="us",
     aliases=["instinct-mi250x"], year=2021, process_node="TSMC N6 (2 GCDs)", memory_type="HBM2e",
     domain=4, domain_comment="estimate: 4 OAM per node (HPE Cray EX235a / Frontier); not in the reference",
     specs=[S("tflops_fp32", 95.7, "Epoch", "reported", "packed/matrix FP32; vector 47.9"),
            S("tflops_bf16", 383, "Epoch", "reported"),
            S("tflops_fp16", 383, "Epoch", "reported"),
            S("tops_int8", 383, "Epoch", "reported"),
            S("memory_gb", 128, "Epoch", "reported"),
            S("memory_bandwidth_tb_s", 3.277, "Epoch", "reported"),
            S("tdp_w", 500, "Epoch", "reported", "560 W peak on some OAM configurations"),
            idle(500),
            S("scaleup_bandwidth_gb_s", 400, "Epoch", "estimate",
              "800 GB/s aggregate of 8 Infinity Fabric links, taken as bidirectional / 2"),
            S("price_usd", 14500, "Epoch", "estimate", "NextPlatform estimate")],
     notes="Two GCDs per package. Die area basis unclear (724 mm^2 per GCD?), PD not computed. "
           "TPP 6,128 (BF16 383 x 16): 3A090.a.")

_mi300 = [S("tflops_fp32", 163.4, "AMD-MI300X", "datasheet", "matrix FP32; vector 81.7"),
          S("tflops_tf32", 653.7, "AMD-MI300X", "datasheet"),
          S("tflops_bf16", 1307.4, "AMD-MI300X", "datasheet"),
          S("tflops_fp16", 1307.4, "AMD-MI300X", "datasheet"),
          S("tflops_fp8", 2614.9, "AMD-MI300X", "datasheet"),
          S("tops_int8", 2614.9, "AMD-MI300X", "datasheet")]

chip(id="mi300x", ref="Instinct MI300X", name="AMD Instinct MI300X", vendor="AMD", ecosystem="us",
     aliases=["instinct-mi300x", "mi300"], year=2023, process_node="TSMC N5 XCD + N6 IOD (8 XCD, 4 IOD)",
     memory_type="HBM3", domain=8,
     specs=_mi300 + [
            S("memory_gb", 192, "AMD-MI300X", "datasheet"),
            S("memory_bandwidth_tb_s", 5.3, "AMD-MI300X", "datasheet"),
            S("sram_mb", 256, "AMD-MI300X", "datasheet", "Infinity Cache"),
            S("tdp_w", 750, "AMD-MI300X", "datasheet"),
            idle(750),
            S("scaleup_bandwidth_gb_s", 448, "AMD-MI300X", "datasheet",
              "896 GB/s aggregate = 7 xGMI links x 128 GB/s bidirectional; / 2"),
            S("price_usd", 15000, "MI300X-price", "estimate", "Citi: $10-15k")],
     notes="Logic-die total not officially disclosed (Epoch 1,017 mm^2, basis unclear): PD not computed. "
           "AMD sparse figures are 2x. TPP 20,919 (FP8 x 8): 3A090.a.")

chip(id="mi325x", ref="Instinct MI325X", name="AMD Instinct MI325X", vendor="AMD", ecosystem="us",
     aliases=["instinct-mi325x"], year=2024, process_node="TSMC N5 XCD + N6 IOD", memory_type="HBM3E",
     domain=8,
     specs=[(k, v, "AMD-MI325X", c, cm) for (k, v, _, c, cm) in _mi300] + [
            S("memory_gb", 256, "AMD-MI325X", "datasheet"),
            S("memory_bandwidth_tb_s", 6.0, "AMD-MI325X", "datasheet"),
            S("sram_mb", 256, "AMD-MI300X", "datasheet", "same Infinity Cache as MI300X"),
            S("tdp_w", 1000, "AMD-MI325X", "datasheet"),
            idle(1000),
            S("scaleup_bandwidth_gb_s", 448, "est", "estimate", "same 7-link xGMI as MI300X (not in the reference)")],
     notes="Same CDNA3 compute as MI300X with 256 GB HBM3E. TPP 20,919: named with the H200 in the "
           "Jan-2026 BIS case-by-case policy (TPP < 21,000).")

chip(id="mi355x", ref="Instinct MI355X", name="AMD Instinct MI355X", vendor="AMD", ecosystem="us",
     aliases=["instinct-mi355x"], year=2025, process_node="TSMC N3P XCD (8 x 110 mm^2) + N6 IOD (2)",
     memory_type="HBM3E", domain=8,
     specs=[S("tflops_fp32", 157.3, "Epoch", "reported", "AMD brochure via Epoch, not re-checked"),
            S("tflops_bf16", 2516.6, "Epoch", "reported"),
            S("tflops_fp16", 2516.6, "Epoch", "reported"),
            S("tflops_fp8", 5033.2, "Epoch", "reported"),
            S("tops_int8", 5033.2, "Epoch", "reported"),
            S("tflops_fp4", 10066, "Epoch", "reported", "AMD headline 20.1 PF is sparse"),
            S("memory_gb", 288, "AMD-MI355X", "datasheet"),
            S("memory_bandwidth_tb_s", 8, "AMD-MI355X", "datasheet"),
            S("tdp_w", 1400, "AMD-MI355X", "datasheet", "1,000 W MI350X variant ~8% lower peak"),
            idle(1400)],
     notes="XCDs 8 x 110 = 880 mm^2, IOD area not found: PD not computed. Infinity Fabric bandwidth not "
           "in the reference (omitted). TPP 40,266 (FP8 5,033.2 x 8).")

# ---- Google TPU --------------------------------------------------------------
chip(id="tpu-v4", ref="TPU v4", name="Google TPU v4", vendor="Google", ecosystem="us",
     aliases=["tpuv4", "tpu4"], year=2021, process_node="7 nm", memory_type="HBM2", domain=4096,
     domain_comment="TPU v4 pod (ICI 3D torus + OCS)",
     specs=[S("tflops_bf16", 275, "TPU-v4", "datasheet"),
            S("tops_int8", 275, "TPU-v4", "datasheet"),
            S("memory_gb", 32, "TPU-v4", "datasheet"),
            S("memory_bandwidth_tb_s", 1.2, "TPU-v4", "datasheet"),
            S("tdp_w", 192, "TPU-v4", "datasheet", "measured max power (min/mean/max 90/170/192 W)"),
            idle(192, "max power"),
            S("scaleup_bandwidth_gb_s", 300, "est", "estimate",
              "6 ICI links x ~50 GB/s per direction (Jouppi et al., ISCA 2023); not in the reference")],
     notes="TPP 4,400 (BF16 275 x 16) < 4,800; die area unknown, so the PD clauses cannot be screened.")

chip(id="tpu-v5e", ref="TPU v5e", name="Google TPU v5e", vendor="Google", ecosystem="us",
     aliases=["tpuv5e", "tpu-v5-lite", "v5litepod"], year=2023, process_node="undisclosed",
     memory_type="HBM2", domain=256, domain_comment="v5e pod (ICI 2D torus)",
     specs=[S("tflops_bf16", 197, "TPU-v5e", "datasheet"),
            S("tops_int8", 393, "TPU-v5e", "datasheet"),
            S("memory_gb", 16, "TPU-v5e", "datasheet"),
            S("memory_bandwidth_tb_s", 0.819, "TPU-v5e", "datasheet"),
            S("tdp_w", 140, "Epoch", "estimate", "Epoch lists 140 W; unverified in the reference"),
            idle(140),
            half("scaleup_bandwidth_gb_s", 400, "TPU-v5e", "datasheet", "bidirectional ICI"),
            S("scaleout_bandwidth_gbit_s", 25, "calc", "estimate", "2 x 100 Gb/s NIC per 8-chip host")],
     notes="Epoch lists a 325 mm^2 die (unverified, not used): with it PD would be 9.7 and the chip "
           "3A090.a by the PD clause. TPP 3,152 (BF16 197 x 16).")

chip(id="tpu-v5p", ref="TPU v5p", name="Google TPU v5p", vendor="Google", ecosystem="us",
     aliases=["tpuv5p"], year=2023, process_node="undisclosed", memory_type="HBM2e",
     domain=8960, domain_comment="v5p pod (ICI 3D torus + OCS); largest slice 6,144",
     specs=[S("tflops_bf16", 459, "TPU-v5p", "datasheet"),
            S("tflops_fp8", 459, "TPU-v5p", "datasheet", "docs list FP8 = BF16 rate"),
            S("tops_int8", 918, "Epoch", "reported"),
            S("memory_gb", 95, "TPU-v5p", "datasheet"),
            S("memory_bandwidth_tb_s", 2.765, "TPU-v5p", "datasheet"),
            half("scaleup_bandwidth_gb_s", 1200, "TPU-v5p", "datasheet", "bidirectional ICI"),
            S("scaleout_bandwidth_gbit_s", 50, "TPU-v5p", "datasheet")],
     notes="TDP not published (omitted; energy results for this chip need an assumed TDP). "
           "TPP 7,344 (INT8 918 x 8): 3A090.a.")

chip(id="tpu-v6e", ref="TPU v6e (Trillium)", name="Google TPU v6e (Trillium)", vendor="Google",
     ecosystem="us", aliases=["trillium", "tpuv6e", "tpu-v6"], year=2024, process_node="undisclosed",
     memory_type="HBM", domain=256, domain_comment="v6e pod (ICI 2D torus)",
     specs=[S("tflops_bf16", 918, "TPU-v6e", "datasheet"),
            S("tops_int8", 1836, "TPU-v6e", "datasheet"),
            S("memory_gb", 32, "TPU-v6e", "datasheet"),
            S("memory_bandwidth_tb_s", 1.638, "TPU-v6e", "datasheet"),
            half("scaleup_bandwidth_gb_s", 800, "TPU-v6e", "datasheet", "bidirectional ICI")],
     notes="TDP not published (omitted). Pod: 234.9 PF BF16. TPP 14,688 (INT8 1,836 x 8): 3A090.a.")

chip(id="tpu-v7", ref="TPU v7 (Ironwood)", name="Google TPU v7 (Ironwood)", vendor="Google",
     ecosystem="us", aliases=["ironwood", "tpuv7"], year=2025, process_node="undisclosed",
     memory_type="HBM3E", domain=9216, domain_comment="Ironwood 9,216-chip pod",
     specs=[S("tflops_bf16", 2307, "Epoch", "reported"),
            S("tflops_fp8", 4614, "Epoch", "reported"),
            S("memory_gb", 192, "Epoch", "reported"),
            S("memory_bandwidth_tb_s", 7.37, "Epoch", "reported")],
     notes="Values from the Google blog via Epoch. TDP and ICI bandwidth not in the reference (omitted). "
           "TPP 36,912 (FP8 4,614 x 8).")

# ---- Intel -------------------------------------------------------------------
chip(id="gaudi2", ref="Gaudi 2 (HL-225)", name="Intel Gaudi 2 (HL-225)", vendor="Intel", ecosystem="us",
     aliases=["gaudi-2", "hl-225"], year=2022, process_node="TSMC 7nm", memory_type="HBM2e", domain=8,
     domain_comment="HLS-Gaudi2: 8 cards all-to-all over on-die RoCE",
     specs=[S("tflops_bf16", 432, "Intel-HC24", "datasheet"),
            S("tflops_fp8", 865, "Epoch", "reported"),
            S("memory_gb", 96, "Intel-HC24", "datasheet"),
            S("memory_bandwidth_tb_s", 2.46, "Intel-HC24", "datasheet"),
            S("sram_mb", 48, "Epoch", "reported"),
            S("tdp_w", 600, "Intel-HC24", "datasheet"),
            idle(600),
            S("scaleup_bandwidth_gb_s", 300, "Intel-HC24", "datasheet",
              "24 x 100GbE = 2,400 Gb/s per direction (600 GB/s bidirectional); shared with scale-out")],
     notes="24 on-die 100GbE RoCE ports serve both scale-up and scale-out (HLS-8: 21 to peers, 3 out). "
           "China SKU HL-225B: 96 GB, 2.4 TB/s, 21 ports. TPP 6,920 (FP8 865 x 8).")

chip(id="gaudi3", ref="Gaudi 3 (OAM)", name="Intel Gaudi 3 (OAM)", vendor="Intel", ecosystem="us",
     aliases=["gaudi-3", "hl-325l"], year=2024, process_node="TSMC 5nm (2 dies)", memory_type="HBM2e",
     domain=8,
     specs=[S("tflops_bf16", 1835, "Intel-HC24", "datasheet", "matrix; vector BF16 only 28.7"),
            S("tflops_fp8", 1835, "Intel-HC24", "datasheet", "FP8 not faster than BF16"),
            S("memory_gb", 128, "Intel-HC24", "datasheet"),
            S("memory_bandwidth_tb_s", 3.67, "Intel-HC24", "datasheet"),
            S("sram_mb", 96, "Intel-HC24", "datasheet"),
            S("tdp_w", 900, "Intel-HC24", "datasheet", "air-cooled; 1,200 W liquid"),
            idle(900),
            S("scaleup_bandwidth_gb_s", 600, "Intel-HC24", "datasheet",
              "24 x 200GbE = 4,800 Gb/s per direction (1,200 GB/s bidirectional); shared with scale-out"),
            S("price_usd", 15625, "Gaudi3-price", "reported", "8-chip kit $125,000 / 8")],
     notes="TPP 29,360 (BF16 1,835 x 16, FP8 is not faster).")

# ---- Huawei Ascend -------------------------------------------------------------
chip(id="ascend-910a", ref="Ascend 910 (910A)", name="Huawei Ascend 910 (910A)", vendor="Huawei (HiSilicon)",
     ecosystem="china", aliases=["910a", "ascend-910", "ascend910", "ascend910a"], year=2019,
     process_node="TSMC N7+ (EUV)", memory_type="HBM2", domain=8, domain_comment="Atlas 800 8-NPU HCCS",
     specs=[S("tflops_fp16", 256, "HW-910", "reported", "Premium/Pro SKUs quoted 288-320"),
            S("tops_int8", 512, "HW-910", "reported"),
            S("memory_gb", 32, "Epoch", "reported"),
            S("memory_bandwidth_tb_s", 1.288, "Epoch", "reported"),
            S("tdp_w", 310, "HW-910", "reported"),
            idle(310),
            S("die_area_mm2", 456.25, "TH-910die", "reported", "Virtuvian compute die only (Nimbus I/O die excluded)")],
     notes="HCCS bandwidth not in the reference table (Epoch lists 270 GB/s 'intranode', direction unstated; "
           "omitted). TPP 4,096 (INT8 512 x 8), PD 8.98: 3A090.a by the PD clause.")

_910b_common = dict(vendor="Huawei (HiSilicon)", ecosystem="china", year=2023,
                    process_node="SMIC N+1/N+2 (7nm-class)", memory_type="HBM2e", domain=8,
                    domain_comment="Atlas 800T A2: 8 NPUs in an HCCS full mesh")
_910b_link = S("scaleup_bandwidth_gb_s", 196, "Epoch", "estimate",
               "Epoch 'intranode' 392 GB/s (7 HCCS peers) taken as bidirectional, / 2; consistent with "
               "910C (2 dies) at 784 bidirectional")

chip(id="ascend-910b", ref="Ascend 910B2", name="Huawei Ascend 910B (910B2)",
     aliases=["910b", "910b2", "ascend-910b2", "ascend910b", "ascend910b2"], **_910b_common,
     header="The 910B2 bin, the most commonly deployed 910B (Atlas 800T A2).",
     specs=[S("tflops_bf16", 376, "LLS", "reported", "marketed label; 24 AIC x 1.8 GHz x 8192 = 354"),
            S("tflops_fp16", 376, "LLS", "reported"),
            S("tops_int8", 752, "LLS", "estimate", "2 x FP16 per the LLS model"),
            S("memory_gb", 64, "LLS", "reported"),
            S("memory_bandwidth_tb_s", 1.6, "LLS", "reported", "Epoch lists 1.228 for '910B'"),
            S("sram_mb", 192, "LLS", "reported", "L2"),
            S("tdp_w", 400, "Epoch", "reported"),
            idle(400),
            S("die_area_mm2", 665.61, "TH-910die", "reported"),
            _910b_link,
            S("price_usd", 16800, "TF-910B-price", "estimate", "~120k CNY (TrendForce); broker note 90k CNY")],
     notes="TPP 6,016 (INT8 752 x 8, itself an estimate; 6,016 also from BF16 376 x 16), PD 9.04: 3A090.a. "
           "Several blogs conflate the 392 GB/s HCCS figure with HBM bandwidth.")

chip(id="ascend-910b3", ref="Ascend 910B3", name="Huawei Ascend 910B3",
     aliases=["910b3", "ascend910b3"], **_910b_common,
     specs=[S("tflops_bf16", 313, "LLS", "reported", "marketed label; 20 AIC x 1.8 GHz x 8192 = 295"),
            S("tflops_fp16", 313, "LLS", "reported"),
            S("tops_int8", 626, "LLS", "estimate", "2 x FP16 per the LLS model"),
            S("memory_gb", 64, "LLS", "reported"),
            S("memory_bandwidth_tb_s", 1.6, "LLS", "reported"),
            S("sram_mb", 192, "LLS", "reported", "L2"),
            S("tdp_w", 400, "est", "estimate", "not in the reference; assumed equal to 910B2 (same package)"),
            idle(400),
            S("die_area_mm2", 665.61, "TH-910die", "reported"),
            _910b_link],
     notes="TPP 5,008, PD 7.52: 3A090.a.")

chip(id="ascend-910b4", ref="Ascend 910B4", name="Huawei Ascend 910B4",
     aliases=["910b4", "ascend910b4"], **_910b_common,
     specs=[S("tflops_bf16", 280, "A2-280T", "reported", "'A2 280T' label; LLS derives 20 AIC x 1.5 GHz = 246"),
            S("tflops_fp16", 280, "A2-280T", "reported"),
            S("memory_gb", 32, "LLS", "reported"),
            S("memory_bandwidth_tb_s", 0.8, "LLS", "reported"),
            S("sram_mb", 96, "LLS", "reported", "L2"),
            S("tdp_w", 350, "est", "estimate", "not in the reference; assumed below 910B2's 400 W (lower-clocked inference bin)"),
            idle(350),
            S("die_area_mm2", 665.61, "TH-910die", "reported"),
            _910b_link],
     notes="Inference-oriented bin. TPP 4,480 (BF16 280 x 16), PD 6.73: 3A090.a by the PD clause.")

chip(id="ascend-910c", ref="Ascend 910C", name="Huawei Ascend 910C", vendor="Huawei (HiSilicon)",
     ecosystem="china", aliases=["910c", "ascend910c"], year=2025,
     process_node="SMIC N+2 (7nm-class); also TSMC-made die-bank dies", memory_type="HBM2E", domain=384,
     domain_comment="CloudMatrix 384 (UB all-to-all)",
     specs=[S("tflops_bf16", 752, "CM384-paper", "reported", "2 x 376; SemiAnalysis ~780"),
            S("tflops_fp16", 800, "HW-HC25", "reported", "Huawei keynote; CM384 paper says 752 for BF16/FP16"),
            S("memory_gb", 128, "HW-HC25", "reported"),
            S("memory_bandwidth_tb_s", 3.2, "HW-HC25", "reported"),
            S("tdp_w", 700, "Epoch-910C", "reported", "primary source not identified"),
            idle(700),
            S("die_area_mm2", 1331.2, "calc", "estimate", "2 x 665.6 mm^2 (two 910B-class dies assumed)"),
            S("scaleup_bandwidth_gb_s", 392, "CM384-planes", "reported",
              "UB 392 GB/s unidirectional per NPU (784 bidirectional per Huawei keynote)"),
            S("scaleout_bandwidth_gbit_s", 400, "CM384-planes", "reported", "RDMA plane, unidirectional per NPU"),
            S("price_usd", 20000, "Broker", "estimate", "140-145k CNY per an unverified broker note")],
     notes="Two 910B-class dies in one package; HBM2E from pre-ban Samsung/SK hynix stock (TechInsights). "
           "TPP 12,800 with the keynote's 800 TF (12,032 with 752), PD ~9.6 (estimated area): 3A090.a.")

_ub = "UnifiedBus figure, direction unstated; '2 TB/s = 2.5x 910C (784 bidirectional)' implies bidirectional; / 2"
chip(id="ascend-950pr", ref="Ascend 950PR (roadmap)", name="Huawei Ascend 950PR", vendor="Huawei (HiSilicon)",
     ecosystem="china", aliases=["950pr", "ascend950pr"], availability="roadmap", year=2026,
     process_node="undisclosed", memory_type="HiBL 1.0 (Huawei in-house low-cost HBM)", domain=8192,
     domain_comment="assumed: same UnifiedBus as 950DT (Atlas 950 SuperPoD)",
     specs=[S("tflops_bf16", 500, "est", "estimate", "not announced; assumed FP8 / 2 as on every shipping chip here"),
            S("tflops_fp8", 1000, "HW-HC25", "reported", "FP8/MXFP8/HiF8"),
            S("tflops_fp4", 2000, "HW-HC25", "reported", "MXFP4"),
            S("memory_gb", 128, "950PR", "reported"),
            S("memory_bandwidth_tb_s", 1.6, "950PR", "reported"),
            S("scaleup_bandwidth_gb_s", 1000, "HW-HC25", "reported", "2,000 GB/s: " + _ub)],
     notes="Roadmap (Q1 2026, prefill/recommendation). Some reports swap PR/DT memory; this follows the "
           "Huawei post (PR = HiBL 1.0, 128 GB, 1.6 TB/s). TDP not announced. TPP 8,000.")

chip(id="ascend-950dt", ref="Ascend 950DT (roadmap)", name="Huawei Ascend 950DT", vendor="Huawei (HiSilicon)",
     ecosystem="china", aliases=["950dt", "ascend950dt", "ascend-950"], availability="roadmap", year=2026,
     process_node="undisclosed", memory_type="HiZQ 2.0 (Huawei in-house HBM)", domain=8192,
     domain_comment="Atlas 950 SuperPoD",
     specs=[S("tflops_bf16", 500, "est", "estimate", "not announced; assumed FP8 / 2"),
            S("tflops_fp8", 1000, "HW-HC25", "reported"),
            S("tflops_fp4", 2000, "HW-HC25", "reported"),
            S("memory_gb", 144, "HW-HC25-post", "reported"),
            S("memory_bandwidth_tb_s", 4, "HW-HC25-post", "reported"),
            S("scaleup_bandwidth_gb_s", 1000, "HW-A950", "reported", "2,000 GB/s: " + _ub)],
     notes="Roadmap (Q4 2026, decode/training). TDP not announced. TPP 8,000.")

chip(id="ascend-960", ref="Ascend 960 (roadmap)", name="Huawei Ascend 960", vendor="Huawei (HiSilicon)",
     ecosystem="china", aliases=["ascend960"], availability="roadmap", year=2027,
     process_node="undisclosed", memory_type="Huawei in-house HBM", domain=15488,
     domain_comment="Atlas 960 SuperPoD",
     specs=[S("tflops_bf16", 1000, "est", "estimate", "not announced; assumed FP8 / 2"),
            S("tflops_fp8", 2000, "HW-HC25", "reported"),
            S("tflops_fp4", 4000, "HW-HC25", "reported", "adds HiF4"),
            S("memory_gb", 288, "HW-HC25", "reported"),
            S("memory_bandwidth_tb_s", 9.6, "HW-HC25", "reported"),
            S("scaleup_bandwidth_gb_s", 1100, "HW-A950", "reported", "2,200 GB/s, direction unstated, taken as bidirectional; / 2")],
     notes="Roadmap (Q4 2027). TDP not announced. TPP 16,000.")

chip(id="ascend-970", ref="Ascend 970 (roadmap)", name="Huawei Ascend 970", vendor="Huawei (HiSilicon)",
     ecosystem="china", aliases=["ascend970"], availability="roadmap", year=2028,
     process_node="undisclosed", memory_type="Huawei in-house HBM", domain=15488,
     domain_comment="assumed at least the Atlas 960 SuperPoD size; not announced",
     specs=[S("tflops_bf16", 2000, "est", "estimate", "not announced; assumed FP8 / 2"),
            S("tflops_fp8", 4000, "HW-HC25", "reported"),
            S("tflops_fp4", 8000, "HW-HC25", "reported"),
            S("memory_gb", 288, "HW-HC25", "reported"),
            S("memory_bandwidth_tb_s", 14.4, "HW-HC25", "reported"),
            S("scaleup_bandwidth_gb_s", 2000, "HW-HC25", "reported", "4,000 GB/s, direction unstated, taken as bidirectional; / 2")],
     notes="Roadmap (Q4 2028), 'preliminary' per Huawei. TDP not announced. TPP 32,000.")

# ---- Cambricon, Moore Threads, MetaX, Biren ------------------------------------
chip(id="mlu370-x8", ref="MLU370-X8", name="Cambricon MLU370-X8", vendor="Cambricon", ecosystem="china",
     aliases=["mlu370", "cambricon-mlu370-x8"], year=2022, process_node="TSMC 7nm (2-chiplet)",
     memory_type="LPDDR5", domain=8,
     domain_comment="8 cards as PCIe 4.0 peers in one server; MLU-Link bridge figures not in the reference",
     specs=[S("tflops_fp32", 24, "Cambricon-MLU370", "reported"),
            S("tflops_bf16", 96, "Cambricon-MLU370", "reported"),
            S("tflops_fp16", 96, "Cambricon-MLU370", "reported"),
            S("tops_int8", 256, "Cambricon-MLU370", "reported", "INT16 128"),
            S("memory_gb", 48, "Cambricon-MLU370", "reported"),
            S("memory_bandwidth_tb_s", 0.614, "Cambricon-MLU370", "reported"),
            S("tdp_w", 250, "Cambricon-MLU370", "reported"),
            idle(250),
            S("scaleup_bandwidth_gb_s", 32, "est", "estimate", "PCIe 4.0 x16 per direction; MLU-Link not modelled")],
     notes="Dual-chiplet PCIe card. TPP 2,048 (INT8 256 x 8); die area unknown, PD not screened.")

chip(id="mlu590", ref="MLU590 (Siyuan 590)", name="Cambricon MLU590 (Siyuan 590)", vendor="Cambricon",
     ecosystem="china", aliases=["siyuan-590", "cambricon-mlu590", "mlu-590"], year=2023,
     process_node="SMIC N+2 7nm (reported)", memory_type="HBM (type unstated)", domain=8,
     domain_comment="assumed 8-card MLU-Link node (mlu590-8); not in the reference",
     header="PLACEHOLDER ENTRY. The reference found no spec sheet for the MLU590; the DESIGN contract\n"
            "lists the id, so this file carries A100-class placeholder figures (industry commentary\n"
            "places the MLU590 near the A100). Every number is an estimate; replace when sourced.",
     specs=[S("tflops_bf16", 312, "est", "estimate", "PLACEHOLDER: A100 80GB value"),
            S("tflops_fp16", 312, "est", "estimate", "PLACEHOLDER: A100 80GB value"),
            S("tops_int8", 624, "est", "estimate", "PLACEHOLDER: A100 80GB value"),
            S("memory_gb", 80, "est", "estimate", "PLACEHOLDER: A100 80GB value"),
            S("memory_bandwidth_tb_s", 2.0, "est", "estimate", "PLACEHOLDER: ~A100 80GB value"),
            S("tdp_w", 400, "est", "estimate", "PLACEHOLDER: A100 80GB value"),
            idle(400),
            S("scaleup_bandwidth_gb_s", 200, "est", "estimate", "PLACEHOLDER: A800-class 400 GB/s bidirectional / 2")],
     notes="Production: part of a reported 2026 plan of up to 300k 590/690 units at ~20% yield "
           "(Bloomberg), which Cambricon denied. All figures are placeholders (see header).")

chip(id="mtt-s4000", ref="MTT S4000", name="Moore Threads MTT S4000", vendor="Moore Threads",
     ecosystem="china", aliases=["s4000", "mtt-s4000-48gb"], year=2023,
     process_node="12 nm (per Epoch; unverified)", memory_type="GDDR6", domain=8,
     domain_comment="MCCX D800 8-GPU node over MTLink 1.0",
     specs=[S("tflops_fp32", 25, "MT-S4000", "reported"),
            S("tflops_tf32", 50, "MT-S4000", "reported"),
            S("tflops_bf16", 100, "MT-S4000", "reported", "later quoted 98"),
            S("tflops_fp16", 100, "MT-S4000", "reported"),
            S("tops_int8", 200, "MT-S4000", "reported", "later quoted 196"),
            S("memory_gb", 48, "MT-S4000", "reported", "GDDR6, 384-bit"),
            S("memory_bandwidth_tb_s", 0.768, "MT-S4000", "reported"),
            S("tdp_w", 450, "MT-S4000b", "reported", "max"),
            idle(450),
            S("scaleup_bandwidth_gb_s", 120, "MT-S4000", "estimate",
              "MTLink 1.0 240 GB/s, direction unstated, taken as bidirectional; / 2")],
     notes="TPP 1,600 exactly (INT8 200 x 8), at the PD-clause floor; die area unknown. Entity-listed Oct-2023.")

chip(id="mtt-s5000", ref="MTT S5000", name="Moore Threads MTT S5000", vendor="Moore Threads",
     ecosystem="china", aliases=["s5000"], year=2024, process_node="undisclosed", memory_type="HBM (type unstated)",
     domain=8, domain_comment="assumed 8-GPU MTLink node; not in the reference",
     specs=[S("tflops_bf16", 500, "est", "estimate", "not disclosed; assumed FP8 / 2"),
            S("tflops_fp8", 1000, "MT-S5000", "reported", "'~1,000 TFLOPS' single card; dense/sparse unstated, assumed dense"),
            S("memory_gb", 80, "MT-S5000", "reported"),
            S("memory_bandwidth_tb_s", 1.6, "MT-S5000", "reported"),
            S("scaleup_bandwidth_gb_s", 392, "MT-S5000", "estimate",
              "784 GB/s interconnect, direction unstated, taken as bidirectional; / 2")],
     notes="Specs disclosed Feb 2026 (single source). TDP not found. TPP 8,000 if the FP8 figure is dense.")

chip(id="metax-c500", ref="Xiyun C500 (OAM)", name="MetaX Xiyun C500 (OAM)", vendor="MetaX",
     ecosystem="china", aliases=["c500", "mxc500", "xiyun-c500"], year=2023, process_node="7 nm (Epoch)",
     memory_type="HBM2e", domain=8, domain_comment="8-card MetaXLink node (link bandwidth not in the reference)",
     specs=[S("tflops_fp32", 18, "MetaX-Epoch", "reported"),
            S("tflops_tf32", 140, "MetaX-Epoch", "reported"),
            S("tflops_bf16", 280, "MetaX-Epoch", "reported", "PCIe card 240; CCTV totals imply 240 per deployed card"),
            S("tflops_fp16", 280, "MetaX-Epoch", "reported"),
            S("tops_int8", 560, "MetaX-Epoch", "reported"),
            S("memory_gb", 64, "MetaX-Epoch", "reported"),
            S("memory_bandwidth_tb_s", 1.8, "MetaX-Epoch", "reported", "Epoch's '18 TB/s' is a typo for 1.8"),
            S("tdp_w", 450, "MetaX-Epoch", "reported", "PCIe card 350 W"),
            idle(450)],
     notes="~98% of MetaX 2024 revenue. MetaXLink bandwidth not found (omitted). TPP 4,480 "
           "(INT8 560 x 8); die area unknown, PD not screened.")

chip(id="biren-br100", ref="BR100", name="Biren BR100 (OAM)", vendor="Biren", ecosystem="china",
     aliases=["br100"], year=2022, process_node="TSMC N7 (2 dies, CoWoS)", memory_type="HBM2E", domain=8,
     domain_comment="Hearten 8x OAM server",
     specs=[S("tflops_fp32", 256, "TH-Biren", "reported",
              "SUSPICIOUS vs A100's 19.5: a matrix 'FP32' path, as Biren compares with A100 tensor figures"),
            S("tflops_tf32", 512, "TH-Biren", "reported", "Biren 'TF32+'"),
            S("tflops_bf16", 1024, "TH-Biren", "reported"),
            S("tops_int8", 2048, "TH-Biren", "reported"),
            S("memory_gb", 64, "TH-Biren", "reported"),
            S("memory_bandwidth_tb_s", 1.64, "TH-Biren", "reported"),
            S("sram_mb", 300, "TPU-Biren", "reported"),
            S("tdp_w", 550, "TH-Biren", "reported"),
            idle(550),
            S("die_area_mm2", 1074, "STH-Biren", "reported", "both dies"),
            S("scaleup_bandwidth_gb_s", 1150, "TPU-Biren", "estimate",
              "B-Link 8 lanes, 2.3 TB/s 'total I/O' taken as bidirectional; / 2")],
     notes="TSMC stopped production after the Oct-2022 rules; Biren entity-listed Oct-2023; shipped "
           "product is derated (see the 104P card in the reference). Specs here are the announced part. "
           "TPP 16,384, PD 15.26: 3A090.a.")

chip(id="biren-br104", ref="BR104 (PCIe)", name="Biren BR104 (PCIe)", vendor="Biren", ecosystem="china",
     aliases=["br104"], year=2022, process_node="TSMC N7", memory_type="HBM2E", domain=1,
     domain_comment="PCIe card; no link figure in the reference",
     specs=[S("tflops_fp32", 128, "TH-Biren", "reported"),
            S("tflops_tf32", 256, "TH-Biren", "reported"),
            S("tflops_bf16", 512, "TH-Biren", "reported"),
            S("tops_int8", 1024, "TH-Biren", "reported"),
            S("memory_gb", 32, "TH-Biren", "reported"),
            S("memory_bandwidth_tb_s", 0.819, "TH-Biren", "reported"),
            S("tdp_w", 300, "TH-Biren", "reported"),
            idle(300)],
     notes="Single-chiplet version of BR100; die area not stated. TPP 8,192: 3A090.a.")

# ---- Iluvatar, Kunlunxin, T-Head ------------------------------------------------
chip(id="iluvatar-bi-v100", ref="Tiangai 100 (BI-V100)", name="Iluvatar CoreX Tiangai 100 (BI-V100)",
     vendor="Iluvatar CoreX", ecosystem="china", aliases=["bi-v100", "tiangai-100", "bi100"], year=2021,
     process_node="TSMC 7nm (CoWoS)", memory_type="HBM2", domain=8, domain_comment="PCIe 4.0 x16 card; 8 cards as PCIe peers in one server",
     specs=[S("tflops_fp32", 37, "Iluvatar", "reported"),
            S("tflops_bf16", 147, "Iluvatar", "reported"),
            S("tflops_fp16", 147, "Iluvatar", "reported"),
            S("tops_int8", 295, "Iluvatar", "reported"),
            S("memory_gb", 32, "Iluvatar", "reported"),
            S("memory_bandwidth_tb_s", 1.2, "Iluvatar", "reported"),
            S("tdp_w", 300, "Iluvatar", "reported"),
            idle(300),
            S("scaleup_bandwidth_gb_s", 32, "Iluvatar", "estimate", "PCIe 4.0 x16: 64 GB/s bidirectional / 2")],
     notes="Epoch lists a 250 W variant at 32/128/256. TPP 2,360 (INT8 295 x 8); die area unknown.")

chip(id="kunlun-p800", ref="P800", name="Kunlunxin P800", vendor="Kunlunxin (Baidu)", ecosystem="china",
     aliases=["p800", "kunlunxin-p800"], year=2024, process_node="undisclosed",
     memory_type="HBM (HBM3 per an unverified note)", domain=8,
     domain_comment="8-card XPU Link machine (Baidu docs); Tianchi 256/512 supernodes from 2026",
     specs=[S("tflops_fp16", 345, "Kunlun-claim", "estimate", "unverified industry figure, precision unstated"),
            S("memory_gb", 96, "Kunlun-ERNIE", "reported"),
            S("memory_bandwidth_tb_s", 2.0, "est", "estimate",
              "PLACEHOLDER: no figure found; HBM2e/HBM3-class 96 GB parts of 2024 sit at 1.6-4 TB/s")],
     notes="Memory bandwidth is a placeholder; TDP and link bandwidth not found in the reference "
           "(omitted): results for this chip are rough until they are sourced. TPP 5,520 if 345 is dense FP16. Baidu runs a "
           "30k-P800 cluster; successors M100 (2026), M300 (2027).")

chip(id="alibaba-ppu", ref="PPU (Zhenwu)", name="Alibaba T-Head PPU (Zhenwu)", vendor="Alibaba T-Head",
     ecosystem="china", aliases=["ppu", "t-head-ppu", "zhenwu"], year=2025, process_node="undisclosed",
     memory_type="HBM2e", domain=1, domain_comment="scale-up domain size not in the reference",
     specs=[S("tflops_fp16", 119, "CCTV-totals", "estimate",
              "16,384 cards = 1,945P at China Unicom Qinghai; precision unstated"),
            S("memory_gb", 96, "CCTV-cards", "reported"),
            S("memory_bandwidth_tb_s", 2.0, "est", "estimate",
              "PLACEHOLDER: not published; 96 GB HBM2e at 1.6-2.5 TB/s is typical (910B 1.6, C500 1.8, BR100 1.64)"),
            S("tdp_w", 400, "CCTV-cards", "reported"),
            idle(400),
            S("scaleup_bandwidth_gb_s", 350, "CCTV-cards", "estimate",
              "700 GB/s chip-to-chip, direction unstated, taken as bidirectional; / 2")],
     notes="CCTV comparison card (Sep 2025): 96 GB HBM2e, 700 GB/s, PCIe 5.0, 400 W. Memory bandwidth "
           "is a placeholder (not published).")

# ---- Research --------------------------------------------------------------------
chip(id="accel-photonic", ref="ACCEL (all-analog photoelectronic, research)",
     name="Tsinghua ACCEL all-analog photoelectronic chip (research)", vendor="Tsinghua University",
     ecosystem="china", aliases=["accel", "tsinghua-accel"], availability="research", year=2023,
     process_node="undisclosed", memory_type="none (analog, on-chip only)", domain=1,
     domain_comment="single research chip",
     specs=[S("tops_int4", 4600, "ACCEL", "reported",
              "4.6 POPS of analog ops on vision tasks, filed under the lowest-precision key; NOT digital INT4"),
            S("energy_per_op_pj", 0.0134, "ACCEL", "estimate", "1 / (74.8 POPS/W) = 13.4 fJ per op")],
     notes="Nature 2023: 4.6 POPS and 74.8 POPS/W on vision tasks (analog, task-specific). No digital "
           "precision: the 4.6 POPS sit under tops_int4 only because the loader needs one throughput key, so "
           "a mechanical TPP screen of this part (18,400) is meaningless. No off-chip memory (omitted). Not "
           "comparable to LLM accelerators; shipped as a research data point only.")


# ---------------------------------------------------------------------------
# Systems
# ---------------------------------------------------------------------------
SYSTEMS = []


def system(**kw):
    SYSTEMS.append(kw)


NCCL = ("NCCL tests: ~80% of nominal NVLink bus bandwidth for large all-reduce, ~90% of IB per NIC", "https://github.com/NVIDIA/nccl-tests")
NVLINK_LAT = "NVLink all-reduce small-message latency ~3 us (nccl-tests)"
IB_LAT = "IB/RoCE inter-node collective latency ~8 us (nccl-tests)"

system(id="dgx-a100", name="NVIDIA DGX A100 / HGX A100 8-GPU", vendor="NVIDIA", chip="a100-sxm-80gb",
       aliases=["hgx-a100"], scaleup_fabric="NVLink 3 via 6 NVSwitch (all-to-all)",
       scaleout_fabric="8x ConnectX-6 200 Gb/s InfiniBand HDR, rail-optimised fat tree",
       chips_per_node=8, domain=8, sources_extra={"nccl-tests": NCCL},
       specs=[half("scaleup_bandwidth_gb_s", 600, "NV-A100", "datasheet", "bidirectional NVLink 3"),
              S("scaleout_bandwidth_gbit_s", 200, "Epoch", "reported", "one HDR NIC per GPU"),
              S("scaleup_latency_us", 3, "nccl-tests", "estimate", NVLINK_LAT),
              S("scaleout_latency_us", 8, "nccl-tests", "estimate", IB_LAT),
              S("scaleup_efficiency", 0.78, "nccl-tests", "estimate", "~230-240 GB/s busbw of 300"),
              S("scaleout_efficiency", 0.90, "nccl-tests", "estimate"),
              S("node_overhead_power_w", 3300, "est", "estimate", "DGX A100 6.5 kW max (NVIDIA spec, not in the reference) - 8 x 400 W"),
              S("pue", 1.3, "est", "estimate", "typical air-cooled colocation"),
              S("node_price_usd", 199000, "est", "estimate", "DGX A100 launch list price (2020), not in the reference"),
              S("storage_bandwidth_gb_s", 25, "est", "estimate", "2x 200G storage NICs, ~50% achievable"),
              S("nodes_per_rack", 4, "est", "estimate", "~26 kW per rack")],
       notes="Uses the 80 GB A100; the 40 GB DGX is the same node with a100-sxm-40gb.")

system(id="hgx-a800", name="NVIDIA HGX A800 8-GPU", vendor="NVIDIA (OEM servers)", chip="a800-sxm-80gb",
       aliases=["dgx-a800"], scaleup_fabric="NVLink 3 (throttled to 400 GB/s) via NVSwitch",
       scaleout_fabric="InfiniBand HDR/NDR or RoCE (OEM-dependent)", chips_per_node=8, domain=8,
       sources_extra={"nccl-tests": NCCL},
       specs=[half("scaleup_bandwidth_gb_s", 400, "A800-NVL", "reported", "bidirectional (cut from 600)"),
              S("scaleout_bandwidth_gbit_s", 200, "est", "estimate", "typical A800 servers: one 200G HDR NIC per GPU, as DGX A100"),
              S("scaleup_latency_us", 3, "nccl-tests", "estimate", NVLINK_LAT),
              S("scaleout_latency_us", 8, "nccl-tests", "estimate", IB_LAT),
              S("scaleup_efficiency", 0.78, "nccl-tests", "estimate", "as DGX A100"),
              S("scaleout_efficiency", 0.90, "nccl-tests", "estimate"),
              S("node_overhead_power_w", 3300, "est", "estimate", "as DGX A100 (6.5 kW - 8 x 400 W)"),
              S("pue", 1.3, "est", "estimate"),
              S("storage_bandwidth_gb_s", 25, "est", "estimate", "as DGX A100"),
              S("nodes_per_rack", 4, "est", "estimate")])

system(id="hgx-h800", name="NVIDIA HGX H800 8-GPU", vendor="NVIDIA (OEM servers)", chip="h800-sxm",
       aliases=["dgx-h800"], scaleup_fabric="NVLink 4 (throttled to 400 GB/s) via 4 NVSwitch",
       scaleout_fabric="8x 400 Gb/s InfiniBand NDR (one per GPU)", chips_per_node=8, domain=8,
       sources_extra={"nccl-tests": NCCL,
                      "DSV3": ("DeepSeek-V3 technical report (H800 nodes: NVLink ~160 GB/s achievable, IB 50 GB/s per GPU)",
                               "https://arxiv.org/abs/2412.19437")},
       specs=[half("scaleup_bandwidth_gb_s", 400, "H800", "reported", "bidirectional (cut from 900)"),
              S("scaleout_bandwidth_gbit_s", 400, "DSV3", "reported", "one 400G IB NIC per GPU"),
              S("scaleup_latency_us", 3, "nccl-tests", "estimate", NVLINK_LAT),
              S("scaleout_latency_us", 8, "nccl-tests", "estimate", IB_LAT),
              S("scaleup_efficiency", 0.80, "DSV3", "estimate", "~160 of 200 GB/s per direction achievable"),
              S("scaleout_efficiency", 0.90, "nccl-tests", "estimate"),
              S("node_overhead_power_w", 4600, "est", "estimate", "same platform as DGX H100 (10.2 kW - 8 x 700 W)"),
              S("pue", 1.3, "est", "estimate"),
              S("storage_bandwidth_gb_s", 40, "est", "estimate", "as DGX H100"),
              S("nodes_per_rack", 4, "est", "estimate")])

system(id="hgx-h20", name="NVIDIA HGX H20 8-GPU", vendor="NVIDIA (OEM servers)", chip="h20",
       aliases=["h20-8"], scaleup_fabric="NVLink 4 + NVSwitch (all-to-all)",
       scaleout_fabric="400 Gb/s InfiniBand / RoCE (OEM-dependent)", chips_per_node=8, domain=8,
       sources_extra={"nccl-tests": NCCL},
       specs=[half("scaleup_bandwidth_gb_s", 900, "H20", "reported", "bidirectional NVLink 4"),
              S("scaleout_bandwidth_gbit_s", 400, "est", "estimate", "HGX-class servers: one 400G NIC per GPU; not in the reference"),
              S("scaleup_latency_us", 3, "nccl-tests", "estimate", NVLINK_LAT),
              S("scaleout_latency_us", 8, "nccl-tests", "estimate", IB_LAT),
              S("scaleup_efficiency", 0.80, "nccl-tests", "estimate", "as HGX H100"),
              S("scaleout_efficiency", 0.90, "nccl-tests", "estimate"),
              S("node_overhead_power_w", 3500, "est", "estimate",
                "server power not found; HGX H100 overhead 4.6 kW less fan/PSU share for 3.2 kW of GPUs"),
              S("pue", 1.3, "est", "estimate"),
              S("node_price_usd", 170000, "H20-price", "estimate", "8-GPU H20 server ~1.2M CNY (2024) x 0.14"),
              S("storage_bandwidth_gb_s", 40, "est", "estimate", "as DGX H100"),
              S("nodes_per_rack", 4, "est", "estimate")])

system(id="hgx-h200", name="NVIDIA DGX H200 / HGX H200 8-GPU", vendor="NVIDIA", chip="h200-sxm",
       aliases=["dgx-h200"], scaleup_fabric="NVLink 4 via 4 NVSwitch (all-to-all)",
       scaleout_fabric="8x ConnectX-7 400 Gb/s InfiniBand NDR, rail-optimised fat tree",
       chips_per_node=8, domain=8, sources_extra={"nccl-tests": NCCL},
       specs=[half("scaleup_bandwidth_gb_s", 900, "NV-H200", "datasheet", "bidirectional NVLink 4"),
              S("scaleout_bandwidth_gbit_s", 400, "NV-DGX", "datasheet"),
              S("scaleup_latency_us", 3, "nccl-tests", "estimate", NVLINK_LAT),
              S("scaleout_latency_us", 8, "nccl-tests", "estimate", IB_LAT),
              S("scaleup_efficiency", 0.80, "nccl-tests", "reported"),
              S("scaleout_efficiency", 0.90, "nccl-tests", "reported"),
              S("node_overhead_power_w", 4600, "est", "estimate", "same chassis as DGX H100 (10.2 kW - 8 x 700 W)"),
              S("pue", 1.3, "est", "estimate"),
              S("storage_bandwidth_gb_s", 40, "est", "estimate", "as DGX H100"),
              S("nodes_per_rack", 4, "est", "estimate")])

system(id="dgx-b200", name="NVIDIA DGX B200 / HGX B200 8-GPU", vendor="NVIDIA", chip="b200",
       aliases=["hgx-b200"], scaleup_fabric="NVLink 5 via 2 NVSwitch (all-to-all)",
       scaleout_fabric="8x ConnectX-7 400 Gb/s InfiniBand NDR", chips_per_node=8, domain=8,
       sources_extra={"nccl-tests": NCCL},
       specs=[half("scaleup_bandwidth_gb_s", 1800, "NV-BW", "datasheet", "bidirectional NVLink 5"),
              S("scaleout_bandwidth_gbit_s", 400, "NV-DGX", "datasheet"),
              S("scaleup_latency_us", 3, "nccl-tests", "estimate", NVLINK_LAT),
              S("scaleout_latency_us", 8, "nccl-tests", "estimate", IB_LAT),
              S("scaleup_efficiency", 0.80, "nccl-tests", "estimate", "assumed as Hopper"),
              S("scaleout_efficiency", 0.90, "nccl-tests", "estimate"),
              S("node_overhead_power_w", 6300, "est", "estimate", "DGX B200 ~14.3 kW max (NVIDIA spec, not in the reference) - 8 x 1000 W"),
              S("pue", 1.3, "est", "estimate"),
              S("storage_bandwidth_gb_s", 40, "est", "estimate", "as DGX H100"),
              S("nodes_per_rack", 2, "est", "estimate", "~29 kW of nodes per air-cooled rack")])

system(id="gb200-nvl72", name="NVIDIA GB200 NVL72", vendor="NVIDIA", chip="gb200",
       aliases=["nvl72", "dgx-gb200"], scaleup_fabric="NVLink 5 + 9 NVLink Switch trays (rack-wide all-to-all)",
       scaleout_fabric="400-800 Gb/s InfiniBand / Ethernet per GPU (build-dependent)",
       chips_per_node=4, domain=72, sources_extra={"nccl-tests": NCCL},
       header="18 compute trays x (2 GB200 superchips = 2 Grace + 4 GPUs) in one liquid-cooled rack.",
       specs=[half("scaleup_bandwidth_gb_s", 1800, "NV-BW", "datasheet", "bidirectional NVLink 5"),
              S("scaleout_bandwidth_gbit_s", 400, "est", "estimate", "one ConnectX-7 400G per GPU typical; not in the reference"),
              S("scaleup_latency_us", 3, "nccl-tests", "estimate", "NVLink Switch, one switch hop as in HGX"),
              S("scaleout_latency_us", 8, "nccl-tests", "estimate", IB_LAT),
              S("scaleup_efficiency", 0.80, "nccl-tests", "estimate", "assumed as Hopper NVLink"),
              S("scaleout_efficiency", 0.90, "nccl-tests", "estimate"),
              S("node_overhead_power_w", 1870, "NVL72-k", "estimate",
                "~120 kW rack / 18 trays = 6.67 kW - 4 x 1200 W GPUs (Grace, NICs, switch trays, pumps); SemiAnalysis' 145 kW gives 3.3 kW"),
              S("pue", 1.2, "est", "estimate", "liquid-cooled"),
              S("node_price_usd", 166700, "NVL72-cl", "estimate", "~$3M per rack / 18 trays"),
              S("storage_bandwidth_gb_s", 40, "est", "estimate"),
              S("nodes_per_rack", 18, "NVL72-cl", "reported")],
       notes="Scale-up domain = 72 GPUs over 18 trays of 4. 13.4-13.8 TB HBM per rack.")

system(id="mi300x-oam8", name="AMD Instinct MI300X 8-GPU OAM platform", vendor="AMD (OEM servers)", chip="mi300x",
       aliases=["mi300x-8", "mi300x-platform"], scaleup_fabric="Infinity Fabric / xGMI full mesh (7 links per GPU)",
       scaleout_fabric="8x 400 Gb/s RoCE / InfiniBand (OEM-dependent)", chips_per_node=8, domain=8,
       sources_extra={"rccl": ("RCCL / rccl-tests (AMD ROCm collective library)", "https://github.com/ROCm/rccl")},
       specs=[S("scaleup_bandwidth_gb_s", 448, "AMD-MI300X", "datasheet", "7 links x 64 GB/s per direction"),
              S("scaleout_bandwidth_gbit_s", 400, "est", "estimate", "one 400G NIC per GPU typical; not in the reference"),
              S("scaleup_latency_us", 5, "rccl", "estimate", "conservative vs NVLink: point-to-point mesh, no switch"),
              S("scaleout_latency_us", 10, "rccl", "estimate"),
              S("scaleup_efficiency", 0.70, "rccl", "estimate",
                "a ring uses 2 of 7 links; RCCL multi-ring all-reduce reaches ~300+ GB/s busbw of 448"),
              S("scaleout_efficiency", 0.85, "rccl", "estimate"),
              S("node_overhead_power_w", 4000, "est", "estimate", "as an HGX-class 8-GPU node (2 CPUs, 10 NICs, fans)"),
              S("pue", 1.3, "est", "estimate"),
              S("storage_bandwidth_gb_s", 40, "est", "estimate"),
              S("nodes_per_rack", 4, "est", "estimate")])

system(id="tpu-v4-pod", name="Google TPU v4 pod", vendor="Google", chip="tpu-v4",
       aliases=["tpuv4-pod"], scaleup_fabric="ICI 3D torus with optical circuit switches (4,096 chips)",
       scaleout_fabric="Datacenter network (DCN) between pods", chips_per_node=4, domain=4096,
       header="chips_per_node = one host with 4 chips; the ICI torus spans the whole pod.",
       specs=[S("scaleup_bandwidth_gb_s", 300, "est", "estimate", "see chips/tpu-v4.yaml: 6 ICI links x ~50 GB/s"),
              S("scaleout_bandwidth_gbit_s", 25, "est", "estimate", "DCN ~100 Gb/s per 4-chip host; not in the reference"),
              S("scaleup_latency_us", 5, "est", "estimate", "multi-hop torus collective"),
              S("scaleout_latency_us", 15, "est", "estimate", "DCN"),
              S("scaleup_efficiency", 0.70, "est", "estimate", "torus all-reduce, conservative"),
              S("scaleout_efficiency", 0.80, "est", "estimate"),
              S("node_overhead_power_w", 500, "est", "estimate", "host CPU, NIC, share of OCS and cooling per 4 chips"),
              S("pue", 1.1, "est", "estimate", "Google fleet PUE ~1.1"),
              S("storage_bandwidth_gb_s", 10, "est", "estimate"),
              S("nodes_per_rack", 16, "est", "estimate", "64 chips (a 4x4x4 cube) per rack")],
       notes="Pod: 1.1 EF BF16, all-reduce 1.1 PB/s, bisection 24 TB/s (TPU-v4 docs).")

system(id="tpu-v5p-pod", name="Google TPU v5p pod", vendor="Google", chip="tpu-v5p",
       aliases=["tpuv5p-pod"], scaleup_fabric="ICI 3D torus with optical circuit switches (8,960 chips)",
       scaleout_fabric="Datacenter network (DCN)", chips_per_node=4, domain=8960,
       header="chips_per_node = one host with 4 chips; the ICI torus spans the pod (largest slice 6,144).",
       specs=[half("scaleup_bandwidth_gb_s", 1200, "TPU-v5p", "datasheet", "bidirectional ICI"),
              S("scaleout_bandwidth_gbit_s", 50, "TPU-v5p", "datasheet"),
              S("scaleup_latency_us", 5, "est", "estimate", "multi-hop torus collective"),
              S("scaleout_latency_us", 15, "est", "estimate", "DCN"),
              S("scaleup_efficiency", 0.70, "est", "estimate", "torus all-reduce, conservative"),
              S("scaleout_efficiency", 0.80, "est", "estimate"),
              S("node_overhead_power_w", 600, "est", "estimate", "host CPU, NIC, share of OCS and cooling per 4 chips"),
              S("pue", 1.1, "est", "estimate", "Google fleet PUE ~1.1"),
              S("storage_bandwidth_gb_s", 10, "est", "estimate"),
              S("nodes_per_rack", 16, "est", "estimate", "64 chips (a 4x4x4 cube) per rack")])

system(id="gaudi2-hls8", name="Intel Gaudi 2 HLS-8 server", vendor="Intel", chip="gaudi2",
       aliases=["hls-gaudi2", "gaudi2-8"], scaleup_fabric="21 of 24 on-die 100GbE RoCE ports, all-to-all (3 per peer)",
       scaleout_fabric="3 of 24 on-die 100GbE ports per Gaudi (24 x 100GbE per node)", chips_per_node=8, domain=8,
       specs=[S("scaleup_bandwidth_gb_s", 262.5, "Intel-HC24", "datasheet", "21 x 100 Gb/s per direction"),
              S("scaleout_bandwidth_gbit_s", 300, "Intel-HC24", "datasheet", "3 x 100 Gb/s"),
              S("scaleup_latency_us", 5, "est", "estimate", "RoCE between cards, no switch"),
              S("scaleout_latency_us", 10, "est", "estimate", "RoCE through Ethernet switches"),
              S("scaleup_efficiency", 0.75, "est", "estimate", "RoCE all-to-all mesh, conservative"),
              S("scaleout_efficiency", 0.80, "est", "estimate"),
              S("node_overhead_power_w", 3000, "est", "estimate", "2 Xeon CPUs, fans, drives, PSU losses; node power not in the reference"),
              S("pue", 1.3, "est", "estimate"),
              S("storage_bandwidth_gb_s", 25, "est", "estimate"),
              S("nodes_per_rack", 4, "est", "estimate")])

HCCL_NOTE = "no published HCCL bus-bandwidth figure found; conservative"
system(id="atlas-800t-a2", name="Huawei Atlas 800T A2 (8x Ascend 910B)", vendor="Huawei", chip="ascend-910b",
       aliases=["atlas-800t-a2-910b", "ascend-910b-8"], scaleup_fabric="HCCS full mesh between 8 NPUs (7 peers each)",
       scaleout_fabric="RoCE v2, on-NPU Ethernet ports (one per NPU)", chips_per_node=8, domain=8,
       specs=[S("scaleup_bandwidth_gb_s", 196, "Epoch", "estimate", "see chips/ascend-910b.yaml: 392 GB/s taken as bidirectional"),
              S("scaleout_bandwidth_gbit_s", 200, "est", "estimate", "one 200GE RoCE port per NPU; per-NPU speed not verified in the reference"),
              S("scaleup_latency_us", 8, "est", "estimate", "HCCL small-message all-reduce over HCCS; " + HCCL_NOTE),
              S("scaleout_latency_us", 15, "est", "estimate", "HCCL over RoCE; " + HCCL_NOTE),
              S("scaleup_efficiency", 0.70, "est", "estimate", HCCL_NOTE),
              S("scaleout_efficiency", 0.75, "est", "estimate", HCCL_NOTE),
              S("node_overhead_power_w", 2000, "est", "estimate", "4 Kunpeng 920 CPUs, fans, drives, PSU losses; node power not found"),
              S("pue", 1.3, "est", "estimate"),
              S("storage_bandwidth_gb_s", 20, "est", "estimate"),
              S("nodes_per_rack", 4, "est", "estimate", "4U nodes, ~22 kW per rack")],
       notes="910B bin varies (B2/B3 typical); this entry uses the 910B2 chip (ascend-910b).")

system(id="cloudmatrix-384", name="Huawei CloudMatrix 384 (Atlas 900 A3 SuperPoD)", vendor="Huawei", chip="ascend-910c",
       aliases=["cm384", "atlas-900-a3", "cloudmatrix384"], scaleup_fabric="UB (Unified Bus) all-to-all, two switching tiers (L1 on-board, L2 rack), 6,912 x 800G LPO optics",
       scaleout_fabric="RDMA (RoCE) plane, up to 400 Gb/s per NPU, plus a separate VPC plane", chips_per_node=8, domain=384,
       header="48 nodes x 8 Ascend 910C in 16 racks (12 compute racks of 32 NPUs + 4 UB-switch racks);\n"
              "the UB fabric makes all 384 NPUs one scale-up domain.",
       specs=[S("scaleup_bandwidth_gb_s", 392, "CM384-planes", "reported", "unidirectional per 910C (784 bidirectional)"),
              S("scaleout_bandwidth_gbit_s", 400, "CM384-planes", "reported", "RDMA plane, unidirectional per NPU"),
              S("scaleup_latency_us", 3, "CM384-planes", "estimate", "UB hop is sub-microsecond; collective alpha incl. software assumed 3 us"),
              S("scaleout_latency_us", 15, "est", "estimate", "HCCL over RoCE; " + HCCL_NOTE),
              S("scaleup_efficiency", 0.70, "est", "estimate", HCCL_NOTE),
              S("scaleout_efficiency", 0.75, "est", "estimate", HCCL_NOTE),
              S("node_overhead_power_w", 6050, "SA-CM384", "estimate",
                "559 kW / 48 nodes = 11.65 kW - 8 x 700 W; includes UB switches and optics"),
              S("pue", 1.3, "est", "estimate"),
              S("node_price_usd", 170800, "CM384-price", "estimate", "up to $8.2M / 48 nodes"),
              S("storage_bandwidth_gb_s", 20, "est", "estimate"),
              S("nodes_per_rack", 4, "CRC-CM384", "reported", "12 compute racks x 32 NPUs; UB switch racks counted in overhead")],
       notes="SemiAnalysis vs GB200 NVL72: ~1.7x BF16 compute, 3.6x HBM, ~3.9x power. Power and optics "
             "counts are SemiAnalysis estimates, not Huawei disclosures. >300 deployed by Sep 2025.")

system(id="ascend-910c-8", name="Huawei Atlas 800T A3 node (8x Ascend 910C, standalone)", vendor="Huawei",
       chip="ascend-910c", aliases=["atlas-800t-a3"], scaleup_fabric="UB / HCCS within the node (8 HiAM modules, 16 dies)",
       scaleout_fabric="RoCE, up to 400 Gb/s per NPU", chips_per_node=8, domain=8,
       header="A CloudMatrix node used on its own (no L2 UB switches): scale-up stops at 8 NPUs.",
       specs=[S("scaleup_bandwidth_gb_s", 392, "CM384-planes", "reported", "unidirectional per 910C"),
              S("scaleout_bandwidth_gbit_s", 400, "CM384-planes", "reported"),
              S("scaleup_latency_us", 3, "est", "estimate", "as cloudmatrix-384"),
              S("scaleout_latency_us", 15, "est", "estimate", HCCL_NOTE),
              S("scaleup_efficiency", 0.70, "est", "estimate", HCCL_NOTE),
              S("scaleout_efficiency", 0.75, "est", "estimate", HCCL_NOTE),
              S("node_overhead_power_w", 3000, "est", "estimate", "CPUs, fans, NICs without the CM384's UB switch racks and optics"),
              S("pue", 1.3, "est", "estimate"),
              S("storage_bandwidth_gb_s", 20, "est", "estimate"),
              S("nodes_per_rack", 2, "est", "estimate", "~17 kW nodes")])

system(id="atlas-950-superpod", name="Huawei Atlas 950 SuperPoD (roadmap, Q4 2026)", vendor="Huawei",
       chip="ascend-950dt", aliases=["atlas-950"], availability="roadmap",
       scaleup_fabric="UnifiedBus 2.0, all-optical (160 cabinets: 128 compute + 32 interconnect)",
       scaleout_fabric="not disclosed", chips_per_node=8, domain=8192,
       specs=[S("scaleup_bandwidth_gb_s", 1000, "HW-A950", "reported", "2,000 GB/s taken as bidirectional; / 2"),
              S("scaleout_bandwidth_gbit_s", 400, "est", "estimate", "not disclosed; assumed as cloudmatrix-384 (400 Gb/s per NPU)"),
              S("scaleup_latency_us", 3, "est", "estimate", "as cloudmatrix-384"),
              S("scaleup_efficiency", 0.70, "est", "estimate", "as cloudmatrix-384"),
              S("pue", 1.3, "est", "estimate"),
              S("nodes_per_rack", 8, "est", "estimate", "8,192 NPUs / 128 compute cabinets = 64 per cabinet, 8 per node")],
       notes="Roadmap. 8 EF FP8, 1,152 TB memory, 16.3 PB/s interconnect. chips_per_node 8 is assumed.")

# Domestic 8-chip nodes --------------------------------------------------------------
PCIE_NOTE = "PCIe"
system(id="mtt-s4000-8", name="Moore Threads MCCX D800 (8x MTT S4000, KUAE node)", vendor="Moore Threads",
       chip="mtt-s4000", aliases=["mccx-d800", "kuae-node"], scaleup_fabric="MTLink 1.0 between 8 GPUs",
       scaleout_fabric="RoCE / InfiniBand (KUAE clusters to 10,000 GPUs)", chips_per_node=8, domain=8,
       specs=[S("scaleup_bandwidth_gb_s", 120, "MT-S4000", "estimate", "240 GB/s MTLink taken as bidirectional; / 2"),
              S("scaleout_bandwidth_gbit_s", 200, "est", "estimate", "not in the reference; one 200G NIC per GPU assumed"),
              S("scaleup_latency_us", 8, "est", "estimate", "MCCL; no published figure, conservative"),
              S("scaleout_latency_us", 15, "est", "estimate", "conservative"),
              S("scaleup_efficiency", 0.65, "est", "estimate", "young collective library; conservative"),
              S("scaleout_efficiency", 0.75, "est", "estimate", "conservative"),
              S("node_overhead_power_w", 2000, "MT-D800", "estimate", "2x 4th-gen Xeon, 1 TB RAM, NVMe, fans, PSU losses"),
              S("pue", 1.3, "est", "estimate"),
              S("storage_bandwidth_gb_s", 20, "est", "estimate"),
              S("nodes_per_rack", 4, "est", "estimate")],
       notes="Kilo-card KUAE cluster = 125 of these servers.")

system(id="mlu590-8", name="Cambricon MLU590 8-card server (placeholder)", vendor="Cambricon (OEM servers)",
       chip="mlu590", aliases=["siyuan-590-8"], scaleup_fabric="MLU-Link between 8 cards (figures not published)",
       scaleout_fabric="RoCE / InfiniBand (OEM-dependent)", chips_per_node=8, domain=8,
       header="PLACEHOLDER: built on the placeholder chips/mlu590.yaml; every number is an estimate.",
       specs=[S("scaleup_bandwidth_gb_s", 200, "est", "estimate", "PLACEHOLDER, as chips/mlu590.yaml"),
              S("scaleout_bandwidth_gbit_s", 200, "est", "estimate", "one 200G NIC per card assumed"),
              S("scaleup_latency_us", 8, "est", "estimate", "CNCL; no published figure, conservative"),
              S("scaleout_latency_us", 15, "est", "estimate", "conservative"),
              S("scaleup_efficiency", 0.65, "est", "estimate", "conservative"),
              S("scaleout_efficiency", 0.75, "est", "estimate", "conservative"),
              S("node_overhead_power_w", 2000, "est", "estimate", "2 CPUs, fans, NICs, PSU losses"),
              S("pue", 1.3, "est", "estimate"),
              S("storage_bandwidth_gb_s", 20, "est", "estimate"),
              S("nodes_per_rack", 4, "est", "estimate")])

system(id="metax-c500-8", name="MetaX C500 8-GPU OAM server", vendor="MetaX (OEM servers)", chip="metax-c500",
       aliases=["c500-8"], scaleup_fabric="MetaXLink (bandwidth not published; PCIe 5.0 floor used)",
       scaleout_fabric="RoCE / InfiniBand (OEM-dependent)", chips_per_node=8, domain=8,
       specs=[S("scaleup_bandwidth_gb_s", 64, "est", "estimate",
                "MetaXLink figure not found; PCIe 5.0 x16 (64 GB/s per direction) used as a conservative floor"),
              S("scaleout_bandwidth_gbit_s", 200, "est", "estimate", "one 200G NIC per GPU assumed"),
              S("scaleup_latency_us", 8, "est", "estimate", "MCCL; no published figure, conservative"),
              S("scaleout_latency_us", 15, "est", "estimate", "conservative"),
              S("scaleup_efficiency", 0.65, "est", "estimate", "conservative"),
              S("scaleout_efficiency", 0.75, "est", "estimate", "conservative"),
              S("node_overhead_power_w", 2000, "est", "estimate", "2 CPUs, fans, NICs, PSU losses"),
              S("pue", 1.3, "est", "estimate"),
              S("storage_bandwidth_gb_s", 20, "est", "estimate"),
              S("nodes_per_rack", 4, "est", "estimate")])

system(id="biren-br100-8", name="Biren Hearten server (8x BR100 OAM)", vendor="Biren", chip="biren-br100",
       aliases=["hearten", "br100-8"], scaleup_fabric="B-Link between 8 OAM modules",
       scaleout_fabric="not disclosed (RoCE assumed)", chips_per_node=8, domain=8,
       specs=[S("scaleup_bandwidth_gb_s", 1150, "TPU-Biren", "estimate", "2.3 TB/s total I/O taken as bidirectional; / 2"),
              S("scaleout_bandwidth_gbit_s", 200, "est", "estimate", "one 200G NIC per GPU assumed"),
              S("scaleup_latency_us", 8, "est", "estimate", "no published figure, conservative"),
              S("scaleout_latency_us", 15, "est", "estimate", "conservative"),
              S("scaleup_efficiency", 0.60, "est", "estimate", "announced link figure; shipped parts derated"),
              S("scaleout_efficiency", 0.75, "est", "estimate", "conservative"),
              S("node_overhead_power_w", 2000, "est", "estimate", "2 CPUs, fans, NICs, PSU losses"),
              S("pue", 1.3, "est", "estimate"),
              S("storage_bandwidth_gb_s", 20, "est", "estimate"),
              S("nodes_per_rack", 4, "est", "estimate")],
       notes="Announced configuration (HC34). BR100 production stopped after Oct-2022; treat as a what-if.")

system(id="kunlun-p800-8", name="Kunlunxin P800 8-card machine", vendor="Kunlunxin (Baidu)", chip="kunlun-p800",
       aliases=["p800-8"], scaleup_fabric="XPU Link between 8 cards", scaleout_fabric="RoCE / InfiniBand",
       chips_per_node=8, domain=8,
       sources_extra={"R480": ("FlagPerf Kunlunxin R480-X8 notes: 8 gen-2 R300 modules, 200 GB/s bidirectional aggregate chip-to-chip; 200 Gb/s IB",
                               "https://github.com/FlagOpen/FlagPerf")},
       specs=[S("scaleup_bandwidth_gb_s", 100, "R480", "estimate",
                "P800 XPU Link figure not found; gen-2 R480-X8's 200 GB/s bidirectional used as a floor; / 2"),
              S("scaleout_bandwidth_gbit_s", 200, "R480", "estimate", "gen-2 cluster used 200 Gb/s IB"),
              S("scaleup_latency_us", 8, "est", "estimate", "no published figure, conservative"),
              S("scaleout_latency_us", 15, "est", "estimate", "conservative"),
              S("scaleup_efficiency", 0.65, "est", "estimate", "conservative"),
              S("scaleout_efficiency", 0.75, "est", "estimate", "conservative"),
              S("node_overhead_power_w", 2000, "est", "estimate", "2 CPUs, fans, NICs, PSU losses"),
              S("pue", 1.3, "est", "estimate"),
              S("storage_bandwidth_gb_s", 20, "est", "estimate"),
              S("nodes_per_rack", 4, "est", "estimate")],
       notes="'KunlunxinP800 96GB 8-card machine' per PaddlePaddle/ERNIE docs. Chip bandwidth/TDP unknown.")

system(id="iluvatar-bi-v100-8", name="Iluvatar BI-V100 8-card PCIe server", vendor="Iluvatar CoreX (OEM servers)",
       chip="iluvatar-bi-v100", aliases=["bi-v100-8"], scaleup_fabric="PCIe 4.0 x16 through the host / PCIe switches",
       scaleout_fabric="RoCE / InfiniBand (OEM-dependent)", chips_per_node=8, domain=8,
       header="No chip-to-chip link: the 8 cards reach each other over PCIe 4.0, modelled as a slow scale-up domain.",
       specs=[S("scaleup_bandwidth_gb_s", 32, "Iluvatar", "estimate", "PCIe 4.0 x16 per direction"),
              S("scaleout_bandwidth_gbit_s", 100, "est", "estimate", "one 100G NIC per card assumed"),
              S("scaleup_latency_us", 10, "est", "estimate", "PCIe through the host, conservative"),
              S("scaleout_latency_us", 15, "est", "estimate", "conservative"),
              S("scaleup_efficiency", 0.60, "est", "estimate", "PCIe peer traffic shares root ports"),
              S("scaleout_efficiency", 0.75, "est", "estimate", "conservative"),
              S("node_overhead_power_w", 1500, "est", "estimate", "2 CPUs, fans, PSU losses"),
              S("pue", 1.3, "est", "estimate"),
              S("storage_bandwidth_gb_s", 20, "est", "estimate"),
              S("nodes_per_rack", 4, "est", "estimate")])

system(id="mlu370-x8-8", name="Cambricon MLU370-X8 8-card PCIe server", vendor="Cambricon (OEM servers)",
       chip="mlu370-x8", aliases=["mlu370-8"], scaleup_fabric="PCIe 4.0 x16 (MLU-Link bridges not modelled)",
       scaleout_fabric="RoCE / InfiniBand (OEM-dependent)", chips_per_node=8, domain=8,
       header="MLU-Link bridge figures are not in the reference; the 8 cards are joined over PCIe 4.0 here.",
       specs=[S("scaleup_bandwidth_gb_s", 32, "est", "estimate", "PCIe 4.0 x16 per direction, as chips/mlu370-x8.yaml"),
              S("scaleout_bandwidth_gbit_s", 100, "est", "estimate", "one 100G NIC per card assumed"),
              S("scaleup_latency_us", 10, "est", "estimate", "PCIe through the host, conservative"),
              S("scaleout_latency_us", 15, "est", "estimate", "conservative"),
              S("scaleup_efficiency", 0.60, "est", "estimate", "PCIe peer traffic shares root ports"),
              S("scaleout_efficiency", 0.75, "est", "estimate", "conservative"),
              S("node_overhead_power_w", 1500, "est", "estimate", "2 CPUs, fans, PSU losses"),
              S("pue", 1.3, "est", "estimate"),
              S("storage_bandwidth_gb_s", 20, "est", "estimate"),
              S("nodes_per_rack", 4, "est", "estimate")])


# ---------------------------------------------------------------------------
# Emit
# ---------------------------------------------------------------------------
SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/()+,-]*$")
BITS = {"tflops_fp4": 4, "tflops_fp8": 8, "tops_int8": 8, "tflops_bf16": 16, "tflops_fp16": 16, "tflops_fp32": 32}


def q(s):
    s = str(s)
    if SAFE.match(s) and not s.endswith(" ") and s.lower() not in ("yes", "no", "true", "false", "null", "on", "off"):
        return s
    return json.dumps(s, ensure_ascii=False)


def fmt_num(v):
    if isinstance(v, float) and v == int(v) and abs(v) >= 1:
        return str(int(v))
    return repr(v) if isinstance(v, float) else str(v)


def wrap_notes(text):
    return "\n".join("  " + line for line in textwrap.wrap(text, 96))


def emit_sources(tags, index, extra):
    out = ["sources:"]
    for t in tags:
        if t in extra:
            title, url = extra[t]
        elif t == "est":
            title, url = EST
        else:
            title, url = index[t]["title"], index[t]["url"]
        out.append(f"  {t}: {{title: {json.dumps(title, ensure_ascii=False)}, url: {json.dumps(url)}}}")
    return out


def emit_specs(specs):
    out = ["specs:"]
    w = max(len(k) for k, *_ in specs) + 1
    for key, val, tag, conf, cmt in specs:
        line = f"  {(key + ':').ljust(w)} {{value: {fmt_num(val)}, source: {tag}, confidence: {conf}}}"
        if cmt:
            line += f"  # {cmt}"
        out.append(line)
    return out


def used_tags(specs, extra):
    tags = []
    for _, _, tag, _, _ in specs:
        if tag not in tags:
            tags.append(tag)
    for t in extra:
        if t not in tags:
            tags.append(t)
    return tags


def tpp_of(specs):
    vals = {k: v for k, v, *_ in specs}
    cands = [vals[k] * b for k, b in BITS.items() if k in vals]
    return max(cands) if cands else None


def emit_chip(c, index):
    specs = c["specs"]
    lines = [f"# {c['name']}. Facts from shared/reference/accelerators.json ({c['ref']!r} row)"]
    lines.append("# unless a comment says otherwise; generated by tools/gen_catalog.py, hand-checked.")
    if c.get("header"):
        lines += ["# " + h for h in c["header"].split("\n")]
    tpp = tpp_of(specs)
    area = {k: v for k, v, *_ in specs}.get("die_area_mm2")
    if tpp:
        pd = f", PD {tpp / area:.2f}" if area else ", PD unknown (no die area)"
        lines.append(f"# Check: TPP = max(dense TOPS x bits) = {tpp:,.0f}{pd}.")
    lines += ["schema_version: 1", "kind: chip", f"id: {c['id']}", f"name: {q(c['name'])}",
              f"vendor: {q(c['vendor'])}", f"ecosystem: {c['ecosystem']}",
              f"aliases: [{', '.join(c['aliases'])}]",
              f"availability: {c.get('availability', 'product')}", f"year: {c['year']}",
              f"process_node: {q(c['process_node'])}", f"memory_type: {q(c['memory_type'])}"]
    dl = f"scaleup_domain_max: {c['domain']}"
    if c.get("domain_comment"):
        dl += f"  # {c['domain_comment']}"
    lines.append(dl)
    lines += emit_sources(used_tags(specs, {}), index, {})
    lines += emit_specs(specs)
    lines += ["notes: >", wrap_notes(c["notes"])]
    return "\n".join(lines) + "\n"


def emit_system(s, index):
    specs = s["specs"]
    extra = s.get("sources_extra", {})
    lines = [f"# {s['name']}. Source: shared/reference/accelerators.json where tagged; estimates say"]
    lines.append("# their basis. Generated by tools/gen_catalog.py, hand-checked.")
    if s.get("header"):
        lines += ["# " + h for h in s["header"].split("\n")]
    lines += ["schema_version: 1", "kind: system", f"id: {s['id']}", f"name: {q(s['name'])}",
              f"vendor: {q(s['vendor'])}", f"chip: {s['chip']}", f"aliases: [{', '.join(s['aliases'])}]",
              f"availability: {s.get('availability', 'product')}",
              f"scaleup_fabric: {q(s['scaleup_fabric'])}", f"scaleout_fabric: {q(s['scaleout_fabric'])}",
              f"chips_per_node: {s['chips_per_node']}", f"scaleup_domain_chips: {s['domain']}"]
    tags = [t for t in used_tags(specs, extra)]
    lines += emit_sources(tags, index, extra)
    lines += emit_specs(specs)
    if s.get("notes"):
        lines += ["notes: >", wrap_notes(s["notes"])]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", default=DEFAULT_REF)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    ref = json.load(open(args.ref))
    meta = [r for r in ref if r["record_type"] == "meta"][0]
    index = dict(meta["source_index"])
    rows = {r["name"]: r for r in ref if r["record_type"] == "chip"}
    bad = 0
    for c in CHIPS:
        row = rows[c["ref"]]
        tpp = tpp_of(c["specs"])
        if row.get("tpp") and tpp and abs(tpp - row["tpp"]) > 0.01 * row["tpp"] and c["id"] != "a100-sxm-40gb":
            print(f"TPP mismatch {c['id']}: ours {tpp} reference {row['tpp']}", file=sys.stderr)
            bad += 1
    if args.check:
        return 1 if bad else 0
    for c in CHIPS:
        with open(os.path.join(ROOT, "data/chips", c["id"] + ".yaml"), "w") as f:
            f.write(emit_chip(c, index))
    for s in SYSTEMS:
        with open(os.path.join(ROOT, "data/systems", s["id"] + ".yaml"), "w") as f:
            f.write(emit_system(s, index))
    print(f"wrote {len(CHIPS)} chips, {len(SYSTEMS)} systems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
