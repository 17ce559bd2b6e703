#include "core/suggest.h"

#include <algorithm>
#include <cctype>

namespace xpusim {

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int EditDistance(std::string_view a_in, std::string_view b_in) {
  const std::string a = ToLower(a_in), b = ToLower(b_in);
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.empty()) return "";
  const std::string lw = ToLower(word);
  std::string best;
  int best_d = 1 << 30;
  for (const auto& c : candidates) {
    const int d = EditDistance(lw, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  const int limit = std::max<int>(2, static_cast<int>(lw.size()) / 3);
  if (best_d <= limit) return best;
  // A prefix or substring ("h100" -> "h100-sxm") is a good suggestion too.
  for (const auto& c : candidates) {
    if (lw.size() >= 3 && ToLower(c).find(lw) != std::string::npos) return c;
  }
  return "";
}

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string m = ClosestMatch(word, candidates);
  return m.empty() ? "" : "; did you mean '" + m + "'?";
}

}  // namespace xpusim
