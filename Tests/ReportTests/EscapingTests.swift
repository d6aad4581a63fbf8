import Testing
@testable import Report

/// One escaper per output language; names from the database are hostile input.
@Suite struct EscapingTests {
    @Test func htmlReplacesMarkupCharactersByReferences() {
        #expect(Escape.html("\"'<>&") == "&quot;&#39;&lt;&gt;&amp;")
        #expect(Escape.html("<script>alert('x')</script>") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        #expect(Escape.html("&lt;") == "&amp;lt;")
        #expect(Escape.html("a|b `code`") == "a|b `code`")
        #expect(Escape.html("one\ntwo\tthree") == "one\ntwo\tthree")
        #expect(Escape.html("cr\r bell\u{7}") == "cr  bell ")
    }

    @Test func svgIsOneLineWithTheSameReferences() {
        #expect(Escape.svg("\"'<>&") == "&quot;&#39;&lt;&gt;&amp;")
        #expect(Escape.svg("a|b `code`") == "a|b `code`")
        #expect(Escape.svg("one\r\ntwo\nthree\rfour\u{2028}five") == "one two three four five")
        #expect(Escape.svg("tab\tnul\u{0}") == "tab\tnul ")
        #expect(Escape.svg("x=\"1\" onload=\"f()\"") == "x=&quot;1&quot; onload=&quot;f()&quot;")
    }

    @Test func markdownEscapesEveryCharacterThatMakesMarkup() {
        #expect(Escape.markdown("a|b") == "a\\|b")
        #expect(Escape.markdown("<script>") == "&lt;script>")
        #expect(Escape.markdown("x&y") == "x&amp;y")
        #expect(Escape.markdown("say \"hi\" & 'bye'") == "say \"hi\" &amp; 'bye'")
        #expect(Escape.markdown("one\r\ntwo\nthree\rfour") == "one two three four")
        #expect(Escape.markdown("[link](http://x) *em* `code` ~s~ a_b \\") == "\\[link\\](http://x) \\*em\\* \\`code\\` \\~s\\~ a\\_b \\\\")
        #expect(Escape.markdown("# title") == "\\# title")
        #expect(Escape.markdown("> quote") == "\\> quote")
        #expect(Escape.markdown("- item") == "\\- item")
        #expect(Escape.markdown("12. item") == "12\\. item")
        #expect(Escape.markdown("3)") == "3\\)")
        #expect(Escape.markdown("0.1") == "0.1")
        #expect(Escape.markdown("a > b # c") == "a > b # c")
    }

    @Test func slugIsLowercaseLettersDigitsAndDashes() {
        #expect(Escape.slug("Sweep|<b>") == "sweep-b")
        #expect(Escape.slug("***") == "sweep")
    }
}
