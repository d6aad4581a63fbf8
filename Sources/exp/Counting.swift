/// `count` and a noun, plural unless the count is one: `1 run`, `5 seeds`, `0 configurations`.
/// Nouns whose plural adds an s only (every noun `exp` counts).
func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
