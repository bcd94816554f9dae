// Bindings: im2col(x, c, h, w, kH, kW, strideH, strideW, padTop, padLeft, dilH,
// dilW, oH, oW, cols) and col2im(cols, <the same sizes>, out). Large calls are
// split across the pool by channel: each channel owns its rows of cols and
// its plane of the image, so the parts write disjoint memory.
#include "conv.h"

#include "exports.h"
#include "spec.h"

namespace torchlet {
namespace {

enum { kIn, kC, kH, kW, kKH, kKW, kStrideH, kStrideW, kPadTop, kPadLeft, kDilH, kDilW, kOH, kOW, kOut };

// Below this many cols elements a call runs on one thread.
constexpr int64_t kParallelCols = int64_t{1} << 15;

// Runs f(c0, c1) over contiguous channel ranges, one per pool thread when the call is large.
template <class F>
void ByChannel(const Call& c, F&& f) {
  const int64_t channels = c.size(kC);
  const int64_t work = channels * c.size(kKH) * c.size(kKW) * c.size(kOH) * c.size(kOW);
  const int64_t parts = work < kParallelCols ? 1 : std::min<int64_t>(channels, c.pool()->threads());
  if (parts <= 1) {
    f(int64_t{0}, channels);
    return;
  }
  struct Job {
    F* f;
    int64_t channels, parts;
    static void Part(void* self, int part) {
      const Job& j = *static_cast<const Job*>(self);
      (*j.f)(j.channels * part / j.parts, j.channels * (part + 1) / j.parts);
    }
  };
  Job job{&f, channels, parts};
  c.pool()->run(static_cast<int>(parts), &Job::Part, &job);
}

template <bool ToImage>
Napi::Value Run(const Call& c) {
  const kernels::ConvGeometry g{c.size(kH),      c.size(kW),    c.size(kKH),  c.size(kKW),
                                c.size(kStrideH), c.size(kStrideW), c.size(kPadTop), c.size(kPadLeft),
                                c.size(kDilH),   c.size(kDilW), c.size(kOH),  c.size(kOW)};
  return ForType<kFloat>(c, kIn, [&](auto zero) {
    using T = decltype(zero);
    const T* in = c.ptr<T>(kIn);
    T* out = c.ptr<T>(kOut);
    ByChannel(c, [&](int64_t c0, int64_t c1) {
      if constexpr (ToImage) {
        kernels::col2im(in, c0, c1, g, out);
      } else {
        kernels::im2col(in, c0, c1, g, out);
      }
    });
  });
}

template <bool ToImage>
constexpr Kernel ConvKernel(const char* name) {
  const Check image = AtLeast(ToImage ? kOut : kIn, {kC, kH, kW});
  const Check cols = AtLeast(ToImage ? kIn : kOut, {kC, kKH, kKW, kOH, kOW});
  return {name,
          {Array(ToImage ? "cols" : "x", kFloat), Size("c"), Size("h"), Size("w"), Size("kH"), Size("kW"),
           Size("strideH"), Size("strideW"), Size("padTop"), Size("padLeft"), Size("dilH"), Size("dilW"), Size("oH"),
           Size("oW"), Array(ToImage ? "out" : "cols", kFloat)},
          {SameType(kIn, {kOut}), ToImage ? cols : image, ToImage ? image : cols, NoOverlap(kOut, {kIn})},
          Run<ToImage>};
}

constexpr Kernel kIm2col = ConvKernel<false>("im2col");
constexpr Kernel kCol2im = ConvKernel<true>("col2im");

}  // namespace

void RegisterConv(Napi::Env env, Napi::Object exports) { Register<kIm2col, kCol2im>(env, exports); }

}  // namespace torchlet
