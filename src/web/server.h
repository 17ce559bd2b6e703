// The web UI's HTTP server (cpp-httplib): the bundled single-page app and a
// JSON API over api::Call. See doc/ui.md for the endpoints, limits and the
// security choices.
#ifndef XPUSIM_WEB_SERVER_H_
#define XPUSIM_WEB_SERVER_H_

#include <memory>
#include <string>

#include "xpusim/catalog.h"
#include "xpusim/status.h"

namespace xpusim::web {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;          // 0: the system picks a free port
  int threads = 16;      // worker threads (each serves one connection at a time)
};

class Server {
 public:
  // `catalog` must outlive the server; it is only read.
  Server(const Catalog& catalog, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the socket; the port actually bound (the chosen one when 0).
  Result<int> Bind();
  // Serves until Stop(); call after Bind(), from one thread.
  Status Listen();
  // Makes Listen() return; safe from another thread.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);

}  // namespace xpusim::web

#endif  // XPUSIM_WEB_SERVER_H_
