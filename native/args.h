// Argument checking for the binding layer: every native entry point turns its
// JS arguments into checked values here, and every problem becomes a JS
// TypeError or RangeError whose message starts with the kernel's name.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace torchlet {

// Element type of a storage buffer.
enum class Dtype { F32, F64, I32 };

// Which buffer types an argument accepts (bit set).
enum Allowed : unsigned {
  kF32 = 1u,
  kF64 = 2u,
  kI32 = 4u,
  kFloat = kF32 | kF64,
  kNum = kF32 | kF64 | kI32,
};

// Largest size we accept (BLAS takes 32-bit ints).
constexpr int64_t kMaxSize = 2147483647;
// Largest offset we accept (Number.MAX_SAFE_INTEGER).
constexpr int64_t kMaxOffset = 9007199254740991;
// Most dims a shape may have.
constexpr size_t kMaxDims = 64;

// A checked view of a TypedArray argument. Valid only during the call.
struct Buf {
  void* data = nullptr;  // nullptr when length is 0 (also for detached buffers)
  size_t length = 0;     // in elements
  size_t bytes = 0;
  Dtype dtype = Dtype::F32;
  const char* name = "";

  template <class T>
  T* as() const { return static_cast<T*>(data); }
};

const char* DtypeName(Dtype d);

class Args {
 public:
  // Throws a TypeError when fewer than `count` arguments were passed.
  Args(const Napi::CallbackInfo& info, const char* kernel, size_t count);

  Napi::Env Env() const { return info_.Env(); }
  const char* kernel() const { return kernel_; }

  // A TypedArray of one of the allowed types (TypeError otherwise).
  Buf Array(size_t i, const char* name, unsigned allowed) const;
  // A finite integer in [0, max] (TypeError if not a number, RangeError otherwise).
  int64_t Size(size_t i, const char* name, int64_t max = kMaxSize) const;
  // Any JS number (NaN and ±Infinity included).
  double Number(size_t i, const char* name) const;
  bool Boolean(size_t i, const char* name) const;

  // Checks that `b` has the same element type as `a` (TypeError).
  void SameType(const Buf& a, const Buf& b) const;
  // Checks that b.length >= need (RangeError mentioning `what`, e.g. "m*k").
  void AtLeast(const Buf& b, int64_t need, const char* what) const;
  // Checks that a.length == b.length (RangeError).
  void SameLength(const Buf& a, const Buf& b) const;
  // RangeError "<kernel>: output <out> overlaps an input (<in>)" if the memory overlaps.
  void NoOverlap(const Buf& out, const Buf& in) const;
  // As NoOverlap, but exact identity (same memory, same length) is allowed.
  // Returns true when out is exactly `in`.
  bool NoOverlapOrSame(const Buf& out, const Buf& in) const;

  // Checked 64-bit arithmetic on sizes (RangeError on overflow).
  int64_t Mul(int64_t a, int64_t b) const;
  int64_t Add(int64_t a, int64_t b) const;

  [[noreturn]] void TypeError(const std::string& msg) const;
  [[noreturn]] void RangeError(const std::string& msg) const;

 private:
  std::string Describe(size_t i) const;

  const Napi::CallbackInfo& info_;
  const char* kernel_;
};

// True when two byte ranges share memory.
bool Overlaps(const Buf& a, const Buf& b);
// True when a and b are exactly the same memory with the same length and type.
bool Same(const Buf& a, const Buf& b);

// Calls f(T{}) with T = float, double or int32_t according to d.
template <class F>
void DispatchNum(Dtype d, F&& f) {
  switch (d) {
    case Dtype::F32: f(float{}); break;
    case Dtype::F64: f(double{}); break;
    case Dtype::I32: f(int32_t{}); break;
  }
}

// Calls f(T{}) with T = float or double (callers have checked the type).
template <class F>
void DispatchFloat(Dtype d, F&& f) {
  if (d == Dtype::F64) {
    f(double{});
  } else {
    f(float{});
  }
}

// Calls f(T{}) for the types `Allowed` admits: float or double, and int32_t
// when Allowed includes kI32 (callers have checked the type).
template <unsigned Allowed, class F>
void Dispatch(Dtype d, F&& f) {
  if constexpr ((Allowed & kI32) != 0) {
    DispatchNum(d, f);
  } else {
    DispatchFloat(d, f);
  }
}

}  // namespace torchlet
