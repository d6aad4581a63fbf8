import Foundation
import Testing
import TestSupport

/// `exp export`: runs, configurations (`--wide`) and epochs as CSV or JSON for pandas.
@Suite struct ExportTests {
    func folder() throws -> URL {
        try sweptIrisFolder(name: "grid", seeds: [1, 2], grid: #"{"epochs": [4], "hidden_layers": [[3]], "learning_rate": [0.05, 0.5]}"#)
    }

    func csv(_ text: String) -> (header: [String], rows: [[String]]) {
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return (lines.first ?? [], Array(lines.dropFirst()))
    }

    @Test func oneRowPerRunWithParamColumns() throws {
        let dir = try folder()
        let exported = try exp(["export", "--sweep", "grid", "--format", "csv"], in: dir)
        #expect(exported.status == 0, "\(exported.stderr)")
        let (header, rows) = csv(exported.stdout)
        #expect(header.first == "run_id")
        #expect(header.contains("param_learning_rate") && header.contains("param_hidden_layers") && header.contains("validation_accuracy"))
        #expect(rows.count == 4)
        let rate = header.firstIndex(of: "param_learning_rate")!
        #expect(Set(rows.map { $0[rate] }) == ["0.05", "0.5"])
        let accuracy = header.firstIndex(of: "validation_accuracy")!
        #expect(rows.allSatisfy { Double($0[accuracy]).map { (0...1).contains($0) } == true })

        let json = try exp(["export", "--sweep", "grid", "--format", "json"], in: dir)
        let records = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(records.count == 4)
        #expect(records.first?["param_hidden_layers"] as? [Int] == [3])
        #expect(Set(records.first?.keys ?? [:].keys) == Set(header))
    }

    @Test func wideAndEpochs() throws {
        let dir = try folder()
        let wide = try exp(["export", "--sweep", "grid", "--wide"], in: dir)
        #expect(wide.status == 0, "\(wide.stderr)")
        let (header, rows) = csv(wide.stdout)
        #expect(rows.count == 2)
        let split0 = try #require(header.firstIndex(of: "split0_validation_accuracy"))
        let split1 = try #require(header.firstIndex(of: "split1_validation_accuracy"))
        let mean = try #require(header.firstIndex(of: "mean_validation_accuracy"))
        let rank = try #require(header.firstIndex(of: "rank_validation_accuracy"))
        #expect(rows.map { $0[rank] } == ["1", "2"])
        for row in rows {
            #expect(abs((Double(row[split0])! + Double(row[split1])!) / 2 - Double(row[mean])!) < 1e-12)
        }
        #expect(Double(rows[0][mean])! >= Double(rows[1][mean])!)

        let epochs = try exp(["export", "--sweep", "grid", "--epochs"], in: dir)
        let (epochHeader, epochRows) = csv(epochs.stdout)
        #expect(epochHeader.prefix(2) == ["run_id", "epoch"])
        #expect(epochRows.count == 4 * 4)

        let missing = try exp(["export", "--sweep", "nosuch"], in: dir)
        #expect(missing.status == 2 && missing.stderr.contains("no sweep 'nosuch'"))
        let format = try exp(["export", "--sweep", "grid", "--format", "xlsx"], in: dir)
        #expect(format.status == 2)
    }
}
