// Bindings: convForward(image, weight, n, groups, oc, c, h, w, kH, kW, strideH,
// strideW, padTop, padLeft, dilH, dilW, oH, oW, grid), convBackwardInput(grid,
// weight, <the same sizes>, image) and convBackwardWeight(image, grid, <the
// same sizes>, weight): a batch of convolutions per call (conv.h); and
// convBiasRelu(y, bias, n, c, cells, relu), convBiasBackward(dy, n, c, cells,
// db), convReluBackward(y, dy, n, c, cells, dz, db): a convolution's bias and
// fused ReLU, forward and backward (conv_epilogue.h).
#include "conv.h"
#include "conv_epilogue.h"

#include "exports.h"
#include "spec.h"

namespace torchlet {
namespace {

// Parameters: two operands, n, groups, oc, the geometry of one sample-group, the result.
enum { kA, kB, kN, kGroups, kOc, kC, kH, kW, kKH, kKW, kStrideH, kStrideW, kPadTop, kPadLeft, kDilH, kDilW,
       kOH, kOW, kResult };

enum class Side { kImage, kGrid, kWeight };

constexpr Check Holds(int at, Side side) {
  switch (side) {
    case Side::kImage: return AtLeast(at, {kN, kGroups, kC, kH, kW});
    case Side::kGrid: return AtLeast(at, {kN, kGroups, kOc, kOH, kOW});
    default: return AtLeast(at, {kGroups, kOc, kC, kKH, kKW});
  }
}

kernels::ConvShape ShapeOf(const Call& c) {
  return {c.size(kN),
          c.size(kGroups),
          c.size(kC),
          c.size(kOc),
          {c.size(kH), c.size(kW), c.size(kKH), c.size(kKW), c.size(kStrideH), c.size(kStrideW), c.size(kPadTop),
           c.size(kPadLeft), c.size(kDilH), c.size(kDilW), c.size(kOH), c.size(kOW)}};
}

// result = f(a, b) over the batch; a, b and result hold the sides A, B and R.
template <Side A, Side B, Side R>
constexpr Kernel BatchKernel(const char* name, const char* a, const char* b, const char* result,
                             Napi::Value (*run)(const Call&)) {
  return {name,
          {Array(a, kFloat), Array(b, kFloat), Size("n"), Size("groups"), Size("oc"), Size("c"), Size("h"), Size("w"),
           Size("kH"), Size("kW"), Size("strideH"), Size("strideW"), Size("padTop"), Size("padLeft"), Size("dilH"),
           Size("dilW"), Size("oH"), Size("oW"), Array(result, kFloat)},
          {SameType(kA, {kB, kResult}), Holds(kA, A), Holds(kB, B), Holds(kResult, R), NoOverlap(kResult, {kA, kB})},
          run};
}

enum class Product { kForward, kBackwardInput, kBackwardWeight };

template <Product P>
Napi::Value Run(const Call& c) {
  return ForType<kFloat>(c, kA, [&](auto zero) {
    using T = decltype(zero);
    const T* a = c.ptr<T>(kA);
    const T* b = c.ptr<T>(kB);
    T* result = c.ptr<T>(kResult);
    if constexpr (P == Product::kForward) {
      kernels::convForward<T>(c.pool(), a, b, ShapeOf(c), result);
    } else if constexpr (P == Product::kBackwardInput) {
      kernels::convBackwardInput<T>(c.pool(), a, b, ShapeOf(c), result);
    } else {
      kernels::convBackwardWeight<T>(c.pool(), a, b, ShapeOf(c), result);
    }
  });
}

constexpr Kernel kConvForward =
    BatchKernel<Side::kImage, Side::kWeight, Side::kGrid>("convForward", "image", "weight", "grid", Run<Product::kForward>);
constexpr Kernel kConvBackwardInput = BatchKernel<Side::kGrid, Side::kWeight, Side::kImage>(
    "convBackwardInput", "grid", "weight", "image", Run<Product::kBackwardInput>);
constexpr Kernel kConvBackwardWeight = BatchKernel<Side::kImage, Side::kGrid, Side::kWeight>(
    "convBackwardWeight", "image", "grid", "weight", Run<Product::kBackwardWeight>);

// convBiasRelu(y, bias|null, n, c, cells, relu)
enum { kEY, kEBias, kEN, kEC, kECells, kERelu };

Napi::Value BiasRelu(const Call& c) {
  return ForType<kFloat>(c, kEY, [&](auto zero) {
    using T = decltype(zero);
    kernels::convBiasRelu<T>(c.pool(), c.ptr<T>(kEY), c.ptr<T>(kEBias), c.size(kEN), c.size(kEC), c.size(kECells),
                             c.flag(kERelu));
  });
}

constexpr Kernel kConvBiasRelu = {
    "convBiasRelu",
    {Array("y", kFloat), Nullable("bias", kFloat), Size("n"), Size("c"), Size("cells"), Boolean("relu")},
    {SameType(kEY, {kEBias}), AtLeast(kEY, {kEN, kEC, kECells}), AtLeast(kEBias, {kEC}), NoOverlap(kEY, {kEBias})},
    BiasRelu};

// convBiasBackward(dy, n, c, cells, db)
enum { kBDy, kBN, kBC, kBCells, kBDb };

Napi::Value BiasBackward(const Call& c) {
  return ForType<kFloat>(c, kBDy, [&](auto zero) {
    using T = decltype(zero);
    kernels::convBiasBackward<T>(c.pool(), c.ptr<T>(kBDy), c.size(kBN), c.size(kBC), c.size(kBCells), c.ptr<T>(kBDb));
  });
}

constexpr Kernel kConvBiasBackward = {
    "convBiasBackward",
    {Array("dy", kFloat), Size("n"), Size("c"), Size("cells"), Array("db", kFloat)},
    {SameType(kBDy, {kBDb}), AtLeast(kBDy, {kBN, kBC, kBCells}), AtLeast(kBDb, {kBC}), NoOverlap(kBDb, {kBDy})},
    BiasBackward};

// convReluBackward(y, dy, n, c, cells, dz, db|null)
enum { kRY, kRDy, kRN, kRC, kRCells, kRDz, kRDb };

Napi::Value ReluBackward(const Call& c) {
  return ForType<kFloat>(c, kRY, [&](auto zero) {
    using T = decltype(zero);
    kernels::convReluBackward<T>(c.pool(), c.ptr<T>(kRY), c.ptr<T>(kRDy), c.size(kRN), c.size(kRC), c.size(kRCells),
                                 c.ptr<T>(kRDz), c.ptr<T>(kRDb));
  });
}

constexpr Kernel kConvReluBackward = {
    "convReluBackward",
    {Array("y", kFloat), Array("dy", kFloat), Size("n"), Size("c"), Size("cells"), Array("dz", kFloat),
     Nullable("db", kFloat)},
    {SameType(kRY, {kRDy, kRDz, kRDb}), AtLeast(kRY, {kRN, kRC, kRCells}), AtLeast(kRDy, {kRN, kRC, kRCells}),
     AtLeast(kRDz, {kRN, kRC, kRCells}), AtLeast(kRDb, {kRC}), NoOverlap(kRDz, {kRY, kRDy}),
     NoOverlap(kRDb, {kRY, kRDy, kRDz})},
    ReluBackward};

}  // namespace

void RegisterConv(Napi::Env env, Napi::Object exports) {
  Register<kConvForward, kConvBackwardInput, kConvBackwardWeight, kConvBiasRelu, kConvBiasBackward, kConvReluBackward>(env, exports);
}

}  // namespace torchlet
