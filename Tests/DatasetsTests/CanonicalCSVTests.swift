import Determinism
import Foundation
import Testing
@testable import Datasets

/// The canonical CSV text, its inverse and the content hash.
@Suite struct CanonicalCSVTests {
    @Test func canonicalTextIsExact() {
        let dataset = Dataset(name: "t", featureNames: ["a", "b,c", " d", "say \"hi\""], classNames: ["", "x y", "z\nw"],
                              features: [1, 0.1, -2.5e-7, 1e21, 0, -0.5, 3, 4], labels: [1, 2])
        let expected = "a,\"b,c\",\" d\",\"say \"\"hi\"\"\",class\n"
            + "1.0,0.1,-2.5e-07,1e+21,x y\n"
            + "0.0,-0.5,3.0,4.0,\"z\nw\"\n"
        #expect(dataset.canonicalCSV == expected)
    }

    @Test func csvFieldQuotesWhatAReaderCouldMisread() {
        #expect(csvField("plain") == "plain")
        #expect(csvField("a b") == "a b")
        #expect(csvField("ünïcødé") == "ünïcødé")
        #expect(csvField("a,b") == "\"a,b\"")
        #expect(csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(csvField("line\nbreak") == "\"line\nbreak\"")
        #expect(csvField("cr\ronly") == "\"cr\ronly\"")
        #expect(csvField("cr\r\nlf") == "\"cr\r\nlf\"")
        #expect(csvField(" lead") == "\" lead\"")
        #expect(csvField("trail ") == "\"trail \"")
        #expect(csvField("\ttab") == "\"\ttab\"")
        #expect(csvField("") == "\"\"")
        #expect(csvField("'") == "'")
    }

    @Test func formulaSafeFieldsNeverStartAFormula() {
        #expect(formulaSafeCSVField("=1+1") == "'=1+1")
        #expect(formulaSafeCSVField("+41") == "'+41")
        #expect(formulaSafeCSVField("-2,3") == "\"'-2,3\"")
        #expect(formulaSafeCSVField("@SUM(A1)") == "'@SUM(A1)")
        #expect(formulaSafeCSVField("\tcmd") == "'\tcmd")
        #expect(formulaSafeCSVField("iris") == "iris")
        #expect(formulaSafeCSVField("a=b") == "a=b")
        #expect(formulaSafeCSVField("") == "\"\"")
    }

    @Test func contentHashIsSHA256OfTheCanonicalText() {
        let dataset = Dataset(name: "t", featureNames: ["a"], classNames: ["x", "y"], features: [1, 2.5], labels: [0, 1])
        #expect(dataset.canonicalCSV == "a,class\n1.0,x\n2.5,y\n")
        // sha256 of "a,class\n1.0,x\n2.5,y\n", computed outside Swift.
        #expect(dataset.contentHash == "28924be5361ba3af12ce30cd653ecbc6087e40b55e82f7182bc0022d0c134b84")
    }

    @Test func hashIgnoresFormattingButNotContentOrName() throws {
        let plain = try DataFile.parse("a,b,class\n1,2.50,x\n3,4,y\n", file: "p", name: "p")
        let dressed = try DataFile.parse("\u{FEFF}\"a\" , b ,\"class\"\r\n 1.0 ,\t2.5, \"x\"\r\n\r\n3e0,4,y\r\n  \r\n",
                                         file: "d", name: "d")
        #expect(plain.contentHash == dressed.contentHash)
        #expect(plain.name != dressed.name)
        let changed = try DataFile.parse("a,b,class\n1,2.51,x\n3,4,y\n", file: "c", name: "c")
        #expect(changed.contentHash != plain.contentHash)
        let renamed = try DataFile.parse("a,B,class\n1,2.5,x\n3,4,y\n", file: "c", name: "c")
        #expect(renamed.contentHash != plain.contentHash)
        #expect(plain.contentHash.count == 64)
        #expect(plain.contentHash.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func changingContentRecomputesTheHash() {
        var dataset = Dataset(name: "t", featureNames: ["a"], classNames: ["x", "y"], features: [1, 2], labels: [0, 1])
        let before = dataset.contentHash
        dataset.features[0] = 7
        #expect(dataset.contentHash != before)
        #expect(dataset.contentHash == sha256Hex(dataset.canonicalCSV))
        dataset.features[0] = 1
        #expect(dataset.contentHash == before)
        dataset.name = "renamed"
        #expect(dataset.contentHash == before)
    }

