// swift-tools-version:6.0
import PackageDescription

// Module graph (arrows point from user to dependency; see docs/architecture.md):
//   exp -> Sweep, Report, Scoring (exp predict --ensemble), Serve (exp serve)
//   Serve -> Report, Scoring (ScoreCache), Tracker, Hummingbird
//   Sweep -> Scoring, NeuralNet, Datasets, Tracker, Determinism (split seeds of repeats)
//   Report -> Scoring, NeuralNet (hyperparameter schema), Tracker
//   Scoring -> NeuralNet, Datasets, Tracker
//   NeuralNet -> CBLAS, Determinism;  Tracker -> CSQLite, Determinism;  Datasets -> Determinism
//   Determinism (the seeded generator, SHA-256 hex) -> (no project module)
let package = Package(
    name: "exp",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "exp", targets: ["exp"]),
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "Tracker", targets: ["Tracker"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "Determinism", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "NeuralNet", dependencies: ["CBLAS", "Determinism"]),
        .target(name: "Datasets", dependencies: ["Determinism", .product(name: "CSV", package: "CSV.swift")]),
        .target(
            name: "Tracker",
            dependencies: ["CSQLite", "Determinism"],
            plugins: ["EmbedMigrations"]
        ),
        .executableTarget(name: "embed-migrations", path: "Sources/embed-migrations"),
        .plugin(name: "EmbedMigrations", capability: .buildTool(), dependencies: ["embed-migrations"]),
        .target(name: "Sweep", dependencies: ["NeuralNet", "Datasets", "Tracker", "Scoring", "Determinism", "Yams"], plugins: ["RecordBuildCommit"]),
        // Writes `buildCommit` (the source's git commit, or nil outside a checkout) into Sweep.
        .plugin(name: "RecordBuildCommit", capability: .buildTool()),
        .target(name: "Scoring", dependencies: ["NeuralNet", "Datasets", "Tracker"]),
        .target(name: "Report", dependencies: ["NeuralNet", "Scoring", "Tracker", "Plot"]),
        .target(name: "Serve", dependencies: [
            "Report", "Scoring", "Tracker", "NeuralNet",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .executableTarget(name: "exp", dependencies: [
            "Sweep", "Report", "Serve", "Scoring", "NeuralNet", "Datasets", "Tracker", "Determinism",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Benchmark driver for bench/run.sh (docs/benchmarks.md); no test depends on it.
        .executableTarget(name: "exp-bench", dependencies: ["NeuralNet", "Datasets", "Tracker", "Sweep", "Determinism"],
                          path: "bench/Sources/exp-bench"),
        // Helpers every test target shares: the repository's folders, scratch folders, running a
        // program, and the `slow` tag of the fast inner loop (README).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "DeterminismTests", dependencies: ["TestSupport", "Determinism"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["TestSupport", "NeuralNet", "Determinism"]),
        .testTarget(name: "DatasetsTests", dependencies: ["TestSupport", "Datasets", "Determinism"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TrackerTests", dependencies: ["TestSupport", "Tracker", "Determinism"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SweepTests", dependencies: ["TestSupport", "Sweep", "Tracker", "NeuralNet", "Datasets", "Determinism"], resources: [.copy("Fixtures")]),
        // Synthetic sweeps stored through RunStore (the markup-name sweep among them), for the
        // report's tests and the live view's.
        .target(name: "ReportFixtures", dependencies: ["Tracker", "Determinism"], path: "Tests/ReportFixtures"),
        .testTarget(name: "ReportTests", dependencies: ["TestSupport", "ReportFixtures", "Report", "Tracker", "NeuralNet", "Scoring", "Determinism"]),
        .testTarget(name: "ServeTests", dependencies: ["TestSupport", "ReportFixtures", "Serve", "Report", "Tracker"]),
        // Runs the built `exp` executable as a user does (`swift test` builds every product first).
        .testTarget(name: "ExpTests", dependencies: ["TestSupport", "Tracker", "NeuralNet", "Determinism"]),
    ],
    swiftLanguageModes: [.v5]
)
