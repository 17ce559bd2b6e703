// The front end's files (web/dist, built by scripts/build_web.sh), compiled
// into the program as byte arrays by embed_assets.cmake. When web/dist did
// not exist at build time the table is empty and the server answers "/"
// with a page saying how to build the UI.
#ifndef XPUSIM_WEB_ASSETS_H_
#define XPUSIM_WEB_ASSETS_H_

#include <cstddef>
#include <span>
#include <string_view>

namespace xpusim::web {

struct Asset {
  std::string_view path;          // URL path, e.g. "/index.html", "/assets/index-3f2a.js"
  std::string_view content_type;  // from the file's extension
  const unsigned char* data;
  size_t size;
};

// All bundled files (generated assets_data.cc).
std::span<const Asset> Assets();

// The asset served at exactly `url_path` ("/" is "/index.html"), or nullptr.
// Only names in the table match: nothing is read from disk.
const Asset* FindAsset(std::string_view url_path);

// The MIME type for a file name's extension.
std::string_view ContentTypeFor(std::string_view file_name);

}  // namespace xpusim::web

#endif  // XPUSIM_WEB_ASSETS_H_
