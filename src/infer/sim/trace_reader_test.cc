#include "infer/sim/trace_reader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace xpusim::sim {
namespace {

TEST(TraceReader, ParsesCsvWithHeaderInAnyOrder) {
  auto r = ParseTrace("# comment\ninput_tokens,arrival_s,output_tokens\n512,0.5,128\n\n64, 1.25 ,1\n",
                      TraceFormat::kAuto, "t.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_DOUBLE_EQ((*r)[0].arrival_s, 0.5);
  EXPECT_EQ((*r)[0].input_tokens, 512);
  EXPECT_EQ((*r)[0].output_tokens, 128);
  EXPECT_DOUBLE_EQ((*r)[1].arrival_s, 1.25);
  EXPECT_EQ((*r)[1].output_tokens, 1);
}

TEST(TraceReader, ParsesJsonl) {
  auto r = ParseTrace(
      "{\"arrival_s\": 0, \"input_tokens\": 10, \"output_tokens\": 2}\r\n"
      "{\"output_tokens\": 5, \"input_tokens\": 7, \"arrival_s\": 0.1}\n",
      TraceFormat::kAuto, "t.jsonl");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].input_tokens, 7);
  EXPECT_EQ((*r)[1].output_tokens, 5);
}

struct BadCase {
  const char* text;
  TraceFormat format;
  const char* expect;  // substring of the error
};

TEST(TraceReader, RejectsBadInputNamingLineAndField) {
  const BadCase cases[] = {
      {"0.5,512,128\n", TraceFormat::kCsv, "t:1: a CSV trace must start with a header"},
      {"arrival_s,input_tokens,output_toks\n", TraceFormat::kCsv, "did you mean 'output_tokens'"},
      {"arrival_s,input_tokens\n", TraceFormat::kCsv, "lacks the column 'output_tokens'"},
      {"arrival_s,input_tokens,input_tokens\n", TraceFormat::kCsv, "appears twice"},
      {"arrival_s,input_tokens,output_tokens\n0,5\n", TraceFormat::kCsv, "t:2: expected 3"},
      {"arrival_s,input_tokens,output_tokens\n0,abc,5\n", TraceFormat::kCsv, "t:2: input_tokens: 'abc' is not a number"},
      {"arrival_s,input_tokens,output_tokens\n0,5,\n", TraceFormat::kCsv, "t:2: output_tokens: '' is not"},
      {"arrival_s,input_tokens,output_tokens\n0,5.5,5\n", TraceFormat::kCsv, "input_tokens: must be a whole number"},
      {"arrival_s,input_tokens,output_tokens\n0,0,5\n", TraceFormat::kCsv, "input_tokens: must be >= 1"},
      {"arrival_s,input_tokens,output_tokens\n-1,5,5\n", TraceFormat::kCsv, "arrival_s: must be a finite time"},
      {"arrival_s,input_tokens,output_tokens\ninf,5,5\n", TraceFormat::kCsv, "arrival_s: must be a finite time"},
      {"arrival_s,input_tokens,output_tokens\n2,5,5\n# x\n1,5,5\n", TraceFormat::kCsv,
       "t:4: arrival_s: 1 is earlier than the previous request's 2; sort"},
      {"arrival_s,input_tokens,output_tokens\n", TraceFormat::kCsv, "holds no requests"},
      {"", TraceFormat::kAuto, "holds no requests"},
      {"{\"arrival_s\": 0, \"input_tokens\": 1\n", TraceFormat::kJsonl, "t:1: not valid JSON"},
      {"[1,2,3]\n", TraceFormat::kJsonl, "must be a JSON object"},
      {"{\"arrival_s\": 0, \"input_tokens\": 1}\n", TraceFormat::kJsonl, "missing key 'output_tokens'"},
      {"{\"arrival_s\": 0, \"input_tokens\": 1, \"output_tokens\": 2, \"prio\": 1}\n", TraceFormat::kJsonl,
       "unknown key 'prio'"},
      {"{\"arrival_s\": \"0\", \"input_tokens\": 1, \"output_tokens\": 2}\n", TraceFormat::kJsonl,
       "arrival_s: must be a number, found string"},
      {"{\"arrival_s\": 0, \"input_tokens\": 1.0, \"output_tokens\": 2}\n", TraceFormat::kJsonl,
       "input_tokens: must be a whole number"},
      {"{\"arrival_s\": 0, \"input_tokens\": -3, \"output_tokens\": 2}\n", TraceFormat::kJsonl,
       "input_tokens: must be >= 1"},
  };
  for (const BadCase& c : cases) {
    auto r = ParseTrace(c.text, c.format, "t");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos)
        << "input: " << c.text << "\nerror: " << r.status().message();
  }
}

TEST(TraceReader, ReadsFilesByExtensionAndReportsMissingOnes) {
  auto missing = ReadTraceFile("/nonexistent/trace.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);

  const std::string path = testing::TempDir() + "/xpusim_trace_test.jsonl";
  {
    std::ofstream f(path);
    f << "{\"arrival_s\": 1, \"input_tokens\": 3, \"output_tokens\": 4}\n";
  }
  auto r = ReadTraceFile(path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size(), 1u);
  std::remove(path.c_str());
}

TEST(TraceReader, NeverCrashesOnGarbage) {
  // Byte soup, truncated lines and odd characters must come back as errors.
  const std::string inputs[] = {std::string("\0\0\xff,\n", 5), "{", "}", ",,,,\n", "arrival_s\n\n\n,",
                                "{\"arrival_s\":1e400,\"input_tokens\":1,\"output_tokens\":1}",
                                "{\"arrival_s\":1,\"input_tokens\":99999999999999999999,\"output_tokens\":1}"};
  for (const std::string& s : inputs) {
    auto r = ParseTrace(s, TraceFormat::kAuto, "g");
    EXPECT_FALSE(r.ok()) << s;
  }
}

}  // namespace
}  // namespace xpusim::sim
