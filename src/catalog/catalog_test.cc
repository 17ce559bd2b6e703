// Catalog::Load over the mini-catalog tests/fixtures/good/ (values checked
// against the fixture text) and over the real data/ directory; lookups,
// did-you-mean, Resolve* with file paths, DefaultDataDir.
#include "xpusim/catalog.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

namespace xpusim {
namespace {

namespace fs = std::filesystem;
const fs::path kGood = fs::path(XPUSIM_TEST_DIR) / "fixtures" / "good";

class CatalogGoodTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<Catalog> r = Catalog::Load(kGood);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    cat_ = new Catalog(std::move(r).value());
  }
  static void TearDownTestSuite() { delete cat_; }
  static Catalog* cat_;
};
Catalog* CatalogGoodTest::cat_ = nullptr;

TEST_F(CatalogGoodTest, ChipFieldsAsWritten) {
  ASSERT_EQ(cat_->chips().size(), 2u);
  // Files load in sorted order: test-cim.yaml, test-gpu.yaml.
  const Chip& g = cat_->chips()[1];
  EXPECT_EQ(g.id, "test-gpu");
  EXPECT_EQ(g.name, "Test GPU 100");
  EXPECT_EQ(g.availability, Availability::kRoadmap);
  EXPECT_EQ(g.year, 2024);
  EXPECT_EQ(g.scaleup_domain_max, 64);
  EXPECT_EQ(g.aliases, (std::vector<std::string>{"tg100", "test-gpu-100"}));
  EXPECT_DOUBLE_EQ(g.tflops(Precision::kBf16).value, 500);
  EXPECT_EQ(g.tflops(Precision::kBf16).source, "DS");
  EXPECT_EQ(g.tflops(Precision::kBf16).confidence, Confidence::kDatasheet);
  EXPECT_EQ(g.die_area_mm2.confidence, Confidence::kEstimate);
  EXPECT_DOUBLE_EQ(g.memory_gb.value, 96);
  EXPECT_DOUBLE_EQ(g.memory_bandwidth_tb_s.value, 4);
  // Not in the file: unknown, not defaulted.
  EXPECT_FALSE(g.tflops(Precision::kFp32).known());
  EXPECT_FALSE(g.idle_power_w.known());
  EXPECT_FALSE(g.price_usd.known());
  ASSERT_EQ(g.sources.size(), 2u);
  EXPECT_EQ(g.sources[1].tag, "EST");
  EXPECT_EQ(g.sources[1].url, "");
  EXPECT_NE(g.file.find("test-gpu.yaml"), std::string::npos);
}

// A datasheet's "96 GB" of DRAM is 96 GiB: 96 x 2^30 = 103.08e9 bytes. The
// H100's "80 GB" is 85.90e9 bytes, of which nvidia-smi shows 81,559 MiB =
// 85.52e9 (the driver keeps 361 MiB): the capacity is at least what the
// driver reports and within 0.5% of it.
TEST_F(CatalogGoodTest, MemoryCapacityIsTheDatasheetsGibibytes) {
  EXPECT_NEAR(cat_->chips()[1].MemoryCapacityGB(), 103.079215104, 1e-9);
  Chip h100;
  h100.memory_gb.value = 80;
  const double nvidia_smi_gb = 81559.0 * 1024 * 1024 / 1e9;
  EXPECT_GE(h100.MemoryCapacityGB(), nvidia_smi_gb);
  EXPECT_LT(h100.MemoryCapacityGB(), 1.005 * nvidia_smi_gb);
}

TEST_F(CatalogGoodTest, ResearchChipNeedsNoOffChipMemory) {
  const Chip& c = cat_->chips()[0];
  EXPECT_EQ(c.id, "test-cim");
  EXPECT_EQ(c.availability, Availability::kResearch);
  EXPECT_FALSE(c.memory_gb.known());
  EXPECT_EQ(c.MemoryCapacityGB(), 0);
  EXPECT_DOUBLE_EQ(c.tflops(Precision::kInt8).value, 100);
  EXPECT_DOUBLE_EQ(c.energy_per_op_pj.value, 0.1);
}

