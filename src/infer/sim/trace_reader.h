// Request traces for the serving simulator: CSV or JSONL files listing one
// request per line with arrival_s (seconds), input_tokens and output_tokens.
//
//   CSV:   a header naming the three columns (any order), then one row per
//          request:            arrival_s,input_tokens,output_tokens
//                              0.125,512,128
//   JSONL: one object a line:  {"arrival_s": 0.125, "input_tokens": 512, "output_tokens": 128}
//
// Blank lines and lines starting with '#' are skipped. Parsing is strict:
// unknown columns/keys, missing fields, non-integer or non-positive token
// counts, negative or non-finite times and arrivals that go back in time are
// errors of the form "<file>:<line>: <field>: <problem>". Never throws.
// The format is described in doc/serving_simulator.md.
#ifndef XPUSIM_INFER_SIM_TRACE_READER_H_
#define XPUSIM_INFER_SIM_TRACE_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "infer/sim/request_source.h"
#include "xpusim/status.h"

namespace xpusim::sim {

enum class TraceFormat { kAuto, kCsv, kJsonl };

// kAuto: JSONL when the first non-blank, non-comment line starts with '{'.
// `name` prefixes error messages (usually the file path).
Result<std::vector<RequestSpec>> ParseTrace(std::string_view text, TraceFormat format,
                                            const std::string& name);

// Reads a file; the format comes from the extension (.csv, .jsonl/.ndjson) or
// from the contents otherwise.
Result<std::vector<RequestSpec>> ReadTraceFile(const std::string& path);

}  // namespace xpusim::sim

#endif  // XPUSIM_INFER_SIM_TRACE_READER_H_
