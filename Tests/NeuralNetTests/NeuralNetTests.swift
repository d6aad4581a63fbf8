import Testing
@testable import NeuralNet

@Test func placeholder() { #expect(true) }
