import Testing
@testable import Report

@Test func placeholder() { #expect(true) }
