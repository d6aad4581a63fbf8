import ArgumentParser
import Foundation
import Tracker

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one run: configuration, summary metrics and its learning curve.",
        discussion: """
            Example:
              exp show 12 --json
            """)

    @Argument(help: "The run id (runs.run_id).") var runID: Int
    @OptionGroup var database: DatabaseOptions
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run() throws {
        let store = try openStore(database.db, readOnly: true)
        guard let detail = try store.runDetail(id: Int64(runID)) else { throw ExpError.rejected("no run \(runID) in \(database.db)") }
        let summary = detail.summary.map { ($0.name, $0.value) }
        let curve = detail.curve.map { ($0.epoch, $0.trainLoss, $0.trainAccuracy, $0.validationLoss, $0.validationAccuracy) }
        if json {
            var object: [String: Any] = [:]
            for (name, value) in summary { object[name] = jsonValue(value) }
            if let config = summary.first(where: { $0.0 == "config" })?.1.string {
                object["config"] = try? JSONSerialization.jsonObject(with: Data(config.utf8))
            }
            object["learning_curve"] = curve.map { row -> [String: Any] in
                ["epoch": row.0, "train_loss": jsonValue(.of(row.1)), "train_accuracy": jsonValue(.of(row.2)),
                 "validation_loss": jsonValue(.of(row.3)), "validation_accuracy": jsonValue(.of(row.4))]
            }
            printJSON(object)
            return
        }
        for (name, value) in summary { print("\(name): \(textValue(value))") }
        print("learning curve (\(curve.count) epochs):")
        print("epoch\ttrain_loss\ttrain_acc\tval_loss\tval_acc")
        let step = max(1, curve.count / 20)
        for (i, row) in curve.enumerated() where i % step == 0 || i == curve.count - 1 {
            print("\(row.0)\t\(number(row.1))\t\(percent(row.2))\t\(number(row.3))\t\(percent(row.4))")
        }
    }
}

func number(_ value: Double?) -> String { value.map { String(format: "%.5g", $0) } ?? "-" }

func jsonValue(_ value: SQLValue) -> Any {
    switch value {
    case .null: return NSNull()
    case .integer(let v): return v
    case .real(let v): return v.isFinite ? v : "\(v)"
    case .text(let v): return v
    case .blob(let v): return "<\(v.count) bytes>"
    }
}

func textValue(_ value: SQLValue) -> String {
    switch value {
    case .null: return "-"
    case .integer(let v): return "\(v)"
    case .real(let v): return "\(v)"
    case .text(let v): return v
    case .blob(let v): return "<\(v.count) bytes>"
    }
}
