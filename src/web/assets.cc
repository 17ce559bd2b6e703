#include "web/assets.h"

#include <array>
#include <utility>

namespace xpusim::web {

const Asset* FindAsset(std::string_view url_path) {
  if (url_path == "/") url_path = "/index.html";
  for (const Asset& a : Assets()) {
    if (a.path == url_path) return &a;
  }
  return nullptr;
}

std::string_view ContentTypeFor(std::string_view file_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
  }};
  for (const auto& [ext, type] : kTypes) {
    if (file_name.size() >= ext.size() && file_name.substr(file_name.size() - ext.size()) == ext) return type;
  }
  return "application/octet-stream";
}

}  // namespace xpusim::web
