#include "cost/collective.h"

#include <algorithm>

namespace xpusim {

Topology Topology::FromSystem(const System& s) {
  Topology t;
  t.scaleup_domain = std::max(1, s.scaleup_domain_chips);
  t.up.bandwidth_bytes_per_s =
      s.scaleup_bandwidth_gb_s.value * 1e9 * s.scaleup_efficiency.or_else(1.0);
  t.up.latency_s = s.scaleup_latency_us.or_else(0) * 1e-6;
  t.out.bandwidth_bytes_per_s =
      s.scaleout_bandwidth_gbit_s.value / 8.0 * 1e9 * s.scaleout_efficiency.or_else(1.0);
  t.out.latency_s = s.scaleout_latency_us.or_else(0) * 1e-6;
  t.out_decode_alltoall_bytes_per_s =
      s.scaleout_bandwidth_gbit_s.value / 8.0 * 1e9 *
      s.scaleout_decode_alltoall_efficiency.or_else(s.scaleout_efficiency.or_else(1.0));
  return t;
}

GroupShape ShapeGroup(const Topology& t, int size, int64_t stride) {
  GroupShape g;
  g.size = std::max(1, size);
  if (stride < 1) stride = 1;
  // How many members of the group share one scale-up domain.
  const int64_t per_domain = stride >= t.scaleup_domain ? 1 : t.scaleup_domain / stride;
  g.inner = static_cast<int>(std::min<int64_t>(g.size, std::max<int64_t>(1, per_domain)));
  // A group that does not tile domains evenly still needs ceil(size/inner) domains.
  g.outer = (g.size + g.inner - 1) / g.inner;
  return g;
}

double RingAllReduceS(double bytes, int n, const LinkTier& link) {
  if (n <= 1 || bytes <= 0) return 0;
  return 2.0 * (n - 1) / n * bytes / link.bandwidth_bytes_per_s + 2.0 * (n - 1) * link.latency_s;
}

double RingAllGatherS(double bytes, int n, const LinkTier& link) {
  if (n <= 1 || bytes <= 0) return 0;
  return static_cast<double>(n - 1) / n * bytes / link.bandwidth_bytes_per_s +
         (n - 1) * link.latency_s;
}

double AllReduceS(const Topology& t, const GroupShape& g, double bytes) {
  if (g.size <= 1) return 0;
  if (g.outer <= 1) return RingAllReduceS(bytes, g.inner, t.up);
  if (g.inner <= 1) return RingAllReduceS(bytes, g.outer, t.out);
  // RS inside the domain, AR of the 1/inner shard across domains (inner
  // NICs in parallel), AG inside.
  return RingAllGatherS(bytes, g.inner, t.up) * 2.0 +
         RingAllReduceS(bytes / g.inner, g.outer, t.out);
}

double AllGatherS(const Topology& t, const GroupShape& g, double bytes) {
  if (g.size <= 1) return 0;
  if (g.outer <= 1) return RingAllGatherS(bytes, g.inner, t.up);
  if (g.inner <= 1) return RingAllGatherS(bytes, g.outer, t.out);
  // Gather across domains (each NIC moves its 1/inner slice), then inside.
  return RingAllGatherS(bytes / g.inner, g.outer, t.out) + RingAllGatherS(bytes, g.inner, t.up);
}

double ReduceScatterS(const Topology& t, const GroupShape& g, double bytes) {
  return AllGatherS(t, g, bytes);  // the mirror image costs the same
}

double AllToAllS(const Topology& t, const GroupShape& g, double bytes) {
  if (g.size <= 1 || bytes <= 0) return 0;
  const double share = bytes / g.size;
  const double in_peers = g.inner - 1;
  const double out_peers = g.size - g.inner;
  // Both tiers work at once; the slower one decides.
  const double t_up = in_peers > 0 ? in_peers * share / t.up.bandwidth_bytes_per_s + t.up.latency_s : 0;
  const double t_out =
      out_peers > 0 ? out_peers * share / t.out.bandwidth_bytes_per_s + t.out.latency_s : 0;
  return std::max(t_up, t_out);
}

double ExpectedRemoteDomains(int domains, double top_k, double experts) {
  if (domains <= 1 || !(experts > 0) || !(top_k > 0)) return 0;
  // P(a given domain holds none of the k experts): choosing k of E without
  // replacement, all from the E - E/D experts elsewhere.
  const double others = experts - experts / domains;
  double none = 1;
  for (int i = 0; i < static_cast<int>(top_k); ++i) none *= std::max(0.0, (others - i) / (experts - i));
  return (domains - 1) * (1 - none);
}

namespace {

// Forwarded dispatch/combine time given the expected remote domains a token visits.
double ForwardedS(const Topology& t, const GroupShape& g, double tokens, double top_k, double remote_domains,
                  double bytes_per_copy) {
  if (g.size <= 1 || !(tokens > 0)) return 0;
  // Scale-up: every copy bound for another rank of a domain (local tokens and
  // forwarded ones) moves once over the domain's fabric.
  const double up_bytes = tokens * top_k * bytes_per_copy * (1.0 - 1.0 / g.inner);
  const double t_up = g.inner > 1 ? up_bytes / t.up.bandwidth_bytes_per_s + t.up.latency_s : 0;
  const double out_bytes = tokens * remote_domains * bytes_per_copy;
  const double t_out = g.outer > 1 ? out_bytes / t.out.bandwidth_bytes_per_s + t.out.latency_s : 0;
  return std::max(t_up, t_out);
}

}  // namespace

double ForwardedAllToAllS(const Topology& t, const GroupShape& g, double tokens, double top_k, double experts,
                          double bytes_per_copy) {
  if (g.size <= 1 || !(tokens > 0)) return 0;
  return ForwardedS(t, g, tokens, top_k, ExpectedRemoteDomains(g.outer, top_k, experts), bytes_per_copy);
}

double ExpectedRemoteDomainsLimited(int domains, double top_k, double experts, int max_domains) {
  if (max_domains <= 0 || max_domains >= domains) return ExpectedRemoteDomains(domains, top_k, experts);
  if (!(experts > 0) || !(top_k > 0)) return 0;
  // Each domain is among the token's M with probability M/D; a chosen remote
  // domain is visited unless all k experts fall on the other M-1 chosen ones.
  const double per_domain = experts / domains;
  const double pool = per_domain * max_domains;
  double none = 1;
  for (int i = 0; i < static_cast<int>(top_k); ++i)
    none *= std::max(0.0, (pool - per_domain - i) / (pool - i));
  return (domains - 1) * (static_cast<double>(max_domains) / domains) * (1 - none);
}

double ForwardedAllToAllLimitedS(const Topology& t, const GroupShape& g, double tokens, double top_k,
                                 double experts, int max_domains, double bytes_per_copy) {
  if (g.size <= 1 || !(tokens > 0)) return 0;
  return ForwardedS(t, g, tokens, top_k, ExpectedRemoteDomainsLimited(g.outer, top_k, experts, max_domains),
                    bytes_per_copy);
}

double P2PS(const Topology& t, bool cross_domain, double bytes) {
  if (bytes <= 0) return 0;
  const LinkTier& l = cross_domain ? t.out : t.up;
  return bytes / l.bandwidth_bytes_per_s + l.latency_s;
}

}  // namespace xpusim
