// swift-tools-version:6.0
import PackageDescription

// Dependency direction (one way only; every edge below is declared in `targets`):
//   CCmarkGFM  CLibGit2  CZlib          (system libraries)
//       │          └──┬───┘
//       │          InquestGit          (libgit2 wrapped once; loose objects checked with zlib)
//       │             │      InquestBlameless   (blame-language matcher, no dependencies)
//       └───────┬─────┴──────────┘
//          InquestCore                 (source → parse → model → archive → rules → diagnostics)
//               │                      Only its Git/ folder (the git adapter) imports InquestGit;
//               │                      everything above sees documents, history and publishing
//               │                      through DocumentSource, ArchiveHistory, CommitID and
//               │                      PublishingTarget, which carry no libgit2 type.
//          InquestSite                 (static HTML archive; Mustache, swift-crypto for cache keys)
//               │
//          InquestCLI                  (every command's logic, tested in-process)
//               │
//          inquest                     (main.swift: runs InquestCLI)
//
//          InquestSite ─ InquestServe  (`inquest serve`'s preview server; FlyingFox stays in here
//                             │        and in its tests)
//          InquestCLI ─ inquest-serve  (main.swift: `inquest serve` with the server linked in;
//                                      `inquest serve` starts it, so `inquest` itself never loads
//                                      FlyingFox's FoundationNetworking → libcurl and ~20 more
//                                      libraries at every start)
// InquestCLI also imports InquestCore directly. Packages: Yams (InquestCore), swift-mustache and
// swift-crypto (InquestSite), FlyingFox and its FlyingSocks (InquestServe), swift-argument-parser
// (InquestCLI).
// Tools beside the main line: inquest-fuzz (→ InquestCore, InquestSite, and InquestFuzzHooks, C
// linked in only for `make fuzz`'s comparison callbacks) and blameless-eval (→ InquestBlameless,
// InquestCore).
// InquestCore's YAML fast path also imports CYaml, the C parser inside the Yams product (Yams
// exports no product for it, so the edge is Yams's). ModuleBoundaryTests checks the git seal and
// that every module a target imports, test targets included, is declared here.
// `make fuzz` sets INQUEST_FUZZ_COVERAGE=1: Inquest's own modules that the fuzz targets run get
// libFuzzer's coverage and comparison tracing; the packages (Yams, swift-mustache, swift-crypto)
// only AddressSanitizer, which the Makefile passes to every module. Their counters and comparison
// callbacks cost every execution and guide toward nothing Inquest decides. Unset (any other
// build, CI), this adds nothing.
let fuzzCoverage: [SwiftSetting] = Context.environment["INQUEST_FUZZ_COVERAGE"] == "1"
    ? [.unsafeFlags(["-Xfrontend", "-sanitize=fuzzer,address"])] : []

// The debug build that `swift test` runs compiles the three modules where the work happens with
// -O: most of the suite's time is product code, which runs about 1.6× faster optimized (the
// serial suite's CPU 27.7 → 17.8 s), for about half again the compile time of those modules.
// Checks are unchanged: Sources use precondition, never assert() or #if DEBUG, which -O would
// drop. INQUEST_ONONE=1 builds them unoptimized, for stepping through them in a debugger.
let optimizedInDebug: [SwiftSetting] = Context.environment["INQUEST_ONONE"] == "1"
    ? [] : [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Inquest",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "inquest", targets: ["inquest"]),
        .executable(name: "inquest-serve", targets: ["inquest-serve"]),
        .library(name: "InquestCore", targets: ["InquestCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        // The preview server of `inquest serve` only (InquestServe): small, no SwiftNIO.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "InquestGit",
            dependencies: ["CLibGit2", "CZlib"]
        ),
        .target(
            name: "InquestBlameless",
            swiftSettings: fuzzCoverage + optimizedInDebug
        ),
        .target(
            name: "InquestCore",
            dependencies: ["CCmarkGFM", "InquestGit", "InquestBlameless", .product(name: "Yams", package: "Yams")],
            swiftSettings: fuzzCoverage + optimizedInDebug
        ),
        .target(
            name: "InquestSite",
            dependencies: ["InquestCore", .product(name: "Mustache", package: "swift-mustache"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: fuzzCoverage + optimizedInDebug
        ),
        // Fuzz targets (Fuzz/README.md): replays the stored corpus when built normally, runs
        // libFuzzer when `make fuzz` links it in.
        .executableTarget(
            name: "inquest-fuzz",
            dependencies: ["InquestCore", "InquestSite", "InquestFuzzHooks"],
            path: "Fuzz/Driver",
            swiftSettings: fuzzCoverage
        ),
        // C, so never instrumented: the comparison callbacks `make fuzz` redirects (see the file).
        .target(
            name: "InquestFuzzHooks",
            path: "Fuzz/Hooks",
            publicHeadersPath: "."
        ),
        .executableTarget(
            name: "blameless-eval",
            dependencies: ["InquestBlameless", "InquestCore"]
        ),
        .target(
            name: "InquestServe",
            dependencies: ["InquestCore", "InquestSite", .product(name: "FlyingFox", package: "FlyingFox"),
                           .product(name: "FlyingSocks", package: "FlyingFox")]
        ),
        .target(
            name: "InquestCLI",
            dependencies: ["InquestCore", "InquestSite", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "inquest",
            dependencies: ["InquestCLI"]
        ),
        .executableTarget(
            name: "inquest-serve",
            dependencies: ["InquestCLI", "InquestServe"]
        ),
        // Helpers every test target shares: inline fixtures, in-process git repositories (libgit2,
        // no `git` process), the binary locator. A library target, not a test target, so test
        // targets can depend on it.
        .target(
            name: "InquestTestSupport",
            dependencies: ["InquestCore", "InquestGit", "CLibGit2"],
            path: "Tests/InquestTestSupport"
        ),
        .testTarget(name: "InquestGitTests", dependencies: ["InquestGit", "CLibGit2", "InquestTestSupport"]),
        .testTarget(name: "InquestBlamelessTests", dependencies: ["InquestBlameless"]),
        // Test targets declare every module they import (ModuleBoundaryTests checks it). The core's
        // tests exercise the git adapter against repositories they open themselves and compare
        // with cmark directly; the CLI tests check what `publish` wrote with InquestGit.
        .testTarget(name: "InquestCoreTests", dependencies: ["InquestCore", "InquestGit", "InquestBlameless", "CCmarkGFM", "InquestTestSupport"]),
        .testTarget(name: "InquestSiteTests", dependencies: ["InquestSite", "InquestCore", "InquestTestSupport"]),
        .testTarget(name: "InquestServeTests", dependencies: ["InquestServe", "InquestCore", "InquestTestSupport",
                                                          .product(name: "FlyingFox", package: "FlyingFox"),
                                                          .product(name: "FlyingSocks", package: "FlyingFox")]),
        // The only tests that start processes (the built `inquest` and `inquest-serve`, `git` running
        // hooks, the LSP clients); depending on the executables makes SwiftPM build them first.
        .testTarget(name: "InquestCLITests", dependencies: ["InquestCLI", "inquest", "inquest-serve", "InquestCore", "InquestGit",
                                                            "InquestTestSupport",
                                                            .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    ]
)
