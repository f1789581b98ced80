import Testing

@testable import ChatTransportIRC

@Suite struct IRCFormattingTests {
    @Test(arguments: [
        ("\u{02}bold\u{02} text", "bold text"),
        ("\u{03}04red\u{03} and \u{03}4,12on blue\u{0F}", "red and on blue"),
        ("\u{03},5 keeps a comma with no colour", ",5 keeps a comma with no colour"),
        ("\u{04}FF0000hex\u{04}", "hex"),
        ("\u{1D}italic\u{1F}under\u{1E}strike\u{11}mono\u{16}rev", "italicunderstrikemonorev"),
        ("2\u{03}3 digits: a colour takes at most two", "2 digits: a colour takes at most two"),
        ("no codes at all", "no codes at all"),
        ("a bell \u{07} is left for the sanitiser", "a bell \u{07} is left for the sanitiser"),
    ])
    func stripsFormattingCodesAndTheirParameters(input: String, expected: String) {
        #expect(IRCFormatting.strip(input) == expected)
    }
}
