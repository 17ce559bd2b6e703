#include "cost/collective.h"

#include <gtest/gtest.h>

namespace xpusim {
namespace {

Topology TwoTier() {
  Topology t;
  t.scaleup_domain = 8;
  t.up = {400e9, 0};   // 400 GB/s per direction, no latency: pure beta
  t.out = {50e9, 0};   // 50 GB/s
  return t;
}

TEST(CollectiveTest, RingAllReduceByHand) {
  // 2(n-1)/n * S/B: n=8, S=1 GB, B=400 GB/s -> 1.75 * 2.5 ms = 4.375 ms
  EXPECT_NEAR(RingAllReduceS(1e9, 8, {400e9, 0}), 2.0 * 7 / 8 * 1e9 / 400e9, 1e-12);
  EXPECT_NEAR(RingAllReduceS(1e9, 8, {400e9, 0}), 4.375e-3, 1e-9);
  // alpha term: 2(n-1) steps
  EXPECT_NEAR(RingAllReduceS(0.0 + 1, 4, {1e30, 1e-6}), 6e-6, 1e-12);
  EXPECT_EQ(RingAllReduceS(1e9, 1, {400e9, 0}), 0);
}

TEST(CollectiveTest, GroupShapes) {
  const Topology t = TwoTier();
  // TP=8, stride 1: one domain.
  GroupShape g = ShapeGroup(t, 8, 1);
  EXPECT_EQ(g.inner, 8);
  EXPECT_EQ(g.outer, 1);
  // DP=64 with stride 8 (after TP=8): one member per domain.
  g = ShapeGroup(t, 64, 8);
  EXPECT_EQ(g.inner, 1);
  EXPECT_EQ(g.outer, 64);
  // DP=16 with stride 2 (TP=2): 4 per domain, 4 domains.
  g = ShapeGroup(t, 16, 2);
  EXPECT_EQ(g.inner, 4);
  EXPECT_EQ(g.outer, 4);
}

TEST(CollectiveTest, HierarchicalAllReduceByHand) {
  const Topology t = TwoTier();
  const GroupShape g = ShapeGroup(t, 16, 2);  // 4 inside x 4 across
  const double s = 1e9;
  // RS + AG inside: 2 * 3/4 * S / 400e9; AR across on S/4: 2 * 3/4 * (S/4) / 50e9
  const double expect = 2 * 0.75 * s / 400e9 + 2 * 0.75 * (s / 4) / 50e9;
  EXPECT_NEAR(AllReduceS(t, g, s), expect, 1e-12);
  // Flat inside one domain equals the ring.
  EXPECT_NEAR(AllReduceS(t, ShapeGroup(t, 8, 1), s), RingAllReduceS(s, 8, t.up), 1e-15);
}

TEST(CollectiveTest, AllToAllSlowerTierDecides) {
  const Topology t = TwoTier();
  // 16 ranks, 8 per domain: 7 peers over 400 GB/s, 8 peers over 50 GB/s.
  const GroupShape g = ShapeGroup(t, 16, 1);
  const double s = 16e6;  // 1 MB to each peer
  EXPECT_NEAR(AllToAllS(t, g, s), 8 * 1e6 / 50e9, 1e-12);
}

TEST(CollectiveTest, RemoteDomainsOfATokenByHand) {
  // 8 experts over 2 domains (4 each), top-2: the other domain holds none of
  // a token's experts with probability (4/8)(3/7) = 3/14.
  EXPECT_NEAR(ExpectedRemoteDomains(2, 2, 8), 1 - 3.0 / 14, 1e-12);
  // DeepSeek-V3 on EP32 over 4 nodes (64 experts each), top-8: each of the 3
  // other nodes is touched with probability 1 - C(192, 8) / C(256, 8).
  double none = 1;
  for (int i = 0; i < 8; ++i) none *= (192.0 - i) / (256.0 - i);
  EXPECT_NEAR(ExpectedRemoteDomains(4, 8, 256), 3 * (1 - none), 1e-12);
  EXPECT_NEAR(ExpectedRemoteDomains(4, 8, 256), 2.71, 0.01);
  EXPECT_EQ(ExpectedRemoteDomains(1, 8, 256), 0);
}

TEST(CollectiveTest, ForwardedAllToAllSendsATokenOncePerRemoteDomain) {
  const Topology t = TwoTier();  // 400 GB/s inside, 50 GB/s across, no latency
  // 32 ranks, 8 per domain, 4 domains; 1,000 tokens per rank, top-8 of 256,
  // 7,168-byte copies. Across: 1,000 x 2.71 remote domains x 7,168 B / 50 GB/s.
  const GroupShape g = ShapeGroup(t, 32, 1);
  const double across = 1000 * ExpectedRemoteDomains(4, 8, 256) * 7168 / 50e9;
  const double inside = 1000 * 8 * 7168 * (1 - 1.0 / 8) / 400e9;
  EXPECT_NEAR(ForwardedAllToAllS(t, g, 1000, 8, 256, 7168), std::max(across, inside), 1e-12);
  // Without forwarding every copy bound for another domain crosses: 8 x 24/32
  // = 6 copies per token against 2.71.
  EXPECT_GT(AllToAllS(t, g, 1000 * 8 * 7168.0) / ForwardedAllToAllS(t, g, 1000, 8, 256, 7168), 2.2);
  // Inside one domain only the scale-up fabric carries the copies.
  EXPECT_NEAR(ForwardedAllToAllS(t, ShapeGroup(t, 8, 1), 1000, 8, 256, 7168), 1000 * 8 * 7168 * 0.875 / 400e9,
              1e-12);
}

TEST(CollectiveTest, NodeLimitedRoutingVisitsFewerRemoteDomains) {
  // DeepSeek-V3 training: EP64 over 8 nodes (32 experts each), top-8, at most
  // 4 nodes per token. The token's 4 nodes hold 128 experts; a chosen remote
  // node is missed only if all 8 experts land on the other 96:
  //   7 x 4/8 x (1 - C(96, 8) / C(128, 8)) = 3.5 x 0.907 = 3.175.
  double none = 1;
  for (int i = 0; i < 8; ++i) none *= (96.0 - i) / (128.0 - i);
  EXPECT_NEAR(ExpectedRemoteDomainsLimited(8, 8, 256, 4), 3.5 * (1 - none), 1e-12);
  EXPECT_NEAR(ExpectedRemoteDomainsLimited(8, 8, 256, 4), 3.175, 0.002);
  // Unlimited it would be 7 x (1 - C(224, 8) / C(256, 8)) = 4.63.
  EXPECT_NEAR(ExpectedRemoteDomains(8, 8, 256), 4.633, 0.001);
  // No limit, or a limit of all domains, is the unlimited formula exactly.
  EXPECT_EQ(ExpectedRemoteDomainsLimited(8, 8, 256, 0), ExpectedRemoteDomains(8, 8, 256));
  EXPECT_EQ(ExpectedRemoteDomainsLimited(8, 8, 256, 8), ExpectedRemoteDomains(8, 8, 256));
  // One domain per token: it is a remote one with probability 7/8 and holds
  // all k experts: 7 x 1/8 x (1 - 0) = 0.875.
  EXPECT_NEAR(ExpectedRemoteDomainsLimited(8, 8, 256, 1), 0.875, 1e-12);
  EXPECT_EQ(ExpectedRemoteDomainsLimited(1, 8, 256, 4), 0);
}

TEST(CollectiveTest, ForwardedAllToAllWithNodeLimit) {
  const Topology t = TwoTier();  // 400 GB/s inside, 50 GB/s across, no latency
  const GroupShape g = ShapeGroup(t, 64, 1);  // 8 domains of 8
  // 4,096 tokens per rank, FP8 copies of 7,168 B: across 4,096 x 3.175 x 7,168 B / 50 GB/s.
  const double across = 4096 * ExpectedRemoteDomainsLimited(8, 8, 256, 4) * 7168 / 50e9;
  EXPECT_NEAR(ForwardedAllToAllLimitedS(t, g, 4096, 8, 256, 4, 7168), across, 1e-12);
  EXPECT_NEAR(across, 4096 * 3.175 * 7168 / 50e9, 1e-6);
  // Without a limit it is ForwardedAllToAllS.
  EXPECT_EQ(ForwardedAllToAllLimitedS(t, g, 4096, 8, 256, 0, 7168), ForwardedAllToAllS(t, g, 4096, 8, 256, 7168));
  EXPECT_EQ(ForwardedAllToAllLimitedS(t, ShapeGroup(t, 1, 1), 4096, 8, 256, 4, 7168), 0);
}

}  // namespace
}  // namespace xpusim
