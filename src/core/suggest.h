// Did-you-mean suggestions for misspelt ids, keys and commands.
#ifndef XPUSIM_CORE_SUGGEST_H_
#define XPUSIM_CORE_SUGGEST_H_

#include <string>
#include <string_view>
#include <vector>

namespace xpusim {

// Case-insensitive Levenshtein distance.
int EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word`, or "" when none is close enough
// (distance <= max(2, len/3), or `word` is a prefix/substring of it).
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean 'x'?" or "" when there is no close candidate.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

std::string ToLower(std::string_view s);

}  // namespace xpusim

#endif  // XPUSIM_CORE_SUGGEST_H_
