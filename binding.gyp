# node-gyp build of the torchlet addon (what `npm install` falls back to when no
# prebuilt binary fits, and what prebuildify runs). The source list lives in
# native/sources.json, shared with CMakeLists.txt (the development build):
# "common" builds in target torchlet; "avx2" and "avx512" build in their own
# static libraries with their own instruction-set flags (gyp has no per-file
# flags), linked into torchlet. native/simd/simd.cc calls into them only when
# cpuid says the CPU and OS support them; on other architectures they compile
# to nothing and get no flags. Every target compiles with the flags of
# target_defaults (the same as CMakeLists.txt's; test/build/flags.test.ts
# compares them), the ISA libraries adding only their instruction sets.
{
  "target_defaults": {
    "cflags!": ["-fno-exceptions", "-O2", "-O0"],
    "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=c++20", "-std=gnu++20", "-O2", "-O0"],
    "cflags": ["-O3", "-fPIC", "-fvisibility=hidden"],
    "cflags_cc": [
      "-std=c++17",
      "-O3",
      # No errno from sqrt: lets the optimizer loops (optim_step.h) vectorise.
      "-fno-math-errno",
      "-fexceptions",
      "-fPIC",
      "-fvisibility=hidden",
      "-fvisibility-inlines-hidden"
    ],
    "xcode_settings": {
      "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
      "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
      "GCC_SYMBOLS_PRIVATE_EXTERN": "YES",
      "GCC_OPTIMIZATION_LEVEL": "3",
      "OTHER_CPLUSPLUSFLAGS": ["-fno-math-errno"],
      "MACOSX_DEPLOYMENT_TARGET": "11.0"
    },
    "conditions": [
      # Built with clang-cl (Visual Studio's "C++ Clang tools") for the GCC
      # builtins the sources use.
      ['OS=="win"', {
        "msbuild_toolset": "ClangCL",
        "msvs_settings": {
          "VCCLCompilerTool": {
            "ExceptionHandling": 1,
            "AdditionalOptions": ["/std:c++17"]
          }
        }
      }]
    ]
  },
  "targets": [
    {
      "target_name": "torchlet",
      "sources": [
        "<!@(node -p \"require('./native/sources.json').common.join(' ')\")"
      ],
      "dependencies": ["torchlet_avx2", "torchlet_avx512"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_ADDON_API_CPP_EXCEPTIONS_ALL",
        # A worker being terminated makes napi calls fail with no exception
        # pending; without this node-addon-api throws a C++ exception it cannot
        # hand to JS, and the process aborts (test/runtime/threads.test.ts).
        "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"
      ],
      # Where the BLAS comes from, per platform (native/blas.h, native/find-blas.js).
      # A command (<!...) inside a condition runs only when the condition holds.
      "conditions": [
        # Linux and other Unixes: OpenBLAS via pkg-config, or linked in
        # statically for the prebuilds (TORCHLET_STATIC_BLAS).
        ['OS!="mac" and OS!="win"', {
          "cflags_cc": ["<!@(node native/find-blas.js cflags)"],
          "libraries": ["<!@(node native/find-blas.js libs)"]
        }],
        # macOS: Apple's Accelerate, always present (no OpenBLAS needed).
        ['OS=="mac"', {
          "defines": ["TORCHLET_ACCELERATE=1"],
          "libraries": ["-framework Accelerate"]
        }],
        # Windows: OpenBLAS from TORCHLET_OPENBLAS_DIR (include/, lib/, bin/),
        # its DLL copied beside torchlet.node (see native/find-blas.js).
        ['OS=="win"', {
          "include_dirs": ["<!@(node native/find-blas.js include)"],
          "libraries": ["<!@(node native/find-blas.js libs)"],
          "copies": [{
            "destination": "<(PRODUCT_DIR)",
            "files": ["<!@(node native/find-blas.js dll)"]
          }]
        }]
      ]
    },
    {
      "target_name": "torchlet_avx2",
      "type": "static_library",
      "sources": [
        "<!@(node -p \"require('./native/sources.json').avx2.join(' ')\")"
      ],
      "conditions": [
        ["target_arch=='x64' and OS!='win'", {
          "cflags_cc": ["-mavx2", "-mfma"],
          "xcode_settings": { "OTHER_CPLUSPLUSFLAGS": ["-mavx2", "-mfma"] }
        }],
        ["target_arch=='x64' and OS=='win'", {
          "msvs_settings": { "VCCLCompilerTool": { "AdditionalOptions": ["/arch:AVX2"] } }
        }]
      ]
    },
    {
      "target_name": "torchlet_avx512",
      "type": "static_library",
      "sources": [
        "<!@(node -p \"require('./native/sources.json').avx512.join(' ')\")"
      ],
      "conditions": [
        ["target_arch=='x64' and OS!='win'", {
          "cflags_cc": ["-mavx512f", "-mavx512dq", "-mavx512vl", "-mfma", "-mprefer-vector-width=512"],
          "xcode_settings": { "OTHER_CPLUSPLUSFLAGS": ["-mavx512f", "-mavx512dq", "-mavx512vl", "-mfma", "-mprefer-vector-width=512"] }
        }],
        ["target_arch=='x64' and OS=='win'", {
          "msvs_settings": { "VCCLCompilerTool": { "AdditionalOptions": ["/arch:AVX512"] } }
        }]
      ]
    }
  ]
}
