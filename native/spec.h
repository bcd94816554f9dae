// Declarative bindings: every native entry point is one Kernel row (its JS
// name, its parameters in call order, the checks between them, and `run`,
// which dispatches to the kernel). Bind<K> is the single binding body: it
// reads the parameters, runs the checks in order (each error a TypeError or
// RangeError from args.h naming the kernel) and calls run. Register<...> puts
// a concern's rows on the exports object.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <new>
#include <utility>

#include "args.h"
#include "instance.h"

namespace torchlet {

constexpr size_t kMaxParams = 20;
constexpr size_t kMaxChecks = 24;
constexpr size_t kMaxOperands = 7;

enum class Kind : uint8_t {
  Array,     // a TypedArray of the allowed types
  Nullable,  // as Array, or null for "absent"
  Size,      // an integer in [0, max]
  Number,    // any number
  Boolean,
  Int32,     // an integer in the int32 range
  Raw,       // read by run itself (shapes, strides)
};

struct Param {
  Kind kind = Kind::Raw;
  const char* name = "";
  unsigned allowed = 0;   // Array, Nullable
  int64_t max = 0;        // Size
  bool late = false;      // read by a Read check instead of up front
};

constexpr Param Array(const char* name, unsigned allowed) { return {Kind::Array, name, allowed, 0, false}; }
constexpr Param Nullable(const char* name, unsigned allowed) { return {Kind::Nullable, name, allowed, 0, false}; }
constexpr Param Size(const char* name, int64_t max = kMaxSize) { return {Kind::Size, name, 0, max, false}; }
constexpr Param Number(const char* name) { return {Kind::Number, name, 0, 0, false}; }
constexpr Param Boolean(const char* name) { return {Kind::Boolean, name, 0, 0, false}; }
constexpr Param Int32(const char* name) { return {Kind::Int32, name, 0, 0, false}; }
constexpr Param Raw(const char* name) { return {Kind::Raw, name, 0, 0, false}; }
// p, read where a Read check stands in the check list.
constexpr Param Late(Param p) {
  p.late = true;
  return p;
}

class Call;

enum class Op : uint8_t { SameType, SameLength, AtLeast, NoOverlap, NoOverlapOrSame, Read, Custom };

// One check on the arguments, by parameter position. Absent nullable buffers
// are skipped by every buffer check.
struct Check {
  Op op = Op::Custom;
  uint8_t target = 0;
  uint8_t count = 0;
  uint8_t operands[kMaxOperands] = {};
  const char* what = nullptr;                  // AtLeast: the need's text
  int64_t (*need)(const Call&) = nullptr;      // AtLeast: the need, when not a product of sizes
  void (*fn)(const Call&) = nullptr;           // Custom

  constexpr Check() = default;
  constexpr Check(Op o, int t, std::initializer_list<int> ops) : op(o), target(static_cast<uint8_t>(t)) {
    for (int v : ops) operands[count++] = static_cast<uint8_t>(v);
  }
};

// Each operand has target's element type / length (SameType(target, operand)).
constexpr Check SameType(int target, std::initializer_list<int> others) { return {Op::SameType, target, others}; }
constexpr Check SameLength(int target, std::initializer_list<int> others) { return {Op::SameLength, target, others}; }
// Output `target` shares no memory with any operand.
constexpr Check NoOverlap(int target, std::initializer_list<int> inputs) { return {Op::NoOverlap, target, inputs}; }
// As NoOverlap, but `target` may be exactly an operand (in place).
constexpr Check NoOverlapOrSame(int target, std::initializer_list<int> inputs) {
  return {Op::NoOverlapOrSame, target, inputs};
}
// Buffer `target` has at least the product of the size parameters `sizes`
// elements (the error names them, e.g. "m*k").
constexpr Check AtLeast(int target, std::initializer_list<int> sizes) { return {Op::AtLeast, target, sizes}; }
// Buffer `target` has at least need(call) elements (the error says `what`).
constexpr Check AtLeast(int target, int64_t (*need)(const Call&), const char* what) {
  Check c(Op::AtLeast, target, {});
  c.need = need;
  c.what = what;
  return c;
}
// Reads the Late parameter at `position`.
constexpr Check Read(int position) { return {Op::Read, position, {}}; }
// Any other check.
constexpr Check Custom(void (*fn)(const Call&)) {
  Check c(Op::Custom, 0, {});
  c.fn = fn;
  return c;
}

// The arguments of one call, checked and read, by parameter position.
class Call {
 public:
  Call(const Napi::CallbackInfo& info, const char* kernel, size_t count) : args_(info, kernel, count), info_(info) {}

