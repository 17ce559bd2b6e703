#include "web/server.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "web/assets.h"
#include "web/request_check.h"
#include "xpusim/api.h"

namespace xpusim::web {
namespace {

using nlohmann::json;

constexpr const char* kJsonType = "application/json";

void SetError(httplib::Response& res, int status, std::string_view message) {
  res.status = status;
  res.set_content(json{{"error", message}}.dump(), kJsonType);
}

void SetStatusError(httplib::Response& res, const Status& st) {
  SetError(res, st.IsUserError() ? 400 : 500, st.message());
}

// The catalog's JSON names the YAML file of each entry; a browser does not
// need the server's paths.
void StripFiles(json& j) {
  if (j.is_object()) {
    j.erase("file");
    j.erase("data_file");
    for (auto& [k, v] : j.items()) StripFiles(v);
  } else if (j.is_array()) {
    for (auto& v : j) StripFiles(v);
  }
}

// A path the asset table could never hold, refused before routing: dot
// segments (also %2e%2e, which httplib has decoded by now), backslashes,
// empty segments and control characters.
bool BadPath(std::string_view p) {
  if (p.empty() || p[0] != '/') return true;
  if (p.find('\\') != std::string_view::npos || p.find("//") != std::string_view::npos) return true;
  for (char c : p) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  size_t start = 1;
  while (start <= p.size()) {
    const size_t end = std::min(p.find('/', start), p.size());
    const std::string_view seg = p.substr(start, end - start);
    if (seg == "." || seg == "..") return true;
    start = end + 1;
  }
  return false;
}

// The Host header's name without the port.
std::string HostName(const std::string& host_header) {
  if (!host_header.empty() && host_header[0] == '[') return host_header.substr(0, host_header.find(']') + 1);
  return host_header.substr(0, host_header.find(':'));
}

constexpr const char* kNotBuiltPage =
    "<!doctype html><meta charset=utf-8><title>xpusim ui</title>"
    "<h1>xpusim ui: the front end is not built</h1>"
    "<p>This program was compiled without web/dist. Build the front end and the program again:</p>"
    "<pre>scripts/build_web.sh\ncmake --build build</pre>"
    "<p>The JSON API works without it: <code>POST /api/train</code>, <code>GET /api/catalog/models</code> "
    "(see doc/ui.md).</p>";

}  // namespace

struct Server::Impl {
  const Catalog& catalog;
  ServerOptions options;
  httplib::Server http;
  bool loopback = true;
  std::string commands_json;
  std::string chips_json, systems_json, models_json;
  // `plan` reads a scenario YAML: the UI offers the bundled examples by name
  // (examples/plan-*.yaml beside the data dir), never a client's path.
  std::map<std::string, std::string> scenarios;

  Impl(const Catalog& c, ServerOptions o) : catalog(c), options(std::move(o)) {}

  Status Prepare() {
    loopback = IsLoopbackHost(options.host);
    json limits = {{"max_body_bytes", kMaxBodyBytes}, {"max_chips", kMaxChips}, {"max_trials", kMaxTrials},
                   {"max_requests", kMaxRequests},    {"max_top", kMaxTop},     {"max_sweep_entries", kMaxSweepEntries}};
    commands_json = json{{"commands", UiCommands()}, {"limits", limits}, {"ui_built", !Assets().empty()}}.dump();
    for (auto [kind, out] : {std::pair{"chips", &chips_json}, std::pair{"systems", &systems_json},
                             std::pair{"models", &models_json}}) {
      XPU_ASSIGN_OR_RETURN(json j, api::Call(catalog, "catalog list", json{{"args", {kind}}}));
      StripFiles(j);
      *out = j.dump();
    }
    std::error_code ec;
    const auto examples = std::filesystem::weakly_canonical(catalog.data_dir(), ec).parent_path() / "examples";
    for (const auto& e : std::filesystem::directory_iterator(examples, ec)) {
      const std::string name = e.path().stem().string();
      if (e.path().extension() == ".yaml" && name.rfind("plan-", 0) == 0) scenarios[name] = e.path().string();
    }
    Routes();
    return Status::Ok();
  }

  void Routes() {
    const size_t threads = static_cast<size_t>(std::clamp(options.threads, 1, 64));
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    http.set_payload_max_length(kMaxBodyBytes);
    http.set_keep_alive_max_count(1000);
    http.set_tcp_nodelay(true);  // without it Nagle + delayed ACK add ~40 ms to every keep-alive answer
    http.set_read_timeout(5, 0);
    http.set_write_timeout(5, 0);
    http.set_default_headers({
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "no-referrer"},
        {"Content-Security-Policy",
         "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"},
    });

    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (BadPath(req.path)) {
        SetError(res, 400, "bad path: no '.', '..' or empty segments, backslashes or control characters");
        return httplib::Server::HandlerResponse::Handled;
      }
      // DNS rebinding: a page from another site that resolves its own name
      // to 127.0.0.1 sends its own Host header; a loopback server answers
      // only to loopback names.
      if (loopback) {
        const std::string host = HostName(req.get_header_value("Host"));
        if (!IsLoopbackHost(host) && host != "[::1]") {
          SetError(res, 403, "this server answers only requests addressed to localhost or 127.0.0.1");
          return httplib::Server::HandlerResponse::Handled;
        }
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });

