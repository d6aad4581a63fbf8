import Testing
import Determinism

@Suite struct GeneratorStateTests {
    @Test func restoredGeneratorContinuesTheSameSequence() throws {
        var a = Xoshiro256StarStar(seed: 42)
        for _ in 0..<17 { _ = a.next() }
        var b = try #require(Xoshiro256StarStar(state: a.state))
        let fromA = (0..<100).map { _ in a.next() }
        let fromB = (0..<100).map { _ in b.next() }
        #expect(fromA == fromB)
        #expect(a.state == b.state)
    }

    @Test func refusesAnAllZeroOrShortState() {
        #expect(Xoshiro256StarStar(state: [0, 0, 0, 0]) == nil)
        #expect(Xoshiro256StarStar(state: [1, 2, 3]) == nil)
    }
}
