import Foundation
import Testing
import TestSupport
@testable import Datasets

/// Access to the field-case files in `Fixtures/` and the real data sets in the repository's `Data/`.
enum Fixture {
    static func url(_ file: String) throws -> URL {
        try #require(Bundle.module.url(forResource: file, withExtension: nil, subdirectory: "Fixtures"),
                     "fixture \(file) is missing")
    }

    static func read(_ file: String, options: ImportOptions = .init()) throws -> Dataset {
        try DataFile.read(url(file), options: options)
    }

    /// Parses the fixture under its bare file name and returns the import error it must raise.
    static func importError(_ file: String, options: ImportOptions = .init()) throws -> DataImportError {
        let data = try Data(contentsOf: url(file))
        do {
            let dataset = try DataFile.parse(data, file: file, name: file, options: options)
            Issue.record("expected an import error, read \(dataset.rowCount) rows")
            throw FixtureFailure.noError
        } catch let error as DataImportError {
            return error
        }
    }

    /// The repository's `Data/` folder, found from this source file.
    static var dataFolder: URL {
        repositoryRoot.appendingPathComponent("Data")
    }

    enum FixtureFailure: Error { case noError }
}

/// Parses `text` with `options`, expecting an import error.
func importError(_ text: String, options: ImportOptions = .init()) throws -> DataImportError {
    do {
        let dataset = try DataFile.parse(text, file: "t.csv", name: "t", options: options)
        Issue.record("expected an import error, read \(dataset.rowCount) rows")
        throw Fixture.FixtureFailure.noError
    } catch let error as DataImportError {
        return error
    }
}

typealias Problem = DataImportError.Problem

/// Row `row` of `dataset`'s feature matrix.
func featureRow(_ dataset: Dataset, _ row: Int) -> [Double] {
    dataset.rows([row]).features
}

/// Class names of every row, in row order.
func labelNames(_ dataset: Dataset) -> [String] {
    dataset.labels.map { dataset.classNames[$0] }
}