TEST_F(CatalogGoodTest, SystemLinksChipByAliasAndInheritsAvailability) {
  ASSERT_EQ(cat_->systems().size(), 1u);
  const System& s = cat_->systems()[0];
  EXPECT_EQ(s.chip_id, "test-gpu");  // file says "TG100"
  EXPECT_EQ(s.availability, Availability::kRoadmap);
  EXPECT_EQ(s.chips_per_node, 8);
  EXPECT_DOUBLE_EQ(s.pue.value, 1.25);
  EXPECT_FALSE(s.scaleout_latency_us.known());
  EXPECT_EQ(&cat_->ChipOf(s), &cat_->chips()[1]);
}

TEST_F(CatalogGoodTest, ModelWithMoeAndMla) {
  ASSERT_EQ(cat_->models().size(), 1u);
  const Model& m = cat_->models()[0];
  EXPECT_EQ(m.layers, 4);
  EXPECT_EQ(m.hidden, 1024);
  EXPECT_EQ(m.moe.num_experts, 8);
  EXPECT_EQ(m.moe.top_k, 2);
  EXPECT_EQ(m.moe.shared_experts, 1);
  EXPECT_EQ(m.moe.first_dense_layers, 1);
  EXPECT_EQ(m.moe.layer_frequency, 1);
  EXPECT_EQ(m.mla.kv_lora_rank, 128);
  EXPECT_EQ(m.mla.q_lora_rank, 256);
  EXPECT_FALSE(m.tied_embeddings);
  EXPECT_DOUBLE_EQ(m.published_active_params_b.value, 0.08);
  EXPECT_EQ(m.aliases, std::vector<std::string>{"tmoe"});
}

TEST_F(CatalogGoodTest, RulesLoaded) {
  ASSERT_EQ(cat_->rules().rules.size(), 1u);
  const ExportRule& r = cat_->rules().rules[0];
  EXPECT_EQ(r.date, "2023-10-17");
  ASSERT_EQ(r.criteria.size(), 3u);
  EXPECT_DOUBLE_EQ(r.criteria[1].min_performance_density, 5.92);
  EXPECT_DOUBLE_EQ(r.criteria[2].max_performance_density, 5.92);
  EXPECT_DOUBLE_EQ(r.criteria[1].max_tpp, 0);
  ASSERT_EQ(r.sources.size(), 1u);
  EXPECT_EQ(r.sources[0].url, "https://example.com/rule");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].chips, std::vector<std::string>{"test-gpu"});
  EXPECT_EQ(cat_->rules().disclaimer, "Test rules only.");
}

TEST_F(CatalogGoodTest, LookupsIgnoreCaseAndAcceptAliases) {
  for (const char* q : {"test-gpu", "TEST-GPU", "tg100", "TG100", "Test-GPU-100"}) {
    Result<const Chip*> c = cat_->FindChip(q);
    ASSERT_TRUE(c.ok()) << q;
    EXPECT_EQ((*c)->id, "test-gpu") << q;
  }
  ASSERT_TRUE(cat_->FindModel("TMOE").ok());
  ASSERT_TRUE(cat_->FindSystem("Test-Node").ok());
}

TEST_F(CatalogGoodTest, UnknownIdSuggestsNearestId) {
  Result<const Chip*> c = cat_->FindChip("test-gpo");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(c.status().message(), "unknown chip 'test-gpo'; did you mean 'test-gpu'?");
  // Nearest to an alias: the suggestion still names the id.
  EXPECT_EQ(cat_->FindChip("tg10O").status().message(),
            "unknown chip 'tg10O'; did you mean 'test-gpu'?");
  EXPECT_EQ(cat_->FindModel("zzzzzzzzzz").status().message(),
            "unknown model 'zzzzzzzzzz'; see `xpusim catalog list models`");
}

TEST_F(CatalogGoodTest, ResolveAcceptsIdsAndFilePaths) {
  Result<Chip> by_id = cat_->ResolveChip("TG100");
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->id, "test-gpu");
  Result<Chip> by_path = cat_->ResolveChip((kGood / "chips" / "test-cim.yaml").string());
  ASSERT_TRUE(by_path.ok()) << by_path.status().ToString();
  EXPECT_EQ(by_path->id, "test-cim");
  Result<System> sys = cat_->ResolveSystem((kGood / "systems" / "test-node.yaml").string());
  ASSERT_TRUE(sys.ok()) << sys.status().ToString();
  EXPECT_EQ(sys->chip_id, "test-gpu");
  Result<Model> m = cat_->ResolveModel((kGood / "models" / "test-moe.yaml").string());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->moe.num_experts, 8);
  Result<Model> missing = cat_->ResolveModel("no/such/config.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(missing.status().message().find("no/such/config.json"), std::string::npos);
}

