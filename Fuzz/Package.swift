// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for SimCore, in their own package so that the main package stays free of
// unsafe flags (as Benchmarks/ is): build with
//
//   swift build -c release --sanitize=fuzzer --sanitize=address --scratch-path .build
//
// Each target is a thin `LLVMFuzzerTestOneInput` over a check in SimCoreFixtures (`FuzzCheck`),
// which `swift test` in the main package also runs over the committed corpora (`Corpus/`).
// See README.md here and the main README's "Reliability" section.
let package = Package(
    name: "SimCoreFuzz",
    dependencies: [
        .package(name: "SimCore", path: ".."),
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "SimCoreFixtures", package: "SimCore")]
        ),
        .executableTarget(name: "FuzzNormalize", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzJSONLines", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzIndexFile", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzAlignment", dependencies: ["FuzzSupport"]),
    ]
)
