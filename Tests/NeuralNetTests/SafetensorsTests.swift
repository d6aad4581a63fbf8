import Determinism
import Foundation
import Testing
import TestSupport
@testable import NeuralNet

/// True when `python3 -c "import safetensors, numpy"` succeeds on this machine.
let pythonWithSafetensors: Bool = {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import safetensors, numpy"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    do {
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus == 0
    } catch {
        return false
    }
}()

func trainedModel(_ activation: Activation, _ loss: LossFunction, hidden: [Int] = [5, 4]) throws -> Model {
    let hp = hyperparameters {
        $0.hiddenLayers = hidden; $0.activation = activation; $0.loss = loss; $0.epochs = 20
        $0.initialization = .xavier
    }
    return try train(hp, on: threeClassData(), validation: nil, classNames: ["set\"osa", "versi\\color", "virgínica 🌸"],
                     featureNames: ["sepal length", "sepal\nwidth", "petal/length", "petal\twidth"], seed: 12).model
}

func headerLength(_ data: Data) -> Int {
    var n = 0
    for k in 0..<8 { n |= Int(data[data.startIndex + k]) << (8 * k) }
    return n
}

func withHeaderLength(_ data: Data, _ n: UInt64) -> Data {
    var d = data
    withUnsafeBytes(of: n.littleEndian) { d.replaceSubrange(0..<8, with: $0) }
    return d
}

/// Replaces the JSON header (re-padded) and keeps the payload.
func withHeader(_ data: Data, _ transform: (String) -> String) -> Data {
    let n = headerLength(data)
    var header = Array(transform(String(decoding: data[8..<(8 + n)], as: UTF8.self)).utf8)
    while header.count % 8 != 0 { header.append(0x20) }
    var out = Data()
    withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
    out.append(contentsOf: header)
    out.append(data[(8 + n)...])
    return out
}

@Suite struct SafetensorsTests {
    @Test(arguments: Activation.allCases, LossFunction.allCases)
    func roundTripIsExact(_ activation: Activation, _ loss: LossFunction) throws {
        let model = try trainedModel(activation, loss)
        let data = model.safetensors()
        let n = headerLength(data)
        #expect(n % 8 == 0)
        #expect(data[8] == UInt8(ascii: "{"))
        let back = try Model(safetensors: data)
        #expect(back == model)
        #expect(back.safetensors() == data)
        #expect(back.probabilities(threeClassData().features) == model.probabilities(threeClassData().features))
    }

    @Test func specialDoublesKeepTheirBits() throws {
        let special: [Double] = [-0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.leastNormalMagnitude,
                                 0.1, 1 / 3, -2.5e-300]
        let model = Model(layerSizes: [1, 7, 1], activation: .relu, loss: .mse,
                          weights: [Matrix(rows: 7, columns: 1, values: special),
                                    Matrix(rows: 1, columns: 7, values: special.reversed())],
                          biases: [special, [.pi]], scaler: FeatureScaler(shift: [-0.0], scale: [3]),
                          classNames: ["only"], featureNames: [])
        let back = try Model(safetensors: model.safetensors())
        #expect(back.weights[0].values.map(\.bitPattern) == special.map(\.bitPattern))
        #expect(back.weights[1].values.map(\.bitPattern) == special.reversed().map(\.bitPattern))
        #expect(back.biases[0].map(\.bitPattern) == special.map(\.bitPattern))
        #expect(back.scaler.shift[0].bitPattern == (-0.0).bitPattern)
        #expect(back.featureNames.isEmpty && back.classNames == ["only"])
    }

