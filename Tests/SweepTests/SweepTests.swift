import Testing
@testable import Sweep

@Test func placeholder() { #expect(true) }
