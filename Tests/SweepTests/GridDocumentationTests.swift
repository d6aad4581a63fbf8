import Foundation
import NeuralNet
import Testing
import TestSupport

/// docs/grid.md's hyperparameter table says what the schema says: every key in order, its
/// default, its allowed values and when it applies.
@Test func gridDocumentationTableMatchesTheSchema() throws {
    let docs = repositoryRoot.appendingPathComponent("docs/grid.md")
    let text = try String(contentsOf: docs, encoding: .utf8)
    let section = try #require(text.components(separatedBy: "## Hyperparameters").dropFirst().first?.components(separatedBy: "\n## ").first)
    let rows = section.split(separator: "\n").filter { $0.hasPrefix("| `") }.map { line in
        line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
    }
    let schema = HyperparameterSchema.current
    #expect(rows.map { $0[0] } == schema.names.map { "`\($0)`" })
    for (row, p) in zip(rows, schema.hyperparameters) {
        #expect(row[2] == "`\(p.defaultValue)`", "default of \(p.name)")
        #expect(row[3].replacingOccurrences(of: "`", with: "").contains(p.allowedText), "allowed values of \(p.name): \(p.allowedText)")
        let applies = ([p.appliesWhen.description.isEmpty ? "always" : p.appliesWhen.description] + [p.requirement].compactMap { $0 })
            .joined(separator: "; ")
        #expect(row[4] == applies, "when \(p.name) applies")
    }
}
