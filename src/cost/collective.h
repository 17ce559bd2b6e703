// Collective communication on a two-tier topology: a scale-up domain
// (NVLink/HCCS-class) and a scale-out fabric (InfiniBand/RoCE), with
// alpha-beta costs and achievable-bandwidth factors from the system file.
//
// A process group is described by its size and stride in the global rank
// order (Megatron order: tp fastest, then cp, dp, pp). The part of a group
// that falls inside one scale-up domain talks over scale-up; the rest goes
// hierarchically over scale-out, one NIC per chip (rail-optimised), so
// n_in ranks of a domain drive n_in NICs in parallel.
//
// All functions are closed-form and allocation-free. Sizes are bytes of the
// full (unsharded) buffer as seen by one rank: for all-reduce the buffer,
// for all-gather the gathered output, for reduce-scatter the input.
#ifndef XPUSIM_COST_COLLECTIVE_H_
#define XPUSIM_COST_COLLECTIVE_H_

#include <cstdint>

#include "xpusim/hardware.h"

namespace xpusim {

struct LinkTier {
  double bandwidth_bytes_per_s = 0;  // per chip per direction, achievable
  double latency_s = 0;              // per step (alpha)
};

struct Topology {
  int scaleup_domain = 1;  // chips in one scale-up domain
  LinkTier up;
  LinkTier out;
  // Scale-out bandwidth of the low-latency all-to-all kernels of decode.
  double out_decode_alltoall_bytes_per_s = 0;

  // From a validated system file: bandwidth x efficiency, latency.
  static Topology FromSystem(const System& s);
};

// How a group of `size` ranks with `stride` maps onto the domains.
struct GroupShape {
  int size = 1;
  int inner = 1;  // ranks per scale-up domain
  int outer = 1;  // domains spanned
};
GroupShape ShapeGroup(const Topology& t, int size, int64_t stride);

// Ring on one tier: 2(n-1)/n * S / B + 2(n-1) alpha.
double RingAllReduceS(double bytes, int n, const LinkTier& link);
// (n-1)/n * S / B + (n-1) alpha.
double RingAllGatherS(double bytes, int n, const LinkTier& link);

// Hierarchical on the topology (reduce-scatter inside, all-reduce across,
// all-gather inside). Reduces to the ring formula when the group fits one tier.
double AllReduceS(const Topology& t, const GroupShape& g, double bytes);
double AllGatherS(const Topology& t, const GroupShape& g, double bytes);
double ReduceScatterS(const Topology& t, const GroupShape& g, double bytes);
// Each rank holds `bytes` and sends a 1/n share to every other rank.
double AllToAllS(const Topology& t, const GroupShape& g, double bytes);
// MoE dispatch or combine with node-level forwarding, as DeepEP's
// high-throughput kernels (training, prefill) and DeepSeek-V3 run it: a token
// crosses the scale-out fabric once per remote domain holding one of its
// `top_k` experts (of `experts`, spread evenly over the group) and fans out to
// the experts' ranks over scale-up. `tokens` per rank, `bytes_per_copy` per
// token and expert. Reduces to AllToAllS's traffic inside one domain.
double ForwardedAllToAllS(const Topology& t, const GroupShape& g, double tokens, double top_k, double experts,
                          double bytes_per_copy);
// Expected number of the `domains` - 1 remote domains holding at least one of
// a token's `top_k` distinct experts, with `experts` spread evenly.
double ExpectedRemoteDomains(int domains, double top_k, double experts);
// Node-limited routing (DeepSeek-V3 report, Sec. 2.1.2 and 3.2.2: each token
// goes to at most M nodes): the token first picks `max_domains` of the
// `domains` (uniformly, as balanced routing makes them), then its `top_k`
// experts among the experts those domains hold. Expected remote domains:
//   (D-1) M/D (1 - C(E M/D - E/D, k) / C(E M/D, k)).
// `max_domains` <= 0 or >= `domains`: no limit, the same as ExpectedRemoteDomains.
double ExpectedRemoteDomainsLimited(int domains, double top_k, double experts, int max_domains);
// ForwardedAllToAllS for node-limited routing (`max_domains` as above).
double ForwardedAllToAllLimitedS(const Topology& t, const GroupShape& g, double tokens, double top_k,
                                 double experts, int max_domains, double bytes_per_copy);
// Bytes per value of an MoE dispatch in FP8: one byte per value plus one
// fp32 scale per 1x128 tile (DeepSeek-V3 report, Sec. 3.3.2-3.3.3: the
// activations before the MoE up-projections are quantized per 1x128 tile and
// dispatched in FP8; DeepEP's FP8 dispatch carries the same scales). Used by
// training (fp8) and serving (fp8 or narrower expert weights).
inline constexpr double kFp8DispatchBytesPerValue = 1.0 + 4.0 / 128;
// Point to point between neighbours; `cross_domain` picks the tier.
double P2PS(const Topology& t, bool cross_domain, double bytes);

}  // namespace xpusim

#endif  // XPUSIM_COST_COLLECTIVE_H_
