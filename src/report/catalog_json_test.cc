#include "report/catalog_json.h"

#include <cmath>

#include <gtest/gtest.h>

namespace xpusim::report {
namespace {

Chip HandBuiltChip() {
  Chip c;
  c.id = "test-chip";
  c.name = "Test Chip \"X\"";
  c.vendor = "Acme";
  c.ecosystem = "us";
  c.aliases = {"tc", "testchip"};
  c.availability = Availability::kRoadmap;
  c.year = 2026;
  c.process_node = "N3";
  c.memory_type = "HBM4";
  c.notes = "hand-built";
  c.file = "chips/test-chip.yaml";
  c.dense_tflops[static_cast<int>(Precision::kBf16)] = {1000, "DS", Confidence::kDatasheet};
  c.dense_tflops[static_cast<int>(Precision::kFp8)] = {2000.5, "DS", Confidence::kReported};
  c.memory_gb = {192, "DS", Confidence::kDatasheet};
  c.memory_bandwidth_tb_s = {8, "DS", Confidence::kDatasheet};
  c.tdp_w = {1000, "est", Confidence::kEstimate};
  c.idle_power_w = {120, "lab", Confidence::kMeasured};
  c.scaleup_domain_max = 72;
  c.sources = {{"DS", "Datasheet", "https://example.com/ds"}, {"est", "estimate", ""}};
  return c;
}

TEST(CatalogJsonTest, ChipRoundTrip) {
  const Chip in = HandBuiltChip();
  const Json j = ChipToJson(in);
  // Through text, as a consumer would see it.
  auto parsed = Json::parse(j.dump());
  EXPECT_EQ(parsed["tflops"]["fp8"]["value"], 2000.5);
  EXPECT_EQ(parsed["tflops"]["fp8"]["confidence"], "reported");
  EXPECT_FALSE(parsed["tflops"].contains("fp32"));  // unknown formats are left out
  EXPECT_TRUE(parsed["sram_mb"]["value"].is_null());  // unknown specs are null
  EXPECT_EQ(parsed["sources"][0]["url"], "https://example.com/ds");

  auto back = ChipFromJson(parsed);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  const Chip& out = *back;
  EXPECT_EQ(out.id, in.id);
  EXPECT_EQ(out.name, in.name);
  EXPECT_EQ(out.aliases, in.aliases);
  EXPECT_EQ(out.availability, Availability::kRoadmap);
  EXPECT_EQ(out.year, 2026);
  EXPECT_EQ(out.scaleup_domain_max, 72);
  for (Precision p : kAllPrecisions) {
    EXPECT_EQ(out.tflops(p).known(), in.tflops(p).known()) << PrecisionName(p);
    if (in.tflops(p).known()) {
      EXPECT_EQ(out.tflops(p).value, in.tflops(p).value);
      EXPECT_EQ(out.tflops(p).source, in.tflops(p).source);
      EXPECT_EQ(out.tflops(p).confidence, in.tflops(p).confidence);
    }
  }
  for (const ChipField& f : ChipSpecFields()) {
    const SourcedValue& a = in.*f.member;
    const SourcedValue& b = out.*f.member;
    EXPECT_EQ(a.known(), b.known()) << f.key;
    if (a.known()) {
      EXPECT_EQ(a.value, b.value) << f.key;
      EXPECT_EQ(a.source, b.source) << f.key;
      EXPECT_EQ(a.confidence, b.confidence) << f.key;
    }
  }
  ASSERT_EQ(out.sources.size(), 2u);
  EXPECT_EQ(out.sources[1].tag, "est");
  // A second trip gives identical JSON.
  EXPECT_EQ(ChipToJson(out).dump(), j.dump());
}

TEST(CatalogJsonTest, ChipFromJsonRejectsBadInput) {
  Json j = ChipToJson(HandBuiltChip());
  j["tflops"]["fp9"] = 1;
  auto r = ChipFromJson(j);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("fp9"), std::string::npos);

  j = ChipToJson(HandBuiltChip());
  j["memory_gb"]["confidence"] = "guess";
  r = ChipFromJson(j);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("memory_gb"), std::string::npos);

  j = ChipToJson(HandBuiltChip());
  j.erase("id");
  EXPECT_FALSE(ChipFromJson(j).ok());
  EXPECT_FALSE(ChipFromJson(Json::array()).ok());
  j = ChipToJson(HandBuiltChip());
  j["year"] = "soon";
  EXPECT_FALSE(ChipFromJson(j).ok());
}

TEST(CatalogJsonTest, SourcedValueShapes) {
  const Json j = SourcedToJson({3.35, "NV", Confidence::kDatasheet});
  EXPECT_EQ(j.dump(), R"({"value":3.35,"source":"NV","confidence":"datasheet"})");
  EXPECT_TRUE(SourcedToJson(SourcedValue{})["value"].is_null());
  auto bare = SourcedFromJson(Json(42.0));
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->value, 42.0);
  EXPECT_FALSE(SourcedFromJson(Json("x")).ok());
}

TEST(CatalogJsonTest, ExportScreenCarriesLabel) {
  ExportScreen s;
  s.tpp = 15832;
  s.performance_density = std::nan("");
  s.rule_id = "us-2023-10";
  s.classification = "3A090.a";
  const Json j = ExportScreenToJson(s);
  EXPECT_EQ(j["label"], kExportScreenLabel);
  EXPECT_TRUE(j["performance_density"].is_null());
  EXPECT_EQ(j["rule"], "us-2023-10");
}

}  // namespace
}  // namespace xpusim::report
