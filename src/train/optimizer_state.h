// Bytes per parameter of the training state a chip keeps besides activations:
// the weights the GEMMs read, the gradients accumulated over micro-batches and
// the optimizer's state (master weights, Adam's two moments), in the formats
// TrainOptions names after Megatron-Core's precision-aware optimizer.
//
//   default (ZeRO, Rajbhandari et al. 2020):  2 bf16 weights + 2 bf16 grads
//                                             + 4 fp32 master + 4 m + 4 v = 16
//   DeepSeek-V3 (Sec. 3.3.4):                 2 + 4 fp32 grads + 4 + 2 + 2 = 14
//
// ZeRO then shards these over the data-parallel group (train/memory.h).
#ifndef XPUSIM_TRAIN_OPTIMIZER_STATE_H_
#define XPUSIM_TRAIN_OPTIMIZER_STATE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "xpusim/status.h"
#include "xpusim/train.h"

namespace xpusim {

inline constexpr double kWeightBytesPerParam = 2;     // bf16
inline constexpr double kGradBytesPerParam = 2;       // bf16 (the default main grads; also the DP reduction)
inline constexpr double kOptimizerBytesPerParam = 12; // fp32 master + Adam m, v (the defaults)

struct StateBytesPerParam {
  double weights = kWeightBytesPerParam;
  double gradients = kGradBytesPerParam;
  double optimizer = kOptimizerBytesPerParam;
};

// The bytes the options' formats give. REQUIRES: CheckStateDtypes(o) is ok.
StateBytesPerParam StateBytes(const TrainOptions& o);

// The formats each option accepts, Megatron-Core's choices (megatron/training/
// arguments.py, _add_experimental_args), by name.
using DtypeChoices = std::vector<std::pair<std::string, Precision>>;
const DtypeChoices& MainGradsDtypes();   // fp32, bf16
const DtypeChoices& MainParamsDtypes();  // fp32, fp16
const DtypeChoices& MomentDtypes();      // fp32, fp16, bf16, fp8 (exp_avg and exp_avg_sq)

// `value` as one of `choices`; the error names `option` (a flag or a field),
// lists the choices and suggests the nearest.
Result<Precision> ParseStateDtype(std::string_view option, std::string_view value, const DtypeChoices& choices);

// Every state format is one its option accepts (options built in code).
Status CheckStateDtypes(const TrainOptions& o);

}  // namespace xpusim

#endif  // XPUSIM_TRAIN_OPTIMIZER_STATE_H_
