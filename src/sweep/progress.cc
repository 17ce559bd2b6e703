#include "sweep/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "report/format.h"

namespace xpusim::sweep {

Progress::Progress(int64_t total, int64_t already, bool enabled)
    : total_(total), already_(already), enabled_(enabled), tty_(isatty(STDERR_FILENO) != 0) {
  start_ = last_draw_ = std::chrono::steady_clock::now();
  last_decile_ = total > 0 ? static_cast<int>(10 * already / total) : 10;
}

std::string Progress::Duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  const int64_t t = static_cast<int64_t>(std::llround(s));
  if (t < 60) return fmt::format("{}s", t);
  if (t < 3600) return fmt::format("{}m{:02}s", t / 60, t % 60);
  return fmt::format("{}h{:02}m", t / 3600, (t % 3600) / 60);
}

std::string Progress::Line(int64_t done, int64_t total, double rate, double eta_s) {
  const double pct = total > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0;
  return fmt::format("{}/{} points ({:.0f}%)  {} points/s  ETA {}", report::FormatInt(done), report::FormatInt(total),
                     std::floor(pct), report::FormatSig(rate, 3), Duration(eta_s));
}

void Progress::Update(int64_t done_now) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done_now) / elapsed : 0;
  const int64_t done = already_ + done_now;
  const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : NAN;
  if (tty_) {
    if (std::chrono::duration<double>(now - last_draw_).count() < 0.1) return;
    last_draw_ = now;
    constexpr int kWidth = 24;
    const int filled = total_ > 0 ? static_cast<int>(kWidth * done / total_) : kWidth;
    std::string bar(filled, '#');
    bar.append(kWidth - filled, '.');
    std::fprintf(stderr, "\r\033[Ksweep [%s] %s", bar.c_str(), Line(done, total_, rate, eta).c_str());
    std::fflush(stderr);
    drawn_ = true;
    return;
  }
  const int decile = total_ > 0 ? static_cast<int>(10 * done / total_) : 10;
  if (decile > last_decile_) {
    last_decile_ = decile;
    std::fprintf(stderr, "sweep: %s\n", Line(done, total_, rate, eta).c_str());
    std::fflush(stderr);
  }
}

void Progress::Finish(int64_t done_now) {
  if (!enabled_) return;
  if (tty_) {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    return;
  }
  Update(done_now);
}

}  // namespace xpusim::sweep
