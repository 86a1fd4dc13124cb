// swift-tools-version: 6.1
// Micro-benchmarks of SimCore's hot kernels with ordo-one/benchmark. A package of its own, so
// the main `swift build` / `swift test` never compile it. From this directory:
//   swift package benchmark                                   run everything
//   swift package benchmark baseline update main              save a baseline named main
//   swift package benchmark baseline compare main             compare the working tree with it
import PackageDescription

let package = Package(
    name: "SimCoreBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "SimCore", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "KernelBenchmarks",
            dependencies: [
                .product(name: "SimCore", package: "SimCore"),
                .product(name: "SimCoreFixtures", package: "SimCore"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/KernelBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
