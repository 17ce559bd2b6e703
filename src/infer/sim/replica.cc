#include "infer/sim/replica.h"

#include <algorithm>

namespace xpusim::sim {

Replica::Replica(const StepTimeModel* model, const SchedulerConfig& cfg, ReplicaRole role)
    : model_(model), cfg_(cfg), role_(role), block_(cfg.block_size_tokens) {
  total_blocks_ = std::max<int64_t>(0, model->KvCapacityTokens()) / block_;
  free_blocks_ = total_blocks_;
  running_.reserve(cfg.max_num_seqs);
  work_.reserve(cfg.max_num_seqs + 1);
}

int64_t Replica::PeakBlocks(int64_t input_tokens, int64_t output_tokens) const {
  // The last decode runs with input + output - 1 tokens in the cache (the
  // final token is sampled, never stored); a recompute after a preemption
  // prefills at most that many.
  if (role_ == ReplicaRole::kPrefill) return BlocksFor(input_tokens);
  return BlocksFor(input_tokens + output_tokens - 1);
}

void Replica::Preempt(SeqPool& pool, int32_t id) {
  Seq& s = pool[id];
  free_blocks_ += s.blocks;
  s.blocks = 0;
  s.computed = 0;
  // Recompute, as vLLM: the prompt and every token generated so far become
  // the new prompt; its prefill samples the next token.
  s.target = s.input_tokens + s.generated;
  ++preemptions_;
  waiting_.push_front(id);
}

bool Replica::ScheduleDecodes(SeqPool& pool, int64_t* budget, int64_t* kv_tokens) {
  bool preempted = false;
  for (size_t i = 0; i < running_.size(); ++i) {
    const int32_t id = running_[i];
    Seq& s = pool[id];
    if (s.computed < s.target) continue;  // still prefilling
    const int64_t need = BlocksFor(s.computed + 1) - s.blocks;
    bool self_preempted = false;
    while (need > free_blocks_) {
      const int32_t victim = running_.back();
      running_.pop_back();
      Preempt(pool, victim);
      preempted = true;
      if (victim == id) {
        self_preempted = true;
        break;
      }
    }
    if (self_preempted) break;  // it was the last running sequence
    free_blocks_ -= need;
    s.blocks += static_cast<int32_t>(need);
    work_.push_back({id, 1, true});
    --*budget;
    *kv_tokens += s.computed + 1;
  }
  return preempted;
}

void Replica::SchedulePrefills(SeqPool& pool, int64_t* budget) {
  for (int32_t id : running_) {
    if (*budget <= 0) return;
    Seq& s = pool[id];
    const int64_t remaining = s.target - s.computed;
    if (remaining <= 0) continue;
    if (!cfg_.chunked_prefill && remaining > *budget) continue;
    const int64_t chunk = std::min(remaining, *budget);
    work_.push_back({id, static_cast<int32_t>(chunk), false});
    *budget -= chunk;
  }
}

void Replica::Admit(SeqPool& pool, int64_t* budget, int64_t* kv_tokens) {
  while (!waiting_.empty() && *budget > 0 && running_.size() < static_cast<size_t>(cfg_.max_num_seqs)) {
    const int32_t id = waiting_.front();
    Seq& s = pool[id];
    const int64_t remaining = s.target - s.computed;
    // A sequence that arrives with its prompt KV (decode role) decodes at once.
    const int64_t need = remaining > 0 ? BlocksFor(s.target) - s.blocks : BlocksFor(s.computed + 1) - s.blocks;
    if (need > free_blocks_) return;
    if (!cfg_.chunked_prefill && remaining > *budget) return;
    waiting_.pop_front();
    free_blocks_ -= need;
    s.blocks += static_cast<int32_t>(need);
    running_.push_back(id);
    if (remaining > 0) {
      const int64_t chunk = std::min(remaining, *budget);
      work_.push_back({id, static_cast<int32_t>(chunk), false});
      *budget -= chunk;
    } else {
      work_.push_back({id, 1, true});
      --*budget;
      *kv_tokens += s.computed + 1;
    }
  }
}

double Replica::StartStep(SeqPool& pool) {
  work_.clear();
  int64_t budget = cfg_.max_num_batched_tokens;
  int64_t kv_tokens = 0;
  const bool preempted = ScheduleDecodes(pool, &budget, &kv_tokens);
  SchedulePrefills(pool, &budget);
  if (!preempted || work_.empty()) Admit(pool, &budget, &kv_tokens);
  if (work_.empty()) return 0.0;
  int64_t prefill = 0, decodes = 0;
  for (const Work& w : work_) (w.decode ? decodes : prefill) += w.decode ? 1 : w.tokens;
  busy_ = true;
  return model_->IterationTimeS(prefill, decodes, kv_tokens);
}

StepResult Replica::FinishStep(double now, SeqPool& pool, std::vector<int32_t>* finished,
                               std::vector<int32_t>* handed_off) {
  StepResult r;
  bool any_leaves = false;
  for (const Work& w : work_) {
    Seq& s = pool[w.seq];
    s.computed += w.tokens;
    if (w.decode) {
      ++r.decode_tokens;
    } else {
      r.prefill_tokens += w.tokens;
      if (s.computed < s.target) continue;  // more chunks to go
    }
    // A decode, or the last chunk of a prefill, samples one token.
    ++s.generated;
    ++r.output_tokens;
    if (role_ == ReplicaRole::kPrefill) {
      handed_off->push_back(w.seq);
      any_leaves = true;
      continue;
    }
    if (s.first_token_s < 0) s.first_token_s = now;
    if (s.generated >= s.output_tokens) {
      free_blocks_ += s.blocks;
      s.blocks = 0;
      finished->push_back(w.seq);
      any_leaves = true;
    }
  }
  if (any_leaves) {
    // Drop sequences that finished or were handed off (they are done here).
    auto done = [&](int32_t id) {
      const Seq& s = pool[id];
      if (role_ == ReplicaRole::kPrefill) return s.computed >= s.target && s.generated > 0;
      return s.generated >= s.output_tokens;
    };
    running_.erase(std::remove_if(running_.begin(), running_.end(), done), running_.end());
  }
  busy_ = false;
  return r;
}

}  // namespace xpusim::sim
