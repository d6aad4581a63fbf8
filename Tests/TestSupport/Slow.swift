import Foundation
import Testing

extension Tag {
    /// Tests that start processes (kill -9, signals, several writers), a browser or the HTML
    /// validator, or train for long. `EXP_FAST=1 swift test` skips them (the fast inner loop);
    /// `swift test` and CI run them.
    @Tag public static var slow: Self
}

extension Trait where Self == ConditionTrait {
    /// Skips the test or suite when `EXP_FAST=1` is set; pair it with `.tags(.slow)`.
    public static var skippedWhenFast: Self {
        .enabled(if: ProcessInfo.processInfo.environment["EXP_FAST"] != "1", "slow: skipped with EXP_FAST=1")
    }
}