  const Args& args() const { return args_; }
  Napi::Env env() const { return info_.Env(); }
  Napi::Value undefined() const { return info_.Env().Undefined(); }
  ThreadPool* pool() const { return &InstanceOf(info_.Env()).pool; }

  const Buf& buf(int i) const { return bufs_[i]; }
  // The buffer's data (nullptr when empty or absent).
  template <class T>
  T* ptr(int i) const { return bufs_[i].as<T>(); }
  size_t length(int i) const { return bufs_[i].length; }
  Dtype dtype(int i) const { return bufs_[i].dtype; }
  bool present(int i) const { return present_[i]; }
  int64_t size(int i) const { return integers_[i]; }
  double number(int i) const { return numbers_[i]; }
  bool flag(int i) const { return integers_[i] != 0; }

  // Reads parameter i (what Bind does for every parameter, or a Read check for a Late one).
  template <Kind K>
  void Read(size_t i, const Param& p) {
    // Only the slot of the parameter's kind is written: this runs on every call.
    if constexpr (K == Kind::Array) {
      new (&bufs_[i]) Buf(args_.Array(i, p.name, p.allowed));
      present_[i] = true;
    } else if constexpr (K == Kind::Nullable) {
      present_[i] = !info_[i].IsNull();
      if (present_[i]) {
        new (&bufs_[i]) Buf(args_.Array(i, p.name, p.allowed));
      } else {
        new (&bufs_[i]) Buf();
        bufs_[i].name = p.name;
      }
    } else if constexpr (K == Kind::Size) {
      integers_[i] = args_.Size(i, p.name, p.max);
    } else if constexpr (K == Kind::Number) {
      numbers_[i] = args_.Number(i, p.name);
    } else if constexpr (K == Kind::Boolean) {
      integers_[i] = args_.Boolean(i, p.name) ? 1 : 0;
    } else if constexpr (K == Kind::Int32) {
      integers_[i] = ReadInt32(args_, i, p.name);
    }
  }

 private:
  static int64_t ReadInt32(const Args& args, size_t i, const char* name);

  Args args_;
  const Napi::CallbackInfo& info_;
  // By parameter position; a slot is written by Read before anything reads
  // it, and only the one of the parameter's kind (buffers: bufs_ and present_).
  union {
    Buf bufs_[kMaxParams];
  };
  bool present_[kMaxParams];
  int64_t integers_[kMaxParams];  // Size, Int32, Boolean
  double numbers_[kMaxParams];    // Number
};

struct Kernel {
  const char* name;
  Param params[kMaxParams] = {};
  size_t paramCount = 0;
  Check checks[kMaxChecks] = {};
  size_t checkCount = 0;
  Napi::Value (*run)(const Call&) = nullptr;

