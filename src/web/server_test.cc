// The web server end to end in-process (httplib::Client on loopback): the
// refusals the issue asks for (oversized body 413, path traversal 404/400,
// forbidden key 400, unknown command 400, malformed JSON 400) and one
// real prediction checked against its own definition of tokens/s.
#include "web/server.h"

#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "support/test_catalog.h"
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "web/request_check.h"

namespace xpusim::web {
namespace {

using nlohmann::json;

const Catalog& Cat() { return test_support::TestCatalog(); }

class WebServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>(Cat(), ServerOptions{"127.0.0.1", 0, 4});
    auto port = server_->Bind();
    ASSERT_TRUE(port.ok()) << port.status().ToString();
    port_ = *port;
    thread_ = std::thread([this] { (void)server_->Listen(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_read_timeout(30, 0);
    client_->set_url_encode(false);  // send the traversal paths exactly as written
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  httplib::Result Post(const std::string& path, const std::string& body,
                       const std::string& type = "application/json") {
    return client_->Post(path.c_str(), body, type.c_str());
  }
  // The "error" message of a JSON error response ("" if it is not one).
  static std::string ErrorOf(const httplib::Result& r) {
    json j = json::parse(r->body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].get<std::string>() : "";
  }

  std::unique_ptr<Server> server_;
  int port_ = 0;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(WebServerTest, TrainAnswersWithTheCliJson) {
  auto r = Post("/api/train", R"({"model":"llama3-8b","system":"dgx-h100","chips":8,"global_batch":32,"seq":4096})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  json j = json::parse(r->body);
  const double step = j["step_time_s"].get<double>();
  // tokens/s is global batch x sequence / step time, by definition.
  EXPECT_NEAR(j["tokens_per_s"].get<double>(), 32.0 * 4096 / step, 1e-6 * 32 * 4096 / step);
}

TEST_F(WebServerTest, ServeWithAnAutomaticSplitAnswersBothPools) {
  // What the Serve view sends for "disaggregation: auto" with SLOs.
  auto r = Post("/api/serve", R"({"model":"llama3-70b","system":"dgx-h100","chips":64,"input_len":2000,)"
                              R"("output_len":500,"search":true,"disagg":"auto","tpot_slo_ms":50,"ttft_slo_ms":2000})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  ASSERT_TRUE(j.contains("disagg")) << r->body;
  const json& d = j["disagg"];
  // The split uses every chip asked for, and each pool's layout covers its chips.
  EXPECT_EQ(d["prefill_chips"].get<int>() + d["decode_chips"].get<int>(), 64);
  for (const char* pool : {"prefill", "decode"}) {
    const json& p = d[std::string(pool) + "_parallel"];
    EXPECT_EQ(p["tp"].get<int>() * p["pp"].get<int>() * p["dp"].get<int>(), d[std::string(pool) + "_chips"].get<int>())
        << pool;
  }
  // The SLOs are met and echoed.
  EXPECT_LE(j["tpot_s"].get<double>(), 0.050);
  EXPECT_LE(j["ttft_s"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(j["search"]["tpot_slo_s"].get<double>(), 0.050);
  auto bad = Post("/api/serve", R"({"model":"llama3-70b","system":"dgx-h100","chips":64,"input_len":2000,)"
                                R"("output_len":500,"search":true,"disagg":"32-32"})");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(ErrorOf(bad).find("P:D"), std::string::npos) << bad->body;
}

TEST_F(WebServerTest, ServeWithCurveAnswersTheBatchSweep) {
  // What the Serve view sends: the curve of serve --plot as points.
  auto r = Post("/api/serve", R"({"model":"llama3-70b","system":"dgx-h100","chips":16,"tp":2,"input_len":2000,)"
                              R"("output_len":500,"batch":32,"curve":true})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  ASSERT_TRUE(j.contains("curve") && j["curve"].is_array()) << r->body;
  const json& c = j["curve"];
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c.front()["batch"].get<int>(), 8);  // one sequence on each of the 16 / tp2 replicas
  int at = 0;
  for (const json& p : c) {
    for (const char* key : {"batch", "ttft_s", "tpot_s", "tokens_per_s", "tokens_per_s_per_chip", "fits"})
      EXPECT_TRUE(p.contains(key)) << key;
    if (p["batch"].get<int>() == 32) {
      ++at;
      EXPECT_DOUBLE_EQ(p["tokens_per_s_per_chip"].get<double>(), j["tokens_per_s_per_chip"].get<double>());
    }
  }
  EXPECT_EQ(at, 1);
  auto bad = Post("/api/serve", R"({"model":"llama3-70b","system":"dgx-h100","chips":16,"input_len":2000,)"
                                R"("output_len":500,"batch":32,"curv":true})");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(ErrorOf(bad).find("did you mean 'curve'"), std::string::npos) << bad->body;
}

TEST_F(WebServerTest, CatalogListsAndHidesServerPaths) {
  auto r = client_->Get("/api/catalog/models");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  json j = json::parse(r->body);
  EXPECT_EQ(j["models"].size(), Cat().models().size());
  EXPECT_EQ(r->body.find("\"file\""), std::string::npos);
  auto c = client_->Get("/api/commands");
  ASSERT_TRUE(c);
  EXPECT_NE(c->body.find("\"train\""), std::string::npos);
}

TEST_F(WebServerTest, OversizedBodyIs413) {
  std::string big = R"({"model":")" + std::string(kMaxBodyBytes + 10, 'a') + R"("})";
  auto r = Post("/api/train", big);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_NE(ErrorOf(r).find("larger than"), std::string::npos) << r->body;
}

TEST_F(WebServerTest, PathTraversalIsRefused) {
  for (const char* path : {"/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2fetc%2fpasswd",
                           "//etc/passwd", "/assets/%2E%2E/index.html", "/etc/passwd", "/..\\..\\x"}) {
    auto r = client_->Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_TRUE(r->status == 400 || r->status == 404) << path << " -> " << r->status;
    EXPECT_EQ(r->body.find("root:"), std::string::npos) << path;
    EXPECT_FALSE(ErrorOf(r).empty()) << path << ": " << r->body;
  }
}

TEST_F(WebServerTest, UserErrorsAre400WithAMessage) {
  struct Case {
    const char* path;
    const char* body;
    const char* says;
  } cases[] = {
      {"/api/train", R"({"model":"llama3-8b","system":"dgx-h100","plot":"x.svg"})", "plot"},
      {"/api/rm", R"({})", "unknown command"},
      {"/api/validate", R"({})", "unknown command"},
      {"/api/train", R"({"model": "llama3-8b", )", "malformed JSON"},
      {"/api/train", R"(["model"])", "JSON object"},
      {"/api/train", R"({"model":"../../etc/passwd","system":"dgx-h100"})", "path"},
      {"/api/train", R"({"model":"llama3-8b","system":"dgx-h100","chips":2000000})", "chips"},
      {"/api/train", R"({"model":"llama3-8b","system":"dgx-h10O","chips":8})", "dgx-h100"},  // did you mean
      {"/api/train", R"({"model":"llama3-8b","system":"dgx-h100","chips":7,"tp":8})", "tp"},  // CLI's own check
      {"/api/outlook", R"({"data":"outlook.yaml"})", "data"},  // a file flag of outlook
      {"/api/plan", R"({"scenario":"../examples/plan-us-budget-405b.yaml"})", "path"},
      {"/api/plan", R"({"scenario":"my-plan.yaml"})", "bundled example"},  // a bare file name is not read
  };
  for (const Case& c : cases) {
    auto r = Post(c.path, c.body);
    ASSERT_TRUE(r) << c.body;
    EXPECT_EQ(r->status, 400) << c.path << " " << c.body << " -> " << r->body;
    EXPECT_NE(ErrorOf(r).find(c.says), std::string::npos) << c.body << " -> " << r->body;
  }
}

TEST_F(WebServerTest, NonJsonPostIsRefused) {
  // A cross-site form can post text/plain without a preflight; JSON cannot.
  auto r = Post("/api/train", R"({"model":"llama3-8b","system":"dgx-h100"})", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 415);
}

TEST_F(WebServerTest, ForeignHostHeaderIsRefused) {
  httplib::Headers h = {{"Host", "evil.example:80"}};
  auto r = client_->Get("/api/commands", h);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
}

TEST_F(WebServerTest, UnknownApiEndpointIs404Json) {
  auto r = client_->Get("/api/nothing");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_FALSE(ErrorOf(r).empty());
}

TEST(WebServerBindTest, LoopbackNames) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_FALSE(IsLoopbackHost("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackHost("192.168.1.2"));
}

}  // namespace
}  // namespace xpusim::web
