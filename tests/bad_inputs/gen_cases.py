#!/usr/bin/env python3
"""Writes cases.json, the bad-input matrix (run by tests/e2e/run_e2e.py).

Each row: name, the args that differ from a good `train` command, and the
substrings stderr must contain (the field or flag named, and the problem).
Every case expects exit code 1 (a user error: exit 2 would be an internal
error, a crash is neither) and an empty stdout. Edit the table here and
re-run: python3 tests/bad_inputs/gen_cases.py
"""
import json
import os

F = "@TESTS@/bad_inputs/files/"
P = "@TESTS@/e2e/plan/"
BASE = ["train", "--model", "llama3-8b", "--system", "dgx-h100", "--chips", "8"]


def train(**over):
    """BASE with flags replaced/added: train(model=F+'x') -> --model x."""
    args = list(BASE)
    for k, v in over.items():
        flag = "--" + k.replace("_", "-")
        if flag in args:
            args[args.index(flag) + 1] = str(v)
        elif v is True:
            args.append(flag)
        else:
            args += [flag, str(v)]
    return args


ROWS = [
    # --- model YAML files (--model PATH) ---
    ("model yaml truncated", train(model=F + "model_truncated.yaml"), ["model_truncated.yaml"]),
    ("model yaml wrong type", train(model=F + "model_wrong_type.yaml"), ["model_wrong_type.yaml", "architecture.layers"]),
    ("model yaml negative layers", train(model=F + "model_negative_layers.yaml"), ["architecture.layers"]),
    ("model yaml NaN hidden", train(model=F + "model_nan_hidden.yaml"), ["architecture.hidden"]),
    ("model yaml inf vocab", train(model=F + "model_inf_vocab.yaml"), ["architecture.vocab"]),
    ("model yaml unknown key", train(model=F + "model_unknown_key.yaml"), ["ffn_hiden", "ffn_hidden"]),
    ("model yaml zero heads", train(model=F + "model_zero_heads.yaml"), ["architecture.heads"]),
    ("model yaml empty file", train(model=F + "model_empty.yaml"), ["model_empty.yaml", "empty"]),
    ("model yaml comment only", train(model=F + "model_comment_only.yaml"), ["model_comment_only.yaml"]),
    ("model yaml without architecture", train(model=F + "model_no_architecture.yaml"), ["architecture"]),
    ("model yaml 10^15 hidden", train(model=F + "model_huge_hidden.yaml"), ["architecture.hidden"]),
    ("model yaml fractional layers", train(model=F + "model_float_layers.yaml"), ["architecture.layers"]),
    ("model yaml list at the root", train(model=F + "model_list_root.yaml"), ["model_list_root.yaml"]),
    ("model yaml unknown activation", train(model=F + "model_bad_activation.yaml"), ["architecture.activation", "swiglu"]),
    ("model yaml is binary", train(model=F + "binary_model.yaml"), ["binary_model.yaml"]),
    ("model yaml expert groups not dividing the experts",
     train(model=F + "model_expert_groups_not_dividing.yaml", chips=16), ["expert_groups", "divide"]),
    ("model yaml more groups per token than groups",
     train(model=F + "model_groups_per_token_above_groups.yaml", chips=16), ["groups_per_token"]),
    ("model path is a directory", train(model=F + "a_directory.yaml"), ["a_directory.yaml"]),
    ("model path does not exist", train(model=F + "no_such_model.yaml"), ["no_such_model.yaml"]),
    # --- Hugging Face config.json (--model PATH.json) ---
    ("hf config truncated", train(model=F + "hf_truncated.json"), ["hf_truncated.json"]),
    ("hf config wrong type", train(model=F + "hf_wrong_type.json"), ["hidden_size"]),
    ("hf config negative layers", train(model=F + "hf_negative_layers.json"), ["num_hidden_layers"]),
    ("hf config missing field", train(model=F + "hf_missing_field.json"), ["num_hidden_layers"]),
    ("hf config unknown family", train(model=F + "hf_unknown_family.json"), ["model_type", "mamba"]),
    ("hf config empty object", train(model=F + "hf_empty_object.json"), ["hf_empty_object.json"]),
    ("hf config number overflow", train(model=F + "hf_overflow.json"), ["hf_overflow.json"]),
    ("hf config kv heads do not divide heads", train(model=F + "hf_heads_not_dividing.json"), ["hf_heads_not_dividing.json", "kv_heads"]),
    ("hf config array root", train(model=F + "hf_array_root.json"), ["hf_array_root.json"]),
    ("hf config is binary", train(model=F + "binary_config.json"), ["binary_config.json"]),
    # --- system YAML files (--system PATH) ---
    ("system yaml zero bandwidth", train(system=F + "system_zero_bandwidth.yaml"), ["specs.scaleup_bandwidth_gb_s"]),
    ("system yaml unit mistake (bit/s for Gbit/s)", train(system=F + "system_unit_mistake.yaml"), ["specs.scaleout_bandwidth_gbit_s"]),
    ("system yaml unknown chip", train(system=F + "system_unknown_chip.yaml"), ["h100-sxmm", "h100-sxm"]),
    ("system yaml zero chips per node", train(system=F + "system_zero_chips_per_node.yaml"), ["chips_per_node"]),
    ("system yaml negative efficiency", train(system=F + "system_negative_efficiency.yaml"), ["specs.scaleout_efficiency"]),
    ("system yaml efficiency in percent", train(system=F + "system_efficiency_percent.yaml"), ["specs.scaleup_efficiency"]),
    ("system yaml all-to-all compute share in percent", train(system=F + "system_alltoall_share_percent.yaml"), ["specs.alltoall_compute_share"]),
    ("system yaml decode all-to-all efficiency above 1", train(system=F + "system_decode_alltoall_efficiency_above_one.yaml"), ["specs.scaleout_decode_alltoall_efficiency"]),
    ("system yaml truncated", train(system=F + "system_truncated.yaml"), ["system_truncated.yaml"]),
    ("system path does not exist", train(system=F + "nope/system.yaml"), ["system.yaml"]),
    # --- ids ---
    ("unknown model id", train(model="llama3-8bb"), ["llama3-8bb", "llama3-8b"]),
    ("unknown system id", train(system="dgx-h1000"), ["dgx-h1000", "dgx-h100"]),
    ("empty model id", train(model=""), ["unknown model ''"]),
    # --- counts and sizes ---
    ("chips 0", train(chips=0), ["--chips"]),
    ("chips negative", train(chips=-8), ["--chips"]),
    ("chips not a number", train(chips="eight"), ["--chips"]),
    ("chips 10^12", train(chips=10**12), ["--chips"]),
    ("chips 10^12 with tp", train(chips=10**12, tp=8), ["--chips"]),
    ("tokens -1", train(tokens=-1), ["--tokens"]),
    ("tokens NaN", train(tokens="nan"), ["--tokens"]),
    ("tokens inf", train(tokens="inf"), ["--tokens"]),
    ("tokens 1e30", train(tokens="1e30"), ["--tokens"]),
    ("seq 0", train(seq=0), ["--seq"]),
    ("seq negative", train(seq=-4096), ["--seq"]),
    ("global batch 0", train(global_batch=0), ["--global-batch"]),
    ("global batch not divisible by dp x micro-batch", train(global_batch=100, micro_batch=3), ["global"]),
    ("micro batch 0", train(micro_batch=0), ["--micro-batch"]),
    # --- parallel degrees ---
    ("tp 3 for 64 heads", train(model="llama3-70b", chips=12, tp=3), ["tp", "64"]),
    ("pp 64 for 32 layers", train(chips=64, pp=64), ["pp", "32"]),
    ("tp x pp does not divide chips", train(tp=3), ["--chips"]),
    ("dp makes the product wrong", train(tp=2, dp=3), ["dp"]),
    ("ep does not divide experts", train(model="mixtral-8x7b", chips=24, ep=3), ["ep"]),
    ("tp 0", train(tp=0), ["--tp"]),
    ("vpp 0", train(vpp=0), ["--vpp"]),
    ("zero stage 4", train(zero=4), ["zero"]),
    ("unknown recompute", train(recompute="sometimes"), ["sometimes", "selective"]),
    ("unknown recompute module", train(recompute_modules="layernorm,mla_upproj"), ["mla_upproj", "mla_up_proj"]),
    ("unknown Adam first-moment dtype", train(exp_avg_dtype="bf61"), ["--exp-avg-dtype", "bf61", "did you mean 'bf16'"]),
    ("unknown Adam second-moment dtype", train(exp_avg_sq_dtype="fp4"), ["--exp-avg-sq-dtype", "fp4"]),
    ("empty Adam first-moment dtype", train(exp_avg_dtype=""), ["--exp-avg-dtype", "(got '')"]),
    ("serve prefill chunk zero", ["serve", "--model", "llama3-8b", "--system", "dgx-h100", "--chips", "1", "--batch", "4",
                                  "--input-len", "2048", "--output-len", "64", "--prefill-chunk", "0"],
     ["--prefill-chunk", "between 1 and"]),
    ("serve prefill chunk over 2^24", ["serve", "--model", "llama3-8b", "--system", "dgx-h100", "--chips", "1", "--batch",
                                       "4", "--input-len", "2048", "--output-len", "64", "--prefill-chunk", "1e12"],
     ["--prefill-chunk"]),
    ("serve prefill chunk empty", ["serve", "--model", "llama3-8b", "--system", "dgx-h100", "--chips", "1", "--batch", "4",
                                   "--input-len", "2048", "--output-len", "64", "--prefill-chunk", ""],
     ["--prefill-chunk"]),
    ("main grads dtype fp16 (fp32 or bf16 only)", train(main_grads_dtype="fp16"), ["--main-grads-dtype", "fp32|bf16"]),
    ("main params dtype bf16 (fp32 or fp16 only)", train(main_params_dtype="bf16"), ["--main-params-dtype", "fp32|fp16"]),
    ("validation case with a misspelt moment dtype", ["validate", "--cases", F + "validation_bad_exp_avg"],
     ["case.yaml", "options.exp_avg_dtype", "did you mean 'bf16'"]),
    ("unknown precision", train(precision="int3"), ["--precision", "int3"]),
    ("unknown schedule", train(schedule="gpipe2"), ["gpipe2"]),
    ("sp neither on nor off", train(tp=2, sp="maybe"), ["--sp", "maybe"]),
    # --- flags ---
    ("unknown flag", train(tpp=8), ["--tpp"]),
    ("json and csv together", train(json=True, csv=True), ["--csv"]),
    ("pue negative", train(pue=-1), ["pue"]),
    ("pue NaN", train(pue="nan"), ["pue"]),
    ("electricity price NaN", train(usd_per_kwh="nan"), ["usd"]),
    ("data dir does not exist", ["--data-dir", F + "no_data_dir"] + BASE, ["no_data_dir"]),
    # --- reliability flags ---
    ("reliability without tokens", train(reliability=True), ["--reliability", "--tokens"]),
    ("trials without reliability", train(trials=100), ["--trials", "--reliability"]),
    ("trials negative", train(reliability=True, tokens="1e12", trials=-1), ["--trials"]),
    ("trials too many", train(reliability=True, tokens="1e12", trials=10**7), ["--trials"]),
    ("seed negative", train(reliability=True, tokens="1e12", trials=10, seed=-3), ["--seed"]),
    ("seed without trials", train(reliability=True, tokens="1e12", seed=3), ["--seed", "--trials"]),
    ("storage bandwidth negative", train(reliability=True, tokens="1e12", storage_gb_s=-5), ["--storage-gb-s"]),
    ("storage bandwidth NaN", train(reliability=True, tokens="1e12", storage_gb_s="nan"), ["--storage-gb-s"]),
    ("storage bandwidth inf", train(reliability=True, tokens="1e12", storage_gb_s="inf"), ["--storage-gb-s"]),
    ("storage bandwidth without reliability", train(storage_gb_s=100), ["--storage-gb-s", "--reliability"]),
    ("reliability with search", train(reliability=True, tokens="1e12", search=True), ["--reliability", "--search"]),
    # --- fleet plan scenarios (plan --scenario FILE; files shared with tests/e2e/plan/) ---
    ("plan serve NaN rate", ["plan", "--scenario", P + "serve_nan_rate.yaml"],
     ["serve_nan_rate.yaml:7", "serve.output_tokens_per_s"]),
    ("plan serve negative TPOT SLO", ["plan", "--scenario", P + "serve_negative_tpot.yaml"],
     ["serve_negative_tpot.yaml:8", "serve.tpot_slo_ms"]),
    ("plan serve rate with units in the value", ["plan", "--scenario", P + "serve_rate_with_units.yaml"],
     ["serve.output_tokens_per_s"]),
    ("plan serve throughput objective with a rate", ["plan", "--scenario", P + "serve_throughput_with_rate.yaml"],
     ["serve_throughput_with_rate.yaml:7", "serve.output_tokens_per_s", "throughput"]),
    ("plan serve throughput objective without a limit", ["plan", "--scenario", P + "serve_throughput_no_limit.yaml"],
     ["serve_throughput_no_limit.yaml", "objective", "site.power_mw"]),
]


def main():
    names = [r[0] for r in ROWS]
    assert len(names) == len(set(names)), "duplicate case names"
    cases = [{"name": n, "args": a, "exit": 1, "stdout_empty": True, "stderr_contains": ["xpusim: error: "] + s}
             for n, a, s in ROWS]
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "cases.json"), "w") as f:
        json.dump({"cases": cases}, f, indent=1)
        f.write("\n")
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()
