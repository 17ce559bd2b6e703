// Reliability of one training run on one fleet: fleet failure rate,
// checkpoint size and write time, restart cost, checkpoint interval,
// goodput and time-to-train inflation (closed form, optionally Monte Carlo).
//
//   XPU_ASSIGN_OR_RETURN(FailureRates rates, LoadFailureRates(data_dir / "reliability/failure_rates.yaml"));
//   RunInputs in{.params = TotalParams(model), .chips = 16384, ...};
//   XPU_ASSIGN_OR_RETURN(RunReliability r, AnalyzeRun(rates, in));
#ifndef XPUSIM_RELIABILITY_RUN_RELIABILITY_H_
#define XPUSIM_RELIABILITY_RUN_RELIABILITY_H_

#include <cstdint>
#include <optional>
#include <string>

#include "reliability/failure_rates.h"
#include "reliability/goodput.h"
#include "xpusim/status.h"

namespace xpusim::reliability {

struct RunInputs {
  double params = 0;                 // parameters saved in a checkpoint (all experts)
  double checkpoint_bytes_per_param = 0;  // > 0: the run's own state formats; 0: the data file's
  int64_t chips = 0;
  int chips_per_node = 8;
  std::string chip_id;               // to say whether the rates were measured on it
  double node_storage_gb_s = 0;      // per node (NaN or 0: unknown)
  double storage_gb_s_override = 0;  // aggregate; > 0 replaces node x nodes and the cap
  double train_s = 0;                // failure-free time to train
  double interval_s = 0;             // checkpoint interval (0: Daly's optimum)
  int64_t trials = 0;                // > 0: also run the Monte Carlo
  uint64_t seed = 1;
};

struct RunReliability {
  FleetUnits units;
  FleetFailureRate rate;
  bool rates_measured_on_chip = false;  // false: the reference chip's rates, an estimate
  double checkpoint_gb = 0;
  double storage_gb_s = 0;              // aggregate write bandwidth used
  std::string storage_basis;            // how storage_gb_s was chosen
  double checkpoint_write_s = 0;
  double restart_s = 0;                 // fixed + restore
  ClosedForm closed;
  double train_days = 0;                // failure-free
  double effective_train_days = 0;      // expected, with failures and checkpoints
  double interruptions_per_day = 0;
  std::optional<MonteCarlo> monte_carlo;
};

// Fails with InvalidArgument naming the input (e.g. no storage bandwidth
// known: "pass --storage-gb-s").
Result<RunReliability> AnalyzeRun(const FailureRates& rates, const RunInputs& in);

}  // namespace xpusim::reliability

#endif  // XPUSIM_RELIABILITY_RUN_RELIABILITY_H_
