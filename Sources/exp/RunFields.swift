import ArgumentParser
import Datasets
import Foundation
import NeuralNet
import Tracker

/// The names `exp runs` filters, sorts and prints by: a `run_summary` column, a hyperparameter of
/// ``HyperparameterSchema``, a run tag (`tag.KEY`), or `config`, `tags` and `note` (printed
/// only), with the value each gives one run.
enum RunField: Equatable {
    case column(String)
    case hyperparameter(Hyperparameter)
    /// The value of the run's tag with this key.
    case tag(String)
    case config
    /// Every tag of the run, as an object.
    case tags
    /// The run's note.
    case note

    static func == (a: RunField, b: RunField) -> Bool { a.name == b.name }

    /// Every valid name, columns first, then hyperparameters in schema order, then `tag.KEY`.
    static var names: [String] { RunSelection.columns.map(\.name) + HyperparameterSchema.current.names + ["tag.KEY"] }

    /// The names only printed, not compared or sorted by.
    static let printedOnly = ["config", "tags", "note"]

    /// The field called `name`.
    /// - Throws: `ValidationError` naming the valid names when there is none, or saying what is
    ///   wrong with a tag key.
    init(_ name: String, option: String, printable: Bool = false) throws {
        if RunSelection.columns.contains(where: { $0.name == name }) {
            self = .column(name)
        } else if let p = HyperparameterSchema.current[name] {
            self = .hyperparameter(p)
        } else if name.hasPrefix("tag.") {
            let key = String(name.dropFirst(4))
            do { try Tag.validate(key: key) } catch { throw ValidationError("\(option): \(error)") }
            self = .tag(key)
        } else if printable, name == "config" {
            self = .config
        } else if printable, name == "tags" {
            self = .tags
        } else if printable, name == "note" {
            self = .note
        } else {
            throw ValidationError("\(option): unknown name '\(name)'; valid: \((Self.names + (printable ? Self.printedOnly : [])).joined(separator: ", "))")
        }
    }

    var name: String {
        switch self {
        case .column(let name): return name
        case .hyperparameter(let p): return p.name
        case .tag(let key): return "tag." + key
        case .config: return "config"
        case .tags: return "tags"
        case .note: return "note"
        }
    }

    /// True for a field read from the run's tags or note rather than its `run_summary` row.
    var isAnnotation: Bool {
        switch self {
        case .tag, .tags, .note: return true
        default: return false
        }
    }

    /// The field as the store selects by it.
    var selectionField: RunSelection.Field {
        switch self {
        case .column(let name): return .column(name)
        case .hyperparameter(let p): return .configuration(key: p.name, fallback: Self.sqlValue(p.defaultValue))
        case .tag(let key): return .tag(key: key)
        case .config, .tags, .note: return .column(name)
        }
    }

