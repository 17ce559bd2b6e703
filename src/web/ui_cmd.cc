// `xpusim ui`: serves the web UI until SIGINT or SIGTERM. The one command
// that writes to stderr while it runs (the URL to open); it returns an empty
// stdout text after a clean shutdown, so the program exits 0.
#include "web/ui_cmd.h"

#include <pthread.h>
#include <signal.h>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "web/server.h"

namespace xpusim::web {
namespace {

struct UiOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  int threads = 16;
};

Result<std::string> RunUi(cli::Context& ctx, const UiOptions& o) {
  XPU_RETURN_IF_ERROR(ctx.CheckFormat("ui", {cli::OutputFormat::kTable}));
  if (o.threads < 1 || o.threads > 64) return Status::Invalid(fmt::format("--threads {} must be 1 to 64", o.threads));
  XPU_ASSIGN_OR_RETURN(const Catalog* catalog, ctx.catalog());
  // SIGINT/SIGTERM are blocked in every thread (the server's threads inherit
  // the mask) and taken by sigwait below, so shutdown runs in normal code.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  // A shell starts background jobs with SIGINT ignored, and an ignored
  // signal is dropped even while blocked: take the default action back so
  // sigwait sees it (blocked, the default never runs).
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  struct sigaction old_int {}, old_term {};
  sigaction(SIGINT, &dfl, &old_int);
  sigaction(SIGTERM, &dfl, &old_term);
  sigset_t old_mask;
  pthread_sigmask(SIG_BLOCK, &signals, &old_mask);
  struct RestoreSignals {
    sigset_t mask;
    struct sigaction on_int, on_term;
    ~RestoreSignals() {
      pthread_sigmask(SIG_SETMASK, &mask, nullptr);
      sigaction(SIGINT, &on_int, nullptr);
      sigaction(SIGTERM, &on_term, nullptr);
    }
  } restore{old_mask, old_int, old_term};

  Server server(*catalog, ServerOptions{o.host, o.port, o.threads});
  XPU_ASSIGN_OR_RETURN(int port, server.Bind());
  if (!IsLoopbackHost(o.host)) {
    std::fprintf(stderr,
                 "xpusim ui: warning: listening on %s, not loopback: anyone who can reach this address can run "
                 "predictions on this machine (there is no authentication and no TLS)\n",
                 o.host.c_str());
  }
  const std::string shown = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  std::fprintf(stderr, "xpusim ui: serving http://%s:%d/ (Ctrl-C to stop)\n", shown.c_str(), port);
  std::fflush(stderr);

  Status listen_status;
  std::atomic<bool> stopping{false};
  std::thread listener([&] {
    listen_status = server.Listen();
    if (!stopping.load()) kill(getpid(), SIGTERM);  // failed on its own: wake sigwait
  });
  int sig = 0;
  sigwait(&signals, &sig);
  stopping.store(true);
  server.Stop();
  listener.join();
  XPU_RETURN_IF_ERROR(listen_status);
  std::fprintf(stderr, "xpusim ui: stopped (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
  return std::string();
}

}  // namespace

cli::CommandRunner SetupUiCommand(CLI::App& app) {
  auto o = std::make_shared<UiOptions>();
  app.add_option("--port", o->port, "TCP port (0: pick a free one and print it; default 8080)");
  app.add_option("--host", o->host, "Address to listen on (default 127.0.0.1; others are reachable from the network)");
  app.add_option("--threads", o->threads, "Worker threads, one connection each (default 16)");
  return [o](cli::Context& ctx) { return RunUi(ctx, *o); };
}

}  // namespace xpusim::web
