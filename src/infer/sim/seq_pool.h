// Per-request state of the serving simulator and the containers holding it.
//
// A Seq lives from its arrival to its completion only; the slot then returns
// to the pool's free list, so a run of a million requests needs memory for the
// requests in flight, not for all of them. Queues are ring buffers and the
// pool reuses slots: no heap allocation per request in steady state.
#ifndef XPUSIM_INFER_SIM_SEQ_POOL_H_
#define XPUSIM_INFER_SIM_SEQ_POOL_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace xpusim::sim {

struct Seq {
  double arrival_s = 0;
  double first_token_s = -1;  // < 0 until the first token reaches the user
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  int64_t target = 0;     // tokens to prefill: the prompt, or prompt + generated after a preemption
  int64_t computed = 0;   // tokens whose KV is in the cache of the current replica
  int64_t generated = 0;  // output tokens produced so far
  int32_t blocks = 0;     // KV blocks held on the current replica
  int32_t replica = -1;   // index of the replica holding it
};

class SeqPool {
 public:
  int32_t Alloc() {
    if (free_.empty()) {
      seqs_.emplace_back();
      return static_cast<int32_t>(seqs_.size() - 1);
    }
    int32_t id = free_.back();
    free_.pop_back();
    seqs_[id] = Seq{};
    return id;
  }
  void Release(int32_t id) { free_.push_back(id); }
  Seq& operator[](int32_t id) { return seqs_[id]; }
  const Seq& operator[](int32_t id) const { return seqs_[id]; }
  std::size_t capacity() const { return seqs_.size(); }

 private:
  std::vector<Seq> seqs_;
  std::vector<int32_t> free_;
};

// A FIFO that also takes items at the front (preempted requests go back first).
// Capacity is a power of two and doubles when full.
class RingQueue {
 public:
  RingQueue() : buf_(16) {}
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  int32_t front() const { return buf_[head_]; }
  void pop_front() {
    head_ = (head_ + 1) & (buf_.size() - 1);
    --size_;
  }
  void push_back(int32_t v) {
    Grow();
    buf_[(head_ + size_) & (buf_.size() - 1)] = v;
    ++size_;
  }
  void push_front(int32_t v) {
    Grow();
    head_ = (head_ + buf_.size() - 1) & (buf_.size() - 1);
    buf_[head_] = v;
    ++size_;
  }

 private:
  void Grow() {
    if (size_ < buf_.size()) return;
    std::vector<int32_t> next(buf_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) next[i] = buf_[(head_ + i) & (buf_.size() - 1)];
    buf_.swap(next);
    head_ = 0;
  }
  std::vector<int32_t> buf_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace xpusim::sim

#endif  // XPUSIM_INFER_SIM_SEQ_POOL_H_
