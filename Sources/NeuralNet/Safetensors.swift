import Foundation

/// Why a byte buffer could not be read as a model in the safetensors format.
public enum SafetensorsError: Error, Equatable, CustomStringConvertible {
    /// The buffer ends before the 8-byte header length, the header, or a tensor's data.
    case truncated(String)
    /// The header length or the JSON header is malformed (not an object, bad
    /// `shape`/`data_offsets`, offsets not contiguous...).
    case invalidHeader(String)
    /// A tensor has a dtype other than `F64`.
    case unsupportedDType(tensor: String, dtype: String)
    /// A required tensor is absent.
    case missingTensor(String)
    /// A tensor's shape disagrees with the layer sizes in the metadata.
    case shapeMismatch(String)
    /// A required `__metadata__` entry is absent or cannot be parsed.
    case invalidMetadata(String)

    /// A one-line human-readable message naming what is wrong.
    public var description: String {
        switch self {
        case .truncated(let m): return "safetensors: truncated data: \(m)"
        case .invalidHeader(let m): return "safetensors: invalid header: \(m)"
        case .unsupportedDType(let t, let d): return "safetensors: tensor \(t) has dtype \(d), expected F64"
        case .missingTensor(let t): return "safetensors: missing tensor \(t)"
        case .shapeMismatch(let m): return "safetensors: shape mismatch: \(m)"
        case .invalidMetadata(let m): return "safetensors: invalid metadata: \(m)"
        }
    }
}

/// `s` as a JSON string literal (quotes included), by Foundation's JSON encoder.
private func jsonString(_ s: String) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    return String(decoding: try! encoder.encode(s), as: UTF8.self)
}

/// `["a","b"]` as compact JSON text.
private func jsonArray(_ strings: [String]) -> String {
    "[" + strings.map(jsonString).joined(separator: ",") + "]"
}

extension Model {
    /// Version written to `__metadata__.format_version`.
    public static let safetensorsFormatVersion = "1"

    /// Serialises the model in the safetensors format.
    ///
    /// Layout: an 8-byte little-endian `UInt64` header length `N`; `N` bytes of
    /// UTF-8 JSON header, padded with spaces so that `N` is a multiple of 8;
    /// then the tensors' raw little-endian `F64` data, back to back in header order:
    ///
    /// | tensor | shape |
    /// |---|---|
    /// | `layers.{i}.weight` (`i = l − 1`, 0-based) | `[n_l, n_{l−1}]` (row-major) |
    /// | `layers.{i}.bias` | `[n_l]` |
    /// | `scaler.shift`, `scaler.scale` | `[n_0]` |
    ///
    /// `__metadata__` (all values strings): `format` (`"exp-mlp"`),
    /// `format_version`, `layer_sizes` (JSON array of ints), `activation`,
    /// `loss` (raw values of ``Activation`` and ``LossFunction``),
    /// `class_names` and `feature_names` (JSON arrays of strings).
    /// Doubles are stored bit for bit, so ``init(safetensors:)`` gives back an equal model.
    public func safetensors() -> Data {
        var tensors: [(name: String, shape: [Int], values: [Double])] = []
        for i in 0..<weights.count {
            tensors.append(("layers.\(i).weight", [weights[i].rows, weights[i].columns], weights[i].values))
            tensors.append(("layers.\(i).bias", [biases[i].count], biases[i]))
        }
        tensors.append(("scaler.shift", [scaler.shift.count], scaler.shift))
        tensors.append(("scaler.scale", [scaler.scale.count], scaler.scale))

        let metadata: [(String, String)] = [
            ("format", "exp-mlp"),
            ("format_version", Model.safetensorsFormatVersion),
            ("layer_sizes", "[" + layerSizes.map(String.init).joined(separator: ",") + "]"),
            ("activation", activation.rawValue),
            ("loss", loss.rawValue),
            ("class_names", jsonArray(classNames)),
            ("feature_names", jsonArray(featureNames)),
        ]
        var entries = ["\"__metadata__\":{" + metadata.map { jsonString($0.0) + ":" + jsonString($0.1) }
            .joined(separator: ",") + "}"]
        var offset = 0
        for t in tensors {
            let end = offset + t.values.count * 8
            entries.append(jsonString(t.name) + ":{\"dtype\":\"F64\",\"shape\":["
                + t.shape.map(String.init).joined(separator: ",") + "],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(0x20) }

        var out = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for t in tensors {
            var bits = t.values.map { $0.bitPattern.littleEndian }
            bits.withUnsafeMutableBytes { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Reads a model written by ``safetensors()`` (or any safetensors file with
    /// the same tensor names, shapes, dtype `F64` and metadata).
    ///
    /// - Throws: ``SafetensorsError`` for truncated data, a bad header length
    ///   or JSON header, a dtype other than `F64`, missing or mis-shaped
    ///   tensors, or missing/invalid metadata. Never traps on malformed input.
    public init(safetensors data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else {
            throw SafetensorsError.truncated("\(bytes.count) bytes, need at least 8 for the header length")
        }
        var n: UInt64 = 0
        for k in 0..<8 { n |= UInt64(bytes[k]) << (8 * UInt64(k)) }
        guard n >= 2 else { throw SafetensorsError.invalidHeader("header length \(n) is too small") }
        guard n <= UInt64(bytes.count - 8) else {
            throw SafetensorsError.truncated("header length \(n) exceeds the \(bytes.count - 8) bytes after it")
        }
        let headerEnd = 8 + Int(n)
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]))
        } catch {
            throw SafetensorsError.invalidHeader("header is not valid JSON")
        }
        guard let header = json as? [String: Any] else {
            throw SafetensorsError.invalidHeader("header is not a JSON object")
        }
        let payload = bytes.count - headerEnd

        // Tensor entries.
        var tensors: [String: (shape: [Int], begin: Int, end: Int)] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any] else {
                throw SafetensorsError.invalidHeader("entry \(name) is not an object")
            }
            guard let dtype = entry["dtype"] as? String else {
                throw SafetensorsError.invalidHeader("entry \(name) has no dtype")
            }
            guard dtype == "F64" else { throw SafetensorsError.unsupportedDType(tensor: name, dtype: dtype) }
            guard let shape = entry["shape"] as? [Int], shape.allSatisfy({ $0 >= 0 && $0 <= 1 << 31 }) else {
                throw SafetensorsError.invalidHeader("entry \(name) has no valid shape")
            }
            guard let offsets = entry["data_offsets"] as? [Int], offsets.count == 2,
                  offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw SafetensorsError.invalidHeader("entry \(name) has no valid data_offsets")
            }
            guard offsets[1] <= payload else {
                throw SafetensorsError.truncated("tensor \(name) ends at byte \(offsets[1]) of a \(payload)-byte payload")
            }
            var bytesNeeded = 8
            for d in shape {
                let (product, overflow) = bytesNeeded.multipliedReportingOverflow(by: d)
                guard !overflow else { throw SafetensorsError.invalidHeader("tensor \(name): shape \(shape) is too large") }
                bytesNeeded = product
            }
            guard offsets[1] - offsets[0] == bytesNeeded else {
                throw SafetensorsError.invalidHeader("tensor \(name): \(offsets[1] - offsets[0]) bytes for shape \(shape)")
            }
            tensors[name] = (shape, headerEnd + offsets[0], headerEnd + offsets[1])
        }

