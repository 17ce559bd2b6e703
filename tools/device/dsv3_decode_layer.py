#!/usr/bin/env python3
"""Time the compute of one DeepSeek-V3 MoE decode layer on one GPU, per micro-batch.

Measures what xpusim's serving step model calls the attention-side segment
(without the attention kernel itself) and the expert segment of one
micro-batch of T tokens on one EP rank: FP8 GEMMs (torch._scaled_mm, per-tensor
scales), the absorbed-MLA BMMs in BF16, RMSNorms, RoPE, FP8 activation casts,
router and top-k, SiLU-and-multiply, and the weighted combine. Random weights;
the whole layer is captured in a CUDA graph and replayed, as decode engines do.
No communication and no attention kernel: those are modelled separately.

Usage (on a GPU machine): python3 tools/device/dsv3_decode_layer.py OUT.json
Environment: TOKENS (comma list, default 48,96,192), EXPERT_ROWS_PER_TOKEN
(rows per local expert per rank token, default 4.5: 8 slots x 144 ranks / 256
experts, x1.0; 2 local experts).
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from graph_timer import time_graph_us  # noqa: E402

H, QL, KVL, ROPE, NH, DN, DV, FF, EXPERTS, TOPK = 7168, 1536, 512, 64, 128, 128, 128, 2048, 256, 8
LOCAL_EXPERTS = 2
FP8 = torch.float8_e4m3fn
DEV = "cuda"


def pad16(n):
    return (n + 15) // 16 * 16


def weight(n, k):
    # [n, k] row-major; .t() is the column-major operand _scaled_mm wants.
    return (torch.randn(n, k, device=DEV) / k**0.5).to(FP8)


class Layer:
    def __init__(self, tokens, expert_rows):
        self.t = pad16(tokens)
        self.rows = pad16(expert_rows)
        self.one = torch.tensor(1.0, device=DEV)
        self.w_qkv_a = weight(QL + KVL + ROPE, H)        # fused q_a and kv_a: N = 2112
        self.w_q_b = weight(NH * (DN + ROPE), QL)         # N = 24576
        self.w_uk = torch.randn(NH, DN, KVL, device=DEV, dtype=torch.bfloat16) / DN**0.5
        self.w_uv = torch.randn(NH, KVL, DV, device=DEV, dtype=torch.bfloat16) / KVL**0.5
        self.w_o = weight(H, NH * DV)                     # K = 16384
        self.w_router = torch.randn(H, EXPERTS, device=DEV, dtype=torch.bfloat16) / H**0.5
        self.w_sh_up = weight(2 * FF, H)
        self.w_sh_down = weight(H, FF)
        self.w_ex_up = [weight(2 * FF, H) for _ in range(LOCAL_EXPERTS)]
        self.w_ex_down = [weight(H, FF) for _ in range(LOCAL_EXPERTS)]
        self.g_h = torch.ones(H, device=DEV, dtype=torch.bfloat16)
        self.g_q = torch.ones(QL, device=DEV, dtype=torch.bfloat16)
        self.g_kv = torch.ones(KVL, device=DEV, dtype=torch.bfloat16)
        self.x = torch.randn(self.t, H, device=DEV, dtype=torch.bfloat16)
        self.attn_latent = torch.randn(NH, self.t, KVL, device=DEV, dtype=torch.bfloat16)  # stands for attention's output
        self.cos = torch.randn(self.t, ROPE // 2, device=DEV, dtype=torch.bfloat16)
        self.sin = torch.randn(self.t, ROPE // 2, device=DEV, dtype=torch.bfloat16)
        self.recv = torch.randn(LOCAL_EXPERTS, self.rows, H, device=DEV, dtype=torch.bfloat16)  # dispatched tokens

    def mm(self, x8, w8):
        return torch._scaled_mm(x8, w8.t(), scale_a=self.one, scale_b=self.one, out_dtype=torch.bfloat16)

    def rope(self, x):
        a, b = x[..., 0::2], x[..., 1::2]
        c, s = self.cos.view(self.t, *([1] * (x.dim() - 2)), -1), self.sin.view(self.t, *([1] * (x.dim() - 2)), -1)
        return torch.cat((a * c - b * s, a * s + b * c), dim=-1)

    def attention_side(self):
        t = self.t
        h = torch.nn.functional.rms_norm(self.x, (H,), self.g_h).to(FP8)
        qkv = self.mm(h, self.w_qkv_a)
        q_a = torch.nn.functional.rms_norm(qkv[:, :QL], (QL,), self.g_q).to(FP8)
        kv = torch.nn.functional.rms_norm(qkv[:, QL:QL + KVL], (KVL,), self.g_kv)
        k_pe = self.rope(qkv[:, QL + KVL:])
        q = self.mm(q_a, self.w_q_b).view(t, NH, DN + ROPE)
        q_pe = self.rope(q[:, :, DN:])
        q_lat = torch.bmm(q[:, :, :DN].transpose(0, 1), self.w_uk)        # [NH, t, KVL]: absorbed W_UK
        o = torch.bmm(self.attn_latent, self.w_uv).transpose(0, 1).reshape(t, NH * DV)  # absorbed W_UV
        out = self.mm(o.to(FP8), self.w_o)
        x2 = self.x + out
        h2 = torch.nn.functional.rms_norm(x2, (H,), self.g_h)
        logits = h2 @ self.w_router
        weights, ids = torch.topk(torch.sigmoid(logits.float()), TOPK, dim=-1)
        return x2, h2.to(FP8), weights, ids, kv, k_pe, q_lat, q_pe

    def experts(self, h8):
        up = self.mm(h8, self.w_sh_up)
        act = (torch.nn.functional.silu(up[:, :FF]) * up[:, FF:]).to(FP8)
        shared = self.mm(act, self.w_sh_down)
        outs = []
        for e in range(LOCAL_EXPERTS):
            xe = self.recv[e].to(FP8)
            u = self.mm(xe, self.w_ex_up[e])
            a = (torch.nn.functional.silu(u[:, :FF]) * u[:, FF:]).to(FP8)
            outs.append(self.mm(a, self.w_ex_down[e]))
        return shared, outs


def time_graph(fn):
    return time_graph_us(fn)


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else "dsv3_decode_layer.json"
    tokens = [int(x) for x in os.environ.get("TOKENS", "48,96,192").split(",")]
    rows_per_token = float(os.environ.get("EXPERT_ROWS_PER_TOKEN", "4.5"))
    results = []
    for t in tokens:
        layer = Layer(t, int(round(t * rows_per_token)))
        state = {}
        def attn():
            state["a"] = layer.attention_side()
        def ex():
            state["e"] = layer.experts(state["a"][1])
        attn()
        a_us = time_graph(attn)
        e_us = time_graph(ex)
        results.append({"tokens": t, "padded_tokens": layer.t, "expert_rows": layer.rows,
                        "attention_side_us_without_attention": a_us, "experts_us_incl_shared": e_us})
        print(json.dumps(results[-1]), flush=True)
    doc = {"device": torch.cuda.get_device_name(), "torch": torch.__version__,
           "what": "DeepSeek-V3 MoE decode layer, one micro-batch, one EP rank, CUDA graph, no attention kernel, no comm",
           "results": results}
    with open(out_path, "w") as f:
        json.dump(doc, f, indent=1)


if __name__ == "__main__":
    main()


def gemm_breakdown(t=96):
    """Each GEMM and BMM of the attention side alone, CUDA graph, at T tokens."""
    layer = Layer(t, int(round(t * 4.5)))
    h8 = torch.randn(layer.t, H, device=DEV).to(FP8)
    q8 = torch.randn(layer.t, QL, device=DEV).to(FP8)
    o8 = torch.randn(layer.t, NH * DV, device=DEV).to(FP8)
    qn = torch.randn(NH, layer.t, DN, device=DEV, dtype=torch.bfloat16)
    xb = torch.randn(layer.t, H, device=DEV, dtype=torch.bfloat16)
    ops = {
        "qkv_a fp8 [T,7168]x[7168,2112]": lambda: layer.mm(h8, layer.w_qkv_a),
        "q_b fp8 [T,1536]x[1536,24576]": lambda: layer.mm(q8, layer.w_q_b),
        "o_proj fp8 [T,16384]x[16384,7168]": lambda: layer.mm(o8, layer.w_o),
        "w_uk bmm bf16 128x[T,128]x[128,512]": lambda: torch.bmm(qn, layer.w_uk),
        "w_uv bmm bf16 128x[T,512]x[512,128]": lambda: torch.bmm(layer.attn_latent, layer.w_uv),
        "router bf16 [T,7168]x[7168,256]": lambda: xb @ layer.w_router,
        "rms_norm [T,7168]": lambda: torch.nn.functional.rms_norm(xb, (H,), layer.g_h),
        "cast fp8 [T,7168]": lambda: xb.to(FP8),
        "topk 8 of 256": lambda: torch.topk(torch.sigmoid((xb[:, :EXPERTS]).float()), TOPK, dim=-1),
    }
    return {name: time_graph(fn) for name, fn in ops.items()}


if __name__ == "__main__" and os.environ.get("BREAKDOWN"):
    b = gemm_breakdown()
    print(json.dumps(b, indent=1))
    with open(sys.argv[1] + ".breakdown.json", "w") as f:
        json.dump({"device": torch.cuda.get_device_name(), "tokens": 96, "us": b}, f, indent=1)


def kernel_profile(t=96):
    """Device time of every kernel of one micro-batch layer (torch.profiler)."""
    from torch.profiler import ProfilerActivity, profile
    layer = Layer(t, int(round(t * 4.5)))
    for _ in range(5):
        h8 = layer.attention_side()[1]
        layer.experts(h8)
    torch.cuda.synchronize()
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        for _ in range(10):
            h8 = layer.attention_side()[1]
            layer.experts(h8)
        torch.cuda.synchronize()
    rows = []
    for e in prof.key_averages():
        dev_us = getattr(e, "device_time_total", None) or getattr(e, "cuda_time_total", 0)
        if dev_us > 0 and e.count >= 10:
            rows.append({"kernel": e.key[:90], "calls_per_layer": e.count / 10, "us_per_layer": dev_us / 10})
    rows.sort(key=lambda r: -r["us_per_layer"])
    return rows


if __name__ == "__main__" and os.environ.get("PROFILE"):
    rows = kernel_profile()
    total = sum(r["us_per_layer"] for r in rows)
    for r in rows:
        print(f'{r["us_per_layer"]:8.1f} us  x{r["calls_per_layer"]:.0f}  {r["kernel"]}')
    print(f"total device time per micro-batch layer: {total:.1f} us over {sum(r['calls_per_layer'] for r in rows):.0f} kernels")
    with open(sys.argv[1] + ".kernels.json", "w") as f:
        json.dump({"device": torch.cuda.get_device_name(), "tokens": 96, "kernels": rows, "total_us": total}, f, indent=1)