    /// `text` as a value of this field, typed by the schema or the column's kind.
    /// - Throws: `ValidationError` naming the field and what it takes.
    func value(_ text: String, for comparison: RunSelection.Comparison, option: String) throws -> SQLValue {
        func refuse(_ what: String) -> ValidationError { ValidationError("\(option): \(name) \(comparison.rawValue) '\(text)': \(what)") }
        switch self {
        case .config, .tags, .note: throw refuse("\(name) cannot be compared")
        case .tag:
            guard [.equal, .notEqual].contains(comparison) else { throw refuse("a tag takes only = or !=") }
            return .text(text)
        case .column(let column):
            if RunSelection.columns.first(where: { $0.name == column })?.isNumber == true {
                guard let number = Double(text), number.isFinite else { throw refuse("\(column) takes a number") }
                return .real(number)
            }
            if column == "status", RunStatus(rawValue: text) == nil {
                throw refuse("valid statuses: \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .text(text)
        case .hyperparameter(let p):
            switch p.kind {
            case .integer:
                guard let v = Int(text) else { throw refuse("\(p.name) takes an integer") }
                return .integer(Int64(v))
            case .number:
                guard let v = Double(text), v.isFinite else { throw refuse("\(p.name) takes a number") }
                return .real(v)
            case .choice(let names):
                guard names.contains(text) else { throw refuse("valid: \(names.joined(separator: ", "))") }
                guard [.equal, .notEqual].contains(comparison) else { throw refuse("\(p.name) takes only = or !=") }
                return .text(text)
            case .layers:
                let inner = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
                let parts = inner.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                let widths = inner.trimmingCharacters(in: .whitespaces).isEmpty ? [] : parts.compactMap { Int($0) }
                guard widths.count == (inner.trimmingCharacters(in: .whitespaces).isEmpty ? 0 : parts.count) else {
                    throw refuse("\(p.name) takes layer widths such as 8,4 or [] for none")
                }
                guard [.equal, .notEqual].contains(comparison) else { throw refuse("\(p.name) takes only = or !=") }
                return Self.sqlValue(.integers(widths))
            }
        }
    }

    /// A hyperparameter's value as `json_extract` returns it from a stored configuration.
    static func sqlValue(_ value: HyperparameterValue) -> SQLValue {
        switch value {
        case .integer(let v): return .integer(Int64(v))
        case .number(let v): return .real(v)
        case .text(let v): return .text(v)
        case .integers: return .text(value.description)
        }
    }

    /// The cells of `fields` for each run, the configuration parsed only when a hyperparameter
    /// is asked for.
    /// - Parameter annotations: the runs' tags and notes by run id (needed only for tag fields
    ///   and `note`).
    static func rows(_ runs: [RunSummary], _ fields: [RunField],
                     annotations: (tags: [Int64: [Tag]], notes: [Int64: String]) = ([:], [:])) -> [[RunCell]] {
        let needsConfiguration = fields.contains { if case .hyperparameter = $0 { return true } else { return false } }
        return runs.map { run in
            let configuration = needsConfiguration
                ? (try? JSONSerialization.jsonObject(with: Data(run.config.utf8))) as? [String: Any] : nil
            let annotation = (tags: annotations.tags[run.runID] ?? [], note: annotations.notes[run.runID])
            return fields.map { $0.cell(run, configuration: configuration, annotation: annotation) }
        }
    }

    /// This field's value for one run; `configuration` is the run's parsed configuration
    /// (needed only for hyperparameters), `annotation` its tags and note.
    func cell(_ run: RunSummary, configuration: [String: Any]?, annotation: (tags: [Tag], note: String?) = ([], nil)) -> RunCell {
        switch self {
        case .tag(let key): return annotation.tags.first { $0.key == key }.map { RunCell.text($0.value) } ?? .missing
        case .tags: return .strings(annotation.tags.map { ($0.key, $0.value) })
        case .note: return annotation.note.map(RunCell.text) ?? .missing
        case .config: return .json(run.config)
        case .hyperparameter(let p):
            guard let value = configuration?[p.name] else { return RunCell(p.defaultValue) }
            switch value {
            case let number as NSNumber: return .number(number.doubleValue)
            case let text as String: return .text(text)
            default: return (try? jsonText(value, pretty: false)).map(RunCell.json) ?? .missing
            }
        case .column(let name):
            switch name {
            case "run_id": return .integer(Int(run.runID))
            case "sweep": return .text(run.sweep)
            case "dataset": return .text(run.dataset)
            case "config_sha256": return .text(run.configSHA256)
            case "seed": return .integer(run.seed)
            case "fold": return .integer(run.fold)
            case "repeat": return .integer(run.repeat)
            case "outer_fold": return .integer(run.outerFold)
            case "phase": return .text(run.phase)
            case "status": return .text(run.status.rawValue)
            case "validation_accuracy": return .of(run.validationAccuracy)
            case "validation_loss": return .of(run.validationLoss)
            case "test_accuracy": return .of(run.testAccuracy)
            case "train_accuracy": return .of(run.trainAccuracy)
            case "best_epoch": return run.bestEpoch.map(RunCell.integer) ?? .missing
            case "epochs_run": return run.epochsRun.map(RunCell.integer) ?? .missing
            case "duration_seconds": return .of(run.durationSeconds)
            default:
                if let metric = RankingMetric.added.first(where: { $0.validationColumn == name }) { return .of(run.validationMetrics[metric]) }
                if let metric = RankingMetric.added.first(where: { $0.testColumn == name }) { return .of(run.testMetrics[metric]) }
                return .missing
            }
        }
    }
}

/// One printed value of a run.
enum RunCell {
    case integer(Int), number(Double), text(String), json(String), missing
    /// Text by key (a run's tags), sorted by key.
    case strings([(key: String, value: String)])

    static func of(_ value: Double?) -> RunCell { value.map(RunCell.number) ?? .missing }

    init(_ value: HyperparameterValue) {
        switch value {
        case .integer(let v): self = .integer(v)
        case .number(let v): self = .number(v)
        case .text(let v): self = .text(v)
        case .integers: self = .json(value.description)
        }
    }

    /// The cell in a table: accuracies in percent, other numbers in 5 significant digits.
    func table(percent asPercent: Bool) -> String {
        switch self {
        case .integer(let v): return "\(v)"
        case .number(let v): return asPercent ? percent(v) : (v.isFinite ? String(format: "%.5g", v) : "\(v)")
        case .text(let v), .json(let v): return v
        case .strings(let pairs): return pairs.isEmpty ? "-" : pairs.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        case .missing: return "-"
        }
    }

    /// The cell in CSV: numbers as numbers, text safe from spreadsheets running it as a formula.
    var csv: String {
        switch self {
        case .integer(let v): return "\(v)"
        case .number(let v): return HyperparameterValue.text(of: v)
        case .text(let v), .json(let v): return formulaSafeCSVField(v)
        case .strings(let pairs): return formulaSafeCSVField(RunCell.jsonObject(pairs))
        case .missing: return ""
        }
    }
}
