#include "infer/sim/request_source.h"

#include <cmath>
#include <string>

namespace xpusim::sim {

namespace {
Status CheckDist(const LengthDist& d, const std::string& name) {
  if (d.min_tokens < 1 || d.max_tokens < d.min_tokens)
    return Status::Invalid("poisson arrivals: " + name + " length range [" + std::to_string(d.min_tokens) +
                           ", " + std::to_string(d.max_tokens) + "] must satisfy 1 <= min <= max");
  return Status::Ok();
}
}  // namespace

Status ValidatePoissonParams(const PoissonParams& p) {
  // +inf: every request is due at the start (a closed-loop client sends
  // them as its concurrency limit allows).
  if (std::isnan(p.rate_per_s) || p.rate_per_s <= 0)
    return Status::Invalid("poisson arrivals: rate must be > 0 requests/s");
  if (p.num_requests < 0) return Status::Invalid("poisson arrivals: number of requests must be >= 0");
  // The last arrival comes near num_requests / rate; past kMaxArrivalS the
  // times lose the resolution of an iteration.
  if (static_cast<double>(p.num_requests) / p.rate_per_s > kMaxArrivalS)
    return Status::Invalid("poisson arrivals: " + std::to_string(p.num_requests) + " requests at " +
                           std::to_string(p.rate_per_s) + " requests/s would arrive over more than 1e12 s; raise the rate");
  if (!std::isfinite(p.start_s) || p.start_s < 0) return Status::Invalid("poisson arrivals: start time must be >= 0");
  XPU_RETURN_IF_ERROR(CheckDist(p.input, "input"));
  return CheckDist(p.output, "output");
}

PoissonSource::PoissonSource(const PoissonParams& p) : p_(p), rng_(p.seed), t_(p.start_s) {}

double PoissonSource::Uniform01() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

int64_t PoissonSource::Draw(const LengthDist& d) {
  if (d.max_tokens == d.min_tokens) return d.min_tokens;
  const uint64_t span = static_cast<uint64_t>(d.max_tokens - d.min_tokens) + 1;
  // Multiply-shift (Lemire) maps 64 random bits onto [0, span) without modulo bias worth noting.
  const uint64_t r = static_cast<uint64_t>((static_cast<unsigned __int128>(rng_()) * span) >> 64);
  return d.min_tokens + static_cast<int64_t>(r);
}

bool PoissonSource::Next(RequestSpec* out) {
  if (emitted_ >= p_.num_requests) return false;
  ++emitted_;
  const double u = Uniform01();  // drawn at any rate, so lengths do not depend on it
  if (std::isfinite(p_.rate_per_s)) t_ += -std::log1p(-u) / p_.rate_per_s;  // exponential gap
  out->arrival_s = t_;
  out->input_tokens = Draw(p_.input);
  out->output_tokens = Draw(p_.output);
  return true;
}

}  // namespace xpusim::sim