    @Test func rowsAndClassCounts() {
        let dataset = Dataset(name: "t", featureNames: ["a", "b"], classNames: ["x", "y", "z"],
                              features: [1, 2, 3, 4, 5, 6], labels: [2, 0, 2])
        let subset = dataset.rows([2, 0])
        #expect(subset.features == [5, 6, 1, 2])
        #expect(subset.labels == [2, 2])
        #expect(dataset.rows([]).features.isEmpty)
        #expect(dataset.classCounts == [1, 0, 2])
        #expect(dataset.rowCount == 3)
        #expect(dataset.featureCount == 2)
    }

    /// Names that trip up naive CSV readers and writers.
    static let awkwardNames = ["", "1", "2.5", "NA", "?", " lead", "trail\t", "a,b", "q\"q", "line\nbreak",
                               "cr\r\nlf", "ünïcødé", "class", "x1", "#", "'"]

    static func randomDataset(seed: UInt64) -> Dataset {
        var random = Xoshiro256StarStar(seed: seed)
        func pick<T>(_ items: [T]) -> T { items[Int(random.nextIntByModulo(below: UInt64(items.count)))] }
        let featureCount = Int(random.nextIntByModulo(below: 5))
        let featureNames = (0..<featureCount).map { _ in pick(awkwardNames + ["f"]) }
        var classNames = Set<String>()
        let classCount = 1 + Int(random.nextIntByModulo(below: 4))
        while classNames.count < classCount { classNames.insert(pick(awkwardNames) + String(random.nextIntByModulo(below: 3))) }
        if random.nextIntByModulo(below: 4) == 0 { classNames.insert("") }
        let sortedClasses = ClassOrder.sorted(classNames)
        let rowCount = sortedClasses.count + Int(random.nextIntByModulo(below: 20))
        // Every class gets a row; the rest are random.
        var labels = Array(sortedClasses.indices)
        labels += (sortedClasses.count..<rowCount).map { _ in Int(random.nextIntByModulo(below: UInt64(sortedClasses.count))) }
        random.shuffle(&labels, by: .modulo)
        let specials: [Double] = [0, -0.0, 0.1, 0.1 + 0.2, 1e-300, Double.leastNonzeroMagnitude, 1e300, -Double.greatestFiniteMagnitude, 123456789.125]
        let features = (0..<(rowCount * featureCount)).map { _ -> Double in
            if random.nextIntByModulo(below: 3) == 0 { return pick(specials) }
            let bits = random.next()
            let value = Double(bitPattern: bits)
            return value.isFinite ? value : Double(Int64(bitPattern: bits)) / 1e6
        }
        return Dataset(name: "random-\(seed)", featureNames: featureNames, classNames: sortedClasses,
                       features: features, labels: labels)
    }

    @Test(arguments: 0..<200)
    func fromCanonicalCSVIsTheExactInverse(seed: Int) throws {
        let dataset = Self.randomDataset(seed: UInt64(seed))
        let back = try Dataset.fromCanonicalCSV(name: dataset.name, text: dataset.canonicalCSV)
        #expect(back == dataset)
        #expect(back.features.map { $0.bitPattern } == dataset.features.map { $0.bitPattern })
        #expect(back.contentHash == dataset.contentHash)
    }

    /// Content hashes are stored forever: the canonical text of awkward random data sets, pinned
    /// through the hash of their content hashes.
    @Test func canonicalTextOfRandomDataSetsIsPinned() {
        let hashes = (0..<200).map { Self.randomDataset(seed: UInt64($0)).contentHash }
        #expect(hashes[0] == "0dae717722cdf2ad99f3c350cae0d0a76a32d4d19ebeae5e31a84b95ec06f723")
        #expect(sha256Hex(hashes.joined(separator: "\n")) == "d98be0999d9b38de2337674bf347edfeeabee9455452e67f866e8d45eb7c2500")
    }

    @Test func fromCanonicalCSVReportsBadText() throws {
        do {
            _ = try Dataset.fromCanonicalCSV(name: "run-7", text: "a,class\n1.0,x\nnan,y\n2.0\n")
            Issue.record("expected an error")
        } catch let error as DataImportError {
            #expect(error.file == "run-7")
            #expect(error.problems == [
                Problem(line: 3, column: 1, message: "'nan' is not a finite number"),
                Problem(line: 4, message: "1 field, 2 expected"),
            ])
        }
    }
}
