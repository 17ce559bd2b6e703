// Output of a serving prediction: the DESIGN.md `serve --json` object and a
// readable summary with the decode/prefill step breakdowns.
#ifndef XPUSIM_REPORT_SERVE_REPORT_H_
#define XPUSIM_REPORT_SERVE_REPORT_H_

#include <string>

#include "report/catalog_json.h"
#include "xpusim/serve.h"

namespace xpusim::report {

// What the result was computed for (the header line and JSON echo).
struct ServeContext {
  std::string model, model_name, system, chip;
  int64_t chips = 0;
  int64_t input_len = 0, output_len = 0;
  std::string weights, kv;
  bool searched = false;
  double tpot_slo_s = 0, ttft_slo_s = 0;
};

// ttft_s, tpot_s, tokens_per_s, tokens_per_s_per_chip, prefill/decode
// tokens_per_s_per_chip, batch, fits, memory_per_chip_gb, kv_cache_gb,
// power_w_per_chip, energy_per_token_j, cost_per_mtok_usd, plus the layout,
// memory and step breakdowns.
Json ServeResultToJson(const ServeContext& c, const ServeResult& r);
std::string ServeResultToText(const ServeContext& c, const ServeResult& r);

}  // namespace xpusim::report

#endif  // XPUSIM_REPORT_SERVE_REPORT_H_
