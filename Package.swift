// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "SimCore",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "SimCore", targets: ["SimCore"]),
        .executable(name: "simbench", targets: ["simbench"]),
        .executable(name: "simdedup", targets: ["simdedup"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2")
    ],
    targets: [
        .systemLibrary(
            name: "CXXHash",
            pkgConfig: "libxxhash",
            providers: [.apt(["libxxhash-dev"])]
        ),
        .target(
            name: "CSimKernels"
        ),
        .target(
            name: "SimCore",
            dependencies: ["CXXHash", "CSimKernels"]
        ),
        .target(
            name: "SimBenchKit",
            dependencies: ["SimCore"]
        ),
        .executableTarget(
            name: "simbench",
            dependencies: [
                "SimCore",
                "SimBenchKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "SimDedupKit",
            dependencies: [
                "SimCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "simdedup",
            dependencies: ["SimDedupKit"]
        ),
        .testTarget(
            name: "SimCoreTests",
            dependencies: ["SimCore"]
        ),
        .testTarget(
            name: "SimBenchKitTests",
            dependencies: ["SimBenchKit", "SimCore"]
        ),
        .testTarget(
            name: "SimDedupKitTests",
            dependencies: ["SimDedupKit", "SimCore"]
        ),
    ]
)
