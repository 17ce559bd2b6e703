// The sweep's progress on stderr: on a terminal a bar redrawn at most ten
// times a second (points done/total, rate, ETA); otherwise one plain line
// at every 10% so logs stay short.
#ifndef XPUSIM_SWEEP_PROGRESS_H_
#define XPUSIM_SWEEP_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <string>

namespace xpusim::sweep {

class Progress {
 public:
  // `total`: points of the grid; `already`: done before this run.
  Progress(int64_t total, int64_t already, bool enabled);
  // `done_now`: points finished by this run so far.
  void Update(int64_t done_now);
  // Clears the bar (terminal) or prints the last line.
  void Finish(int64_t done_now);

  // "1,234/10,000 points (12%)  52.1 points/s  ETA 2m48s" (tested).
  static std::string Line(int64_t done, int64_t total, double rate, double eta_s);
  static std::string Duration(double seconds);  // "45s", "2m48s", "3h05m"

 private:
  int64_t total_, already_;
  bool enabled_, tty_;
  int last_decile_ = -1;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace xpusim::sweep

#endif  // XPUSIM_SWEEP_PROGRESS_H_
