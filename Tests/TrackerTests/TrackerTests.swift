import Testing
@testable import Tracker

@Test func placeholder() { #expect(true) }