        // Metadata.
        guard let meta = header["__metadata__"] as? [String: String] else {
            throw SafetensorsError.invalidMetadata("__metadata__ is missing or not a string map")
        }
        func field(_ key: String) throws -> String {
            guard let v = meta[key] else { throw SafetensorsError.invalidMetadata("\(key) is missing") }
            return v
        }
        func decode<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
            do {
                return try JSONDecoder().decode(T.self, from: Data(try field(key).utf8))
            } catch let e as SafetensorsError {
                throw e
            } catch {
                throw SafetensorsError.invalidMetadata("\(key) is not a JSON \(T.self)")
            }
        }
        let sizes = try decode([Int].self, "layer_sizes")
        guard sizes.count >= 2, sizes.allSatisfy({ $0 >= 1 }) else {
            throw SafetensorsError.invalidMetadata("layer_sizes \(sizes) must have >= 2 positive entries")
        }
        guard let activation = Activation(rawValue: try field("activation")) else {
            throw SafetensorsError.invalidMetadata("unknown activation \(meta["activation"] ?? "")")
        }
        guard let loss = LossFunction(rawValue: try field("loss")) else {
            throw SafetensorsError.invalidMetadata("unknown loss \(meta["loss"] ?? "")")
        }
        let classNames = try decode([String].self, "class_names")
        let featureNames = try decode([String].self, "feature_names")
        guard classNames.count == sizes.last! else {
            throw SafetensorsError.invalidMetadata("\(classNames.count) class names for \(sizes.last!) outputs")
        }
        guard featureNames.isEmpty || featureNames.count == sizes[0] else {
            throw SafetensorsError.invalidMetadata("\(featureNames.count) feature names for \(sizes[0]) inputs")
        }

        func tensor(_ name: String, _ shape: [Int]) throws -> [Double] {
            guard let t = tensors[name] else { throw SafetensorsError.missingTensor(name) }
            guard t.shape == shape else {
                throw SafetensorsError.shapeMismatch("\(name) has shape \(t.shape), expected \(shape)")
            }
            var values = [Double]()
            values.reserveCapacity((t.end - t.begin) / 8)
            var p = t.begin
            while p < t.end {
                var bits: UInt64 = 0
                for k in 0..<8 { bits |= UInt64(bytes[p + k]) << (8 * UInt64(k)) }
                values.append(Double(bitPattern: bits))
                p += 8
            }
            return values
        }
        var weights: [Matrix] = [], biases: [[Double]] = []
        for i in 0..<(sizes.count - 1) {
            let w = try tensor("layers.\(i).weight", [sizes[i + 1], sizes[i]])
            weights.append(Matrix(rows: sizes[i + 1], columns: sizes[i], values: w))
            biases.append(try tensor("layers.\(i).bias", [sizes[i + 1]]))
        }
        let shift = try tensor("scaler.shift", [sizes[0]])
        let scale = try tensor("scaler.scale", [sizes[0]])
        self.init(layerSizes: sizes, activation: activation, loss: loss, weights: weights, biases: biases,
                  scaler: FeatureScaler(shift: shift, scale: scale), classNames: classNames,
                  featureNames: featureNames)
    }
}
