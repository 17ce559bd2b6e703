#include "report/format.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace xpusim::report {

namespace {

std::string StripTrailingZeros(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string Fixed(double v, int decimals) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = StripTrailingZeros(buf);
  if (s == "-0") s = "0";
  return s;
}

}  // namespace

std::string AddThousandsSeparators(const std::string& plain) {
  size_t begin = (!plain.empty() && (plain[0] == '-' || plain[0] == '+')) ? 1 : 0;
  size_t end = plain.find('.');
  if (end == std::string::npos) end = plain.size();
  std::string out = plain.substr(0, begin);
  const size_t digits = end - begin;
  for (size_t i = 0; i < digits; ++i) {
    out += plain[begin + i];
    const size_t left = digits - i - 1;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  out += plain.substr(end);
  return out;
}

std::string FormatNumber(double v, int max_decimals, bool thousands) {
  if (std::isnan(v)) return kUnknownText;
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::string s = Fixed(v, max_decimals < 0 ? 0 : max_decimals);
  return thousands ? AddThousandsSeparators(s) : s;
}

std::string FormatSig(double v, int sig, bool thousands) {
  if (std::isnan(v)) return kUnknownText;
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return "0";
  if (sig < 1) sig = 1;
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(v))));
  int decimals = sig - 1 - magnitude;
  if (decimals < 0) decimals = 0;
  if (decimals > 300) decimals = 300;
  std::string s = Fixed(v, decimals);
  return thousands ? AddThousandsSeparators(s) : s;
}

std::string FormatInt(long long v) { return AddThousandsSeparators(std::to_string(v)); }

std::string FormatRaw(double v) {
  if (std::isnan(v)) return "";
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return Fixed(v, 17);
  return std::string(buf, ptr);
}

}  // namespace xpusim::report