    http.Get("/api/commands", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(commands_json, kJsonType);
    });
    http.Get(R"(/api/catalog/(chips|systems|models))", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string kind = req.matches[1];
      res.set_content(kind == "chips" ? chips_json : kind == "systems" ? systems_json : models_json, kJsonType);
    });
    http.Get("/api/scenarios", [this](const httplib::Request&, httplib::Response& res) {
      json names = json::array();
      for (const auto& [name, path] : scenarios) names.push_back(name);
      res.set_content(json{{"scenarios", names}}.dump(), kJsonType);
    });
    http.Post(R"(/api/(.{1,64}))", [this](const httplib::Request& req, httplib::Response& res) {
      HandleCommand(req.matches[1], req, res);
    });
    http.Get(R"(/api(/.*)?)", [](const httplib::Request& req, httplib::Response& res) {
      SetError(res, 404, "no such API endpoint; GET /api/commands lists the commands (POST /api/<command>)");
    });
    http.Get(R"(/.*)", [](const httplib::Request& req, httplib::Response& res) { ServeAsset(req, res); });

    http.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      std::string msg;
      switch (res.status) {
        case 413: msg = fmt::format("request body larger than {} bytes", kMaxBodyBytes); break;
        case 404: msg = "not found"; break;
        case 405: msg = "method not allowed"; break;
        default: msg = fmt::format("HTTP error {}", res.status); break;
      }
      SetError(res, res.status, msg);
      return httplib::Server::HandlerResponse::Handled;
    }));
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      std::string what = "unknown exception";
      try {
        if (ep) std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
      }
      SetError(res, 500, "internal error: " + what);
    });
  }

  void HandleCommand(const std::string& path, const httplib::Request& req, httplib::Response& res) {
    auto command = CommandFromPath(path);
    if (!command.ok()) return SetStatusError(res, command.status());
    const std::string type = req.get_header_value("Content-Type");
    // A JSON content type cannot be sent cross-origin without a CORS
    // preflight, which this server never grants.
    if (type.rfind(kJsonType, 0) != 0) {
      return SetError(res, 415, "send the flags as a JSON object with Content-Type: application/json");
    }
    json body = req.body.empty() ? json::object() : json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) return SetError(res, 400, "malformed JSON in the request body");
    if (Status st = CheckRequest(catalog, *command, body); !st.ok()) return SetStatusError(res, st);
    if (*command == "plan" && body.is_object() && body.contains("scenario")) {
      const auto& name = body["scenario"];
      const auto it = name.is_string() ? scenarios.find(name.get<std::string>()) : scenarios.end();
      if (it == scenarios.end()) {
        std::string list;
        for (const auto& [n, p] : scenarios) list += (list.empty() ? "" : ", ") + n;
        return SetError(res, 400, "'scenario' must name a bundled example: " + (list.empty() ? "(none installed)" : list));
      }
      body["scenario"] = it->second;
    }
    auto out = api::Call(catalog, *command, body, UiCallOptions());
    if (!out.ok()) return SetStatusError(res, out.status());
    StripFiles(*out);
    res.set_content(out->dump(), kJsonType);
  }

  static void ServeAsset(const httplib::Request& req, httplib::Response& res) {
    if (Assets().empty() && (req.path == "/" || req.path == "/index.html")) {
      res.set_content(kNotBuiltPage, "text/html; charset=utf-8");
      return;
    }
    const Asset* a = FindAsset(req.path);
    if (a == nullptr) return SetError(res, 404, "not found");
    // Vite names bundles by content hash: cache them; never cache the page.
    const bool hashed = a->path.rfind("/assets/", 0) == 0;
    res.set_header("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
    res.set_content(reinterpret_cast<const char*>(a->data), a->size, std::string(a->content_type).c_str());
  }
};

Server::Server(const Catalog& catalog, ServerOptions options) : impl_(std::make_unique<Impl>(catalog, std::move(options))) {}
Server::~Server() = default;

Result<int> Server::Bind() {
  XPU_RETURN_IF_ERROR(impl_->Prepare());
  const ServerOptions& o = impl_->options;
  if (o.port < 0 || o.port > 65535) return Status::Invalid(fmt::format("--port {} is not a port (0 to 65535)", o.port));
  int port = o.port;
  if (port == 0) {
    port = impl_->http.bind_to_any_port(o.host);
    if (port <= 0) return Status::Invalid(fmt::format("cannot listen on {} (no free port, or not an address here)", o.host));
  } else if (!impl_->http.bind_to_port(o.host, port)) {
    return Status::Invalid(fmt::format("cannot listen on {}:{} (in use, not permitted, or not an address here)", o.host, port));
  }
  return port;
}

Status Server::Listen() {
  if (!impl_->http.listen_after_bind()) return Status::Internal("the HTTP server stopped with an error");
  return Status::Ok();
}

void Server::Stop() { impl_->http.stop(); }

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

}  // namespace xpusim::web
