// swift-tools-version: 6.1
import PackageDescription

// Targets by concern, in the order a document travels (see README, "Layout"):
//   SimCoreInternals  package-access helpers every target shares (chunked parallelism, UTF-8,
//                     radix sort, scratch buffers, atomic files, the platform shim)
//   SimCore           the algorithms: normalize, shingle, hash, compare, sign, index, cluster, store
//   SimCoreIO         corpus I/O: one line reader, one JSON Lines reader, one writer
//   SimCoreFixtures   the corpus generator and ground truth shared by tests, simbench, Benchmarks/
//                     and the Spark smoke test
//   SimCommandLine    the option groups, argument types, exit statuses and progress both CLIs share
//   SimDedupKit       simdedup's commands; SimBenchKit: simbench's measurement and reports
//   CSimCore, SimCoreC  libsimcore, the C interface: simcore.h (CSimCore) implemented over
//                     SimCore's public API (SimCoreC); Integrations/python loads it
let package = Package(
    name: "SimCore",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "SimCore", targets: ["SimCore"]),
        .library(name: "SimCoreIO", targets: ["SimCoreIO"]),
        .library(name: "SimCoreFixtures", targets: ["SimCoreFixtures"]),
        .executable(name: "simbench", targets: ["simbench"]),
        .executable(name: "simdedup", targets: ["simdedup"]),
        // libsimcore.so / .dylib: the C interface, Sources/CSimCore/include/simcore.h.
        .library(name: "simcore", type: .dynamic, targets: ["SimCoreC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // xxhash.h only (Debian's libxxhash-dev): the implementation is compiled in, nothing links
        // against libxxhash.so (see Sources/CXXHash/shim.h).
        .systemLibrary(
            name: "CXXHash"
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "CSimKernels"
        ),
        .target(
            name: "SimCoreInternals",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")]
        ),
        .target(
            name: "SimCore",
            dependencies: ["CXXHash", "CSimKernels", "SimCoreInternals"]
        ),
        .target(
            name: "CSimCore"
        ),
        .target(
            name: "SimCoreC",
            dependencies: ["CSimCore", "SimCore", "SimCoreInternals"]
        ),
        .target(
            name: "SimCoreIO",
            dependencies: ["SimCore", "SimCoreInternals", "CSimKernels", "CZlib", .product(name: "SystemPackage", package: "swift-system")]
        ),
        .target(
            name: "SimCoreFixtures",
            dependencies: ["SimCore", "SimCoreIO", "SimCoreInternals"]
        ),
        .target(
            name: "SimCommandLine",
            dependencies: [
                "SimCore", "SimCoreIO", "SimCoreInternals",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "SimBenchKit",
            dependencies: ["SimCore", "SimCoreIO", "SimCoreFixtures", "SimCoreInternals", "SimCommandLine"]
        ),
        .executableTarget(
            name: "simbench",
            dependencies: [
                "SimCore", "SimCoreIO", "SimCoreFixtures", "SimBenchKit", "SimCommandLine", "SimCoreInternals",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "SimDedupKit",
            dependencies: [
                "SimCore", "SimCoreIO", "SimCommandLine", "SimCoreInternals", "CSimKernels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "simdedup",
            dependencies: ["SimDedupKit", "SimCommandLine"]
        ),
        .testTarget(
            name: "SimCoreInternalsTests",
            dependencies: ["SimCoreInternals", "SimCore"]
        ),
        .testTarget(
            name: "SimCoreTests",
            dependencies: ["SimCore", "SimCoreIO", "SimCoreFixtures", "SimCoreInternals"]
        ),
        .testTarget(
            name: "SimCoreCTests",
            dependencies: ["SimCore", "SimCoreIO", "SimCoreFixtures"],
            exclude: ["CProgram"]
        ),
        .testTarget(
            name: "SimCoreIOTests",
            dependencies: ["SimCoreIO", "SimCore", "SimCoreFixtures", "SimCoreInternals"]
        ),
        .testTarget(
            name: "SimCoreFixturesTests",
            dependencies: ["SimCoreFixtures", "SimCore", "SimCoreIO"]
        ),
        .testTarget(
            name: "SimBenchKitTests",
            // simbench: the command tests run the executable as a user does.
            dependencies: ["SimBenchKit", "SimCore", "SimCoreFixtures", "simbench"]
        ),
        .testTarget(
            name: "SimCommandLineTests",
            dependencies: ["SimCommandLine", "SimCore", "SimCoreIO", "SimCoreFixtures"]
        ),
        .testTarget(
            name: "SimDedupKitTests",
            dependencies: ["SimDedupKit", "SimCommandLine", "SimCore", "SimCoreIO", "SimCoreFixtures", "SimCoreInternals"]
        ),
    ]
)
