import ChatCore
import ChatEmoji
import Testing

@Suite struct EmojiTests {
    let table = EmojiTable.standard

    // MARK: Looking up one shortcode

    @Test(arguments: [
        ("smile", "😄"),
        ("+1", "👍"),
        ("thumbsup", "👍"),
        ("thumbs_up", "👍"),
        ("-1", "👎"),
        ("heart", "❤️"),
        ("tada", "🎉"),
        ("thumbs_up_dark_skin_tone", "👍🏿"),
    ])
    func findsTheEmojiForAShortcode(shortcode: String, emoji: String) {
        #expect(self.table.emoji(for: shortcode) == emoji)
    }

    @Test func heartIsTheRedHeartWithItsEmojiPresentationSelector() {
        #expect(self.table.emoji(for: "heart")?.unicodeScalars.map(\.value) == [0x2764, 0xFE0F])
    }

    @Test(arguments: ["TADA", "Tada", "tAdA", "ThumbsUp", "THUMBS_UP_DARK_SKIN_TONE"])
    func lookupIgnoresCase(shortcode: String) {
        #expect(self.table.emoji(for: shortcode) != nil)
        #expect(self.table.emoji(for: shortcode) == self.table.emoji(for: shortcode.lowercased()))
    }

    @Test(arguments: ["", "foo", ":tada:", "tada ", "ta da", "smiley_face_that_does_not_exist"])
    func unknownShortcodesHaveNoEmoji(shortcode: String) {
        #expect(self.table.emoji(for: shortcode) == nil)
    }

    @Test func theTableHoldsThousandsOfSortedUniqueShortcodes() {
        let shortcodes = self.table.shortcodes
        #expect(shortcodes.count > 1500)
        #expect(shortcodes == shortcodes.sorted())
        #expect(Set(shortcodes).count == shortcodes.count)
        #expect(shortcodes.allSatisfy { $0 == $0.lowercased() && !$0.contains(":") })
    }

    // MARK: Expanding text

    @Test(arguments: [
        (":tada:", "🎉"),
        (":TADA:", "🎉"),
        ("party :tada: time", "party 🎉 time"),
        (":+1: and :thumbsup:", "👍 and 👍"),
        (":tada::tada:", "🎉🎉"),
        (":smile::heart:", "😄❤️"),
        ("at 10:30 :tada:", "at 10:30 🎉"),
        (":nope::tada:", ":nope:🎉"),
        ("::tada:", ":🎉"),
        ("a:nope:tada:", "a:nope🎉"),
        (":thumbs_up_dark_skin_tone:", "👍🏿"),
    ])
    func replacesKnownShortcodes(text: String, expected: String) {
        #expect(self.table.expand(text) == expected)
    }

    @Test(arguments: [
        "",
        "plain text without colons",
        ":foo:",
        "say :foo: twice :foo:",
        ":",
        "::",
        ":::",
        "trailing colon:",
        ":tada",
        "tada:",
        ": tada :",
        ":ta da:",
        "10:30:45",
        "std::vector",
        "http://example.com:8080/",
    ])
    func leavesTextWithoutKnownShortcodesUnchanged(text: String) {
        #expect(self.table.expand(text) == text)
    }

    @Test func ignoresNamesLongerThanAnyShortcode() {
        let long = ":" + String(repeating: "a", count: 200) + ":tada:"
        #expect(self.table.expand(long) == ":" + String(repeating: "a", count: 200) + "🎉")
    }

    // MARK: Searching

    @Test func searchPutsTheExactMatchFirst() throws {
        let results = self.table.search("heart")
        let first = try #require(results.first)
        #expect(first.shortcode == "heart")
        #expect(first.emoji == "❤️")
        #expect(results.allSatisfy { $0.shortcode.contains("heart") })
        #expect(results.count > 10)
    }

    @Test func searchListsSkinToneVariantsAfterEveryPlainOne() throws {
        let results = self.table.search("heart").map(\.shortcode)
        let firstToned = try #require(results.firstIndex { $0.contains("skin_tone") })
        #expect(results[firstToned...].allSatisfy { $0.contains("skin_tone") })
        #expect(results[..<firstToned].contains("couple_with_heart"))
    }

    @Test func searchListsShorterNamesFirstAmongPlainOnes() {
        let plain = self.table.search("heart").map(\.shortcode).filter { !$0.contains("skin_tone") }
        #expect(plain.map(\.count) == plain.map(\.count).sorted())
    }

    @Test func searchForATonePutsTheMatchingToneFirst() throws {
        let results = self.table.search(":thumbs_up_dark_skin_tone:")
        #expect(results.first?.shortcode == "thumbs_up_dark_skin_tone")
        #expect(results.first?.emoji == "👍🏿")
    }

    @Test func searchIgnoresCaseAndFindsNothingForNonsense() {
        #expect(self.table.search("TADA").first?.shortcode == "tada")
        #expect(self.table.search("zzzqqqxxx").isEmpty)
    }
}