  constexpr Kernel(const char* n, std::initializer_list<Param> ps, std::initializer_list<Check> cs,
                   Napi::Value (*r)(const Call&))
      : name(n), run(r) {
    for (const Param& p : ps) params[paramCount++] = p;
    for (const Check& c : cs) checks[checkCount++] = c;
  }
};

// RangeError "<buffer> has L elements but <sizes' names joined by *> = need are needed".
[[noreturn]] void FailAtLeast(const Kernel& k, const Check& c, const Call& call, int64_t need);

// A run's usual body: f(T{}) for the element type of buffer `at` (one of the
// types Allowed admits), then undefined as the call's result.
template <unsigned Allowed, class F>
Napi::Value ForType(const Call& c, int at, F&& f) {
  Dispatch<Allowed>(c.dtype(at), f);
  return c.undefined();
}

namespace detail {

constexpr bool IsBuffer(const Kernel& k, int i) {
  return i < static_cast<int>(k.paramCount) && (k.params[i].kind == Kind::Array || k.params[i].kind == Kind::Nullable);
}

// What Bind relies on: every check names parameters of the right kind, and a
// Late parameter is read (once) before any check looks at it.
constexpr bool WellFormed(const Kernel& k) {
  bool read[kMaxParams] = {};
  for (size_t i = 0; i < k.paramCount; ++i) read[i] = !k.params[i].late;
  for (size_t i = 0; i < k.checkCount; ++i) {
    const Check& c = k.checks[i];
    if (c.op == Op::Custom) {
      if (c.fn == nullptr) return false;
      continue;
    }
    if (c.target >= k.paramCount) return false;
    if (c.op == Op::Read) {
      if (!k.params[c.target].late || read[c.target]) return false;
      read[c.target] = true;
      continue;
    }
    if (!IsBuffer(k, c.target) || !read[c.target]) return false;
    if (c.op == Op::AtLeast) {
      if (c.need != nullptr) {
        if (c.what == nullptr) return false;
        continue;
      }
      if (c.count == 0) return false;
      for (size_t j = 0; j < c.count; ++j) {
        if (c.operands[j] >= k.paramCount || k.params[c.operands[j]].kind != Kind::Size) return false;
      }
      continue;
    }
    if (c.count == 0) return false;
    for (size_t j = 0; j < c.count; ++j) {
      if (!IsBuffer(k, c.operands[j]) || !read[c.operands[j]]) return false;
    }
  }
  for (size_t i = 0; i < k.paramCount; ++i) {
    if (!read[i]) return false;
  }
  return k.run != nullptr;
}

template <const Kernel& K, size_t I>
inline void ReadParam(Call& call) {
  constexpr Param p = K.params[I];
  if constexpr (!p.late) call.Read<p.kind>(I, p);
}

// Whether the buffer at position `at` was given (only a Nullable one may not be).
template <const Kernel& K, int At>
inline bool Present(const Call& call) {
  if constexpr (K.params[At].kind == Kind::Nullable) {
    return call.present(At);
  } else {
    return true;
  }
}

// The check's op between its target and operand J.
template <const Kernel& K, size_t I, size_t J>
inline void Pair(const Call& call) {
  constexpr Check c = K.checks[I];
  constexpr int o = c.operands[J];
  if (!Present<K, o>(call)) return;
  const Args& args = call.args();
  const Buf& t = call.buf(c.target);
  if constexpr (c.op == Op::SameType) args.SameType(t, call.buf(o));
  if constexpr (c.op == Op::SameLength) args.SameLength(t, call.buf(o));
  if constexpr (c.op == Op::NoOverlap) args.NoOverlap(t, call.buf(o));
  if constexpr (c.op == Op::NoOverlapOrSame) args.NoOverlapOrSame(t, call.buf(o));
}

template <const Kernel& K, size_t I, size_t... J>
inline void Pairs(const Call& call, std::index_sequence<J...>) {
  (Pair<K, I, J>(call), ...);
}

template <const Kernel& K, size_t I>
inline void RunCheck(Call& call) {
  constexpr Check c = K.checks[I];
  if constexpr (c.op == Op::Read) {
    call.Read<K.params[c.target].kind>(c.target, K.params[c.target]);
  } else if constexpr (c.op == Op::Custom) {
    c.fn(call);
  } else if constexpr (c.op == Op::AtLeast) {
    if (!Present<K, c.target>(call)) return;
    int64_t need;
    if constexpr (c.need != nullptr) {
      need = c.need(call);
    } else {
      need = call.size(c.operands[0]);
      for (size_t j = 1; j < c.count; ++j) need = call.args().Mul(need, call.size(c.operands[j]));
    }
    if (static_cast<uint64_t>(need) > call.buf(c.target).length) FailAtLeast(K, c, call, need);
  } else {
    if (!Present<K, c.target>(call)) return;
    Pairs<K, I>(call, std::make_index_sequence<c.count>{});
  }
}

template <const Kernel& K, size_t... P, size_t... C>
inline Napi::Value Invoke(const Napi::CallbackInfo& info, std::index_sequence<P...>, std::index_sequence<C...>) {
  Call call(info, K.name, K.paramCount);
  (ReadParam<K, P>(call), ...);
  (RunCheck<K, C>(call), ...);
  return K.run(call);
}

}  // namespace detail

// The binding of K: reads its parameters, runs its checks in order, then K.run.
// Everything about K is a compile-time constant here, so no table is walked at run time.
template <const Kernel& K>
Napi::Value Bind(const Napi::CallbackInfo& info) {
  static_assert(detail::WellFormed(K), "a check of this kernel names a parameter of the wrong kind, or reads it early");
  return detail::Invoke<K>(info, std::make_index_sequence<K.paramCount>{}, std::make_index_sequence<K.checkCount>{});
}

// Exports each kernel under its name.
template <const Kernel&... Ks>
void Register(Napi::Env env, Napi::Object exports) {
  (exports.Set(Ks.name, Napi::Function::New<Bind<Ks>>(env, Ks.name)), ...);
}

}  // namespace torchlet
