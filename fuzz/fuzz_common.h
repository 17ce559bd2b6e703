// Helpers shared by the libFuzzer targets: turning the fuzzer's bytes into
// text and a data directory the targets can read seed files from.
//
// Every target follows one contract: the code under test must return a
// Status/Result for any input, never crash, hang, leak or throw. A target
// that sees an exception escape aborts so libFuzzer records the input.
#ifndef XPUSIM_FUZZ_FUZZ_COMMON_H_
#define XPUSIM_FUZZ_FUZZ_COMMON_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <yaml-cpp/yaml.h>

#include "xpusim/status.h"

namespace xpusim::fuzz {

inline std::string AsText(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// Runs `fn`; an escaping exception is a bug (loaders must not throw), so it
// aborts with the message and libFuzzer saves the reproducer.
template <typename Fn>
void MustNotThrow(const char* target, Fn fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: exception escaped the loader: %s\n", target, e.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "%s: unknown exception escaped the loader\n", target);
    std::abort();
  }
}

// Calls a Parse* function the way its Load*File wrapper does: yaml-cpp
// exceptions from node conversions are the loader's documented way to
// report a bad file (LoadXFile turns them into a ParseError), so they count
// as a clean error; anything else escaping is a bug.
template <typename Fn>
auto YamlCall(Fn fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const YAML::Exception& e) {
    return ::xpusim::Status::Parse(e.what());
  }
}

}  // namespace xpusim::fuzz

#endif  // XPUSIM_FUZZ_FUZZ_COMMON_H_
