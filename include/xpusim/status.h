// Status and Result<T>: how xpusim library code reports expected failures.
//
// Library functions never throw for bad input and never exit; they return a
// Status (no value) or a Result<T> (a value or a Status). Only main() turns a
// Status into an exit code: user errors -> 1, internal errors -> 2.
#ifndef XPUSIM_STATUS_H_
#define XPUSIM_STATUS_H_

#include <string>
#include <utility>
#include <variant>

namespace xpusim {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,    // a flag or field has a bad value
  kNotFound,           // unknown id, missing file
  kParseError,         // malformed YAML/JSON
  kFailedPrecondition, // a legal value that is inconsistent with another
  kInternal,           // a bug in xpusim
};

const char* ErrorCodeName(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status Invalid(std::string msg) { return {ErrorCode::kInvalidArgument, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {ErrorCode::kNotFound, std::move(msg)}; }
  static Status Parse(std::string msg) { return {ErrorCode::kParseError, std::move(msg)}; }
  static Status Precondition(std::string msg) { return {ErrorCode::kFailedPrecondition, std::move(msg)}; }
  static Status Internal(std::string msg) { return {ErrorCode::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid argument: <message>"
  std::string ToString() const;
  // Prefixes the message with context, e.g. the file being loaded.
  Status WithContext(const std::string& context) const;
  // True for errors caused by user input (exit code 1), false for bugs (2).
  bool IsUserError() const { return code_ != ErrorCode::kInternal; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

// A value of type T or an error Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT
  // REQUIRES: !status.ok() when constructing from a Status.

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  // REQUIRES: ok()
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace xpusim

#define XPU_CONCAT_INNER_(a, b) a##b
#define XPU_CONCAT_(a, b) XPU_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (a Status) is an error.
#define XPU_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::xpusim::Status xpu_st_ = (expr);         \
    if (!xpu_st_.ok()) return xpu_st_;         \
  } while (0)

// `lhs = value of rexpr (a Result<T>)`, or returns its error.
#define XPU_ASSIGN_OR_RETURN(lhs, rexpr) \
  XPU_ASSIGN_OR_RETURN_IMPL_(XPU_CONCAT_(xpu_res_, __LINE__), lhs, rexpr)
#define XPU_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                               \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()

#endif  // XPUSIM_STATUS_H_
