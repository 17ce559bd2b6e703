#include "api/serve_curve.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "cli/serve_plot.h"

namespace xpusim::api {
namespace {

using nlohmann::json;

std::string Normalise(std::string key) {
  std::replace(key.begin(), key.end(), '_', '-');
  return key;
}

// The flags that choose the layout, the split or the batch: replaced by the
// answer's (the SLOs only steer a search, which is not repeated).
constexpr std::array<std::string_view, 17> kReplaced = {
    "batch", "search", "chips", "disagg", "tp", "pp", "dp", "ep", "prefill-tp", "prefill-pp",
    "prefill-ep", "decode-tp", "decode-pp", "decode-ep", "tpot-slo-ms", "ttft-slo-ms", "curve"};

// `args` with the layout of `answer` fixed, without a batch.
Result<json> PinnedArgs(const json& args, const json& answer) {
  json out = json::object();
  for (const auto& [key, value] : args.items()) {
    const std::string k = Normalise(key);
    if (std::find(kReplaced.begin(), kReplaced.end(), k) == kReplaced.end()) out[key] = value;
  }
  try {
    if (answer.contains("disagg")) {
      const json& d = answer.at("disagg");
      const int64_t p = d.at("prefill_chips").get<int64_t>(), n = d.at("decode_chips").get<int64_t>();
      out["disagg"] = std::to_string(p) + ":" + std::to_string(n);
      for (const auto& [pool, layout] : {std::pair{"prefill", "prefill_parallel"}, {"decode", "decode_parallel"}}) {
        for (const char* degree : {"tp", "pp", "ep"}) {
          out[std::string(pool) + "_" + degree] = d.at(layout).at(degree).get<int64_t>();
        }
      }
    } else {
      out["chips"] = answer.at("chips").get<int64_t>();
      for (const char* degree : {"tp", "pp", "dp", "ep"}) out[degree] = answer.at("parallel").at(degree).get<int64_t>();
    }
  } catch (const json::exception& e) {
    return Status::Internal(std::string("serve answer without its layout: ") + e.what());
  }
  return out;
}

cli::ServeCurvePoint PointOf(int64_t batch, const json& j) {
  return {batch,
          j.value("ttft_s", 0.0),
          j.value("tpot_s", 0.0),
          j.value("tokens_per_s", 0.0),
          j.value("tokens_per_s_per_chip", 0.0),
          j.value("fits", false)};
}

}  // namespace

Result<json> ServeCurve(const Catalog& catalog, const json& args, const json& answer, const CallOptions& options) {
  XPU_ASSIGN_OR_RETURN(const json pinned, PinnedArgs(args, answer));
  const json& decode = answer.contains("disagg") ? answer["disagg"]["decode_parallel"] : answer["parallel"];
  const int64_t batch = answer.value("batch", int64_t{0});
  std::vector<int64_t> batches =
      cli::ServeCurveBatches(decode.value("dp", int64_t{1}), batch, answer.value("max_batch", int64_t{0}));
  if (batch >= 1 && !std::binary_search(batches.begin(), batches.end(), batch)) {
    batches.insert(std::upper_bound(batches.begin(), batches.end(), batch), batch);
  }
  const auto evaluate = [&](int64_t b) -> Result<cli::ServeCurvePoint> {
    json a = pinned;
    a["batch"] = b;
    Result<json> j = Call(catalog, "serve", a, options);
    if (!j.ok()) {
      // An aggregated deployment refuses a batch whose KV does not fit
      // (serve_cmd.cc); a disaggregated one answers with fits false.
      const Status& st = j.status();
      if (st.code() == ErrorCode::kFailedPrecondition && st.message().rfind("does not fit", 0) == 0) {
        return cli::ServeCurvePoint{b, 0, 0, 0, 0, false};
      }
      return st;
    }
    return PointOf(b, *j);
  };
  XPU_ASSIGN_OR_RETURN(std::vector<cli::ServeCurvePoint> points, cli::SweepServeCurve(evaluate, batches));
  json out = json::array();
  for (const cli::ServeCurvePoint& p : points) {
    out.push_back({{"batch", p.batch},
                   {"ttft_s", p.ttft_s},
                   {"tpot_s", p.tpot_s},
                   {"tokens_per_s", p.tokens_per_s},
                   {"tokens_per_s_per_chip", p.tokens_per_s_per_chip},
                   {"fits", p.fits}});
  }
  return out;
}

}  // namespace xpusim::api