    @Test func malformedDataThrowsClearErrors() throws {
        let good = try trainedModel(.tanh, .crossEntropy, hidden: [3]).safetensors()
        let n = headerLength(good)

        #expect(throws: SafetensorsError.truncated("0 bytes, need at least 8 for the header length")) {
            try Model(safetensors: Data())
        }
        #expect(throws: SafetensorsError.self) { try Model(safetensors: good.prefix(5)) }
        // Bad header lengths.
        #expect(throws: SafetensorsError.self) { try Model(safetensors: withHeaderLength(good, UInt64.max)) }
        #expect(throws: SafetensorsError.self) { try Model(safetensors: withHeaderLength(good, UInt64(good.count))) }
        #expect(throws: SafetensorsError.invalidHeader("header length 0 is too small")) {
            try Model(safetensors: withHeaderLength(good, 0))
        }
        #expect(throws: SafetensorsError.invalidHeader("header is not valid JSON")) {
            try Model(safetensors: withHeaderLength(good, UInt64(n - 9)))
        }
        // Truncated payload.
        do {
            _ = try Model(safetensors: good.dropLast(1))
            Issue.record("truncated payload accepted")
        } catch let e as SafetensorsError {
            guard case .truncated = e else { Issue.record("unexpected \(e)"); return }
            #expect(e.description.contains("truncated"))
        }
        // Wrong dtype.
        #expect(throws: SafetensorsError.unsupportedDType(tensor: "layers.0.weight", dtype: "F32")) {
            try Model(safetensors: withHeader(good) {
                $0.replacingOccurrences(of: #""layers.0.weight":{"dtype":"F64""#, with: #""layers.0.weight":{"dtype":"F32""#)
            })
        }
        // Missing tensor, wrong shape, missing metadata, non-object header.
        #expect(throws: SafetensorsError.missingTensor("scaler.scale")) {
            try Model(safetensors: withHeader(good) { $0.replacingOccurrences(of: "\"scaler.scale\"", with: "\"scaler.other\"") })
        }
        #expect(throws: SafetensorsError.self) {
            try Model(safetensors: withHeader(good) { $0.replacingOccurrences(of: "\"shape\":[3,4]", with: "\"shape\":[4,3]") })
        }
        #expect(throws: SafetensorsError.invalidMetadata("layer_sizes is missing")) {
            try Model(safetensors: withHeader(good) { $0.replacingOccurrences(of: "\"layer_sizes\"", with: "\"sizes\"") })
        }
        #expect(throws: SafetensorsError.invalidHeader("header is not a JSON object")) {
            try Model(safetensors: withHeader(good) { _ in "[1, 2, 3]" })
        }
        #expect(throws: SafetensorsError.self) {
            try Model(safetensors: withHeader(good) { $0.replacingOccurrences(of: "\"shape\":[3,4]", with: "\"shape\":[4294967296,4294967296,4294967296]") })
        }
    }

    /// Every strict prefix of a valid file is rejected with an error (never a trap),
    /// and random byte corruption never traps.
    @Test func everyPrefixAndRandomCorruptionIsHandled() throws {
        let good = try trainedModel(.relu, .mse, hidden: [2]).safetensors()
        for length in 0..<good.count {
            #expect(throws: SafetensorsError.self) { try Model(safetensors: good.prefix(length)) }
        }
        var rng = Xoshiro256StarStar(seed: 77)
        var rejected = 0
        for _ in 0..<500 {
            var bad = good
            for _ in 0..<(1 + rng.nextIntByMultiplyShift(below: 3)) {
                bad[rng.nextIntByMultiplyShift(below: bad.count)] = UInt8(truncatingIfNeeded: rng.next())
            }
            if (try? Model(safetensors: bad)) == nil { rejected += 1 }
        }
        #expect(rejected > 0)
    }

    @Test(.tags(.slow), .skippedWhenFast, .enabled(if: pythonWithSafetensors, "python3 with the safetensors and numpy packages is not available"),
          arguments: Activation.allCases, LossFunction.allCases)
    func pythonSafetensorsLoadsModelAndMatchesProbabilities(_ activation: Activation, _ loss: LossFunction) throws {
        struct Expected: Encodable { var features: [[Double]]; var probabilities: [[Double]] }
        let model = try trainedModel(activation, loss)
        let x = threeClassData().features
        let p = model.probabilities(x)
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("nn-safetensors-\(activation.rawValue)-\(loss.rawValue)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let modelURL = dir.appendingPathComponent("model.safetensors")
        let expectedURL = dir.appendingPathComponent("expected.json")
        try model.safetensors().write(to: modelURL)
        try JSONEncoder().encode(Expected(features: (0..<x.rows).map { x.row($0) },
                                          probabilities: (0..<p.rows).map { p.row($0) })).write(to: expectedURL)
        let script = repositoryRoot.appendingPathComponent("Tests/python/check_safetensors.py")
        let python3 = try #require(which("python3"), "python3 not found")
        let result = try runProgram(URL(fileURLWithPath: python3), [script.path, modelURL.path, expectedURL.path])
        let output = result.stdout + result.stderr
        #expect(result.status == 0, "\(output)")
        #expect(output.contains("max_abs_error"), "\(output)")
    }
}
