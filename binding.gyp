# node-gyp build of the torchlet addon (what `npm install` falls back to when no
# prebuilt binary fits, and what prebuildify runs). The source list lives in
# native/sources.json, shared with CMakeLists.txt (the development build).
{
  "targets": [
    {
      "target_name": "torchlet",
      "sources": [
        "<!@(node -p \"require('./native/sources.json').join(' ')\")"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_ADDON_API_CPP_EXCEPTIONS_ALL"
      ],
      "cflags!": ["-fno-exceptions", "-O2", "-O0"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=c++20", "-std=gnu++20", "-O2", "-O0"],
      "cflags": ["-O3", "-fvisibility=hidden"],
      "cflags_cc": [
        "-std=c++17",
        "-O3",
        "-fexceptions",
        "-fvisibility=hidden",
        "-fvisibility-inlines-hidden",
        "<!@(node native/find-blas.js cflags)"
      ],
      "libraries": [
        "<!@(node native/find-blas.js libs)"
      ],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "GCC_SYMBOLS_PRIVATE_EXTERN": "YES",
        "GCC_OPTIMIZATION_LEVEL": "3",
        "OTHER_CPLUSPLUSFLAGS": ["<!@(node native/find-blas.js cflags)"],
        "MACOSX_DEPLOYMENT_TARGET": "11.0"
      }
    }
  ]
}
