#include "infer/sim/sim_report.h"

#include <nlohmann/json.hpp>

namespace xpusim::sim {

namespace {
nlohmann::json Latency(const LatencySummary& l) {
  return {{"count", l.count}, {"mean_s", l.mean_s}, {"p50_s", l.p50_s},
          {"p90_s", l.p90_s}, {"p99_s", l.p99_s},   {"max_s", l.max_s}};
}
}  // namespace

void WriteTimelineCsv(const SimReport& r, std::ostream& out) {
  out << "time_s,running_seqs,kv_usage,output_tokens_per_s,prefill_tokens_per_s\n";
  for (const TimelineBucket& b : r.timeline)
    out << b.start_s << ',' << b.running_seqs << ',' << b.kv_usage << ',' << b.output_tokens_per_s << ','
        << b.prefill_tokens_per_s << '\n';
}

nlohmann::json SimReportToJson(const SimReport& r) {
  return {
      {"requests_arrived", r.requests_arrived},
      {"requests_completed", r.requests_completed},
      {"requests_rejected", r.requests_rejected},
      {"preemptions", r.preemptions},
      {"iterations", r.iterations},
      {"span_s", r.span_s},
      {"ttft", Latency(r.ttft)},
      {"tpot", Latency(r.tpot)},
      {"e2e", Latency(r.e2e)},
      {"output_tokens_per_s", r.output_tokens_per_s},
      {"input_tokens_per_s", r.input_tokens_per_s},
      {"requests_per_s", r.requests_per_s},
      {"slo_met", r.slo_met},
      {"goodput_fraction", r.goodput_fraction},
      {"goodput_requests_per_s", r.goodput_requests_per_s},
      {"mean_in_system", r.mean_in_system},
      {"mean_running", r.mean_running},
      {"mean_kv_usage", r.mean_kv_usage},
      {"timeline_bucket_s", r.timeline_bucket_s},
  };
}

}  // namespace xpusim::sim
