import Foundation
import Testing
import Determinism

@Suite struct SHA256HexTests {
    @Test func publishedDigestsInLowercaseHex() {
        // FIPS 180-2 appendix B examples.
        #expect(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(sha256Hex(Data("abc".utf8)) == sha256Hex("abc"))
        #expect(sha256Hex([UInt8](repeating: 0xFF, count: 3)) == "5ae7e6a42304dc6e4176210b83c43024f99a0bce9a870c3b6d2c95fc8ebfb74c")
    }

    @Test func textIsHashedAsUTF8() {
        #expect(sha256Hex("ünï") == sha256Hex(Data([0xC3, 0xBC, 0x6E, 0xC3, 0xAF])))
        #expect(sha256Hex("ünï").count == 64)
    }
}