TEST(CatalogLoadTest, MissingDirectoryIsNotFound) {
  Result<Catalog> r = Catalog::Load("/nonexistent/xpusim-data");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(r.status().message().find("/nonexistent/xpusim-data"), std::string::npos);
}

TEST(CatalogLoadTest, DefaultDataDirPrefersEnvironment) {
  const char* old = std::getenv("XPUSIM_DATA_DIR");
  const std::string saved = old ? old : "";
  setenv("XPUSIM_DATA_DIR", "/tmp/some-data", 1);
  EXPECT_EQ(Catalog::DefaultDataDir(), fs::path("/tmp/some-data"));
  unsetenv("XPUSIM_DATA_DIR");
  // The library was compiled with the source tree's data/ and it exists.
  EXPECT_EQ(fs::weakly_canonical(Catalog::DefaultDataDir()),
            fs::weakly_canonical(fs::path(XPUSIM_SOURCE_DATA_DIR)));
  if (old) setenv("XPUSIM_DATA_DIR", saved.c_str(), 1);
}

// The real catalog shipped in data/.
class CatalogRealDataTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<Catalog> r = Catalog::Load(XPUSIM_SOURCE_DATA_DIR);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    cat_ = new Catalog(std::move(r).value());
  }
  static void TearDownTestSuite() { delete cat_; }
  static Catalog* cat_;
};
Catalog* CatalogRealDataTest::cat_ = nullptr;

TEST_F(CatalogRealDataTest, WholeCatalogLoads) {
  ASSERT_NE(cat_, nullptr);
  EXPECT_GE(cat_->chips().size(), 1u);
  EXPECT_GE(cat_->systems().size(), 1u);
  EXPECT_GE(cat_->models().size(), 1u);
}

TEST_F(CatalogRealDataTest, H100ByAliasAndTypo) {
  ASSERT_NE(cat_, nullptr);
  Result<const Chip*> c = cat_->FindChip("H100");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)->id, "h100-sxm");
  EXPECT_DOUBLE_EQ((*c)->tflops(Precision::kBf16).value, 989.4);  // NVIDIA datasheet, dense
  const std::string msg = cat_->FindChip("h10O-sxm").status().message();
  EXPECT_EQ(msg, "unknown chip 'h10O-sxm'; did you mean 'h100-sxm'?");
  EXPECT_EQ(cat_->FindChip("h10O").status().message(),
            "unknown chip 'h10O'; did you mean 'h100-sxm'?");
  Result<const System*> s = cat_->FindSystem("DGX-H100");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(cat_->ChipOf(**s).id, "h100-sxm");
  Result<const Model*> m = cat_->FindModel("Meta-Llama-3-8B");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->layers, 32);
  EXPECT_EQ((*m)->kv_heads, 8);
}

// Export screening of the shipped chips against the shipped Oct-2023 rule.
// Expected TPP by hand from the datasheets: H100 1978.9 x 8 = 15,831;
// H20 148 x 16 = 2,368; A100 312 x 16 = 4,992.
TEST_F(CatalogRealDataTest, ExportScreenOfShippedChips) {
  ASSERT_NE(cat_, nullptr);
  struct Case {
    const char* chip;
    double tpp;
    const char* oct2023;
  } cases[] = {{"h100-sxm", 15831, "3A090.a"}, {"h20", 2368, "not captured"},
               {"a100-sxm-80gb", 4992, "3A090.a"}};
  for (const Case& c : cases) {
    Result<const Chip*> chip = cat_->FindChip(c.chip);
    ASSERT_TRUE(chip.ok()) << chip.status().ToString();
    EXPECT_NEAR(ComputeTpp(**chip), c.tpp, 1.5) << c.chip;
    const ExportScreen s = ScreenChip(**chip, cat_->rules(), "us-2023-10");
    EXPECT_EQ(s.classification, c.oct2023) << s.explanation;
    EXPECT_NE(s.explanation.find("not legal advice"), std::string::npos);
  }
}

TEST_F(CatalogRealDataTest, EverySystemsChipIsInTheCatalog) {
  ASSERT_NE(cat_, nullptr);
  for (const System& s : cat_->systems()) EXPECT_TRUE(cat_->FindChip(s.chip_id).ok()) << s.id;
}

}  // namespace
}  // namespace xpusim
