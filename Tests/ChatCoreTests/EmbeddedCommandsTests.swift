import ChatCore
import ChatProtocol
import Testing

@Suite struct EmbeddedCommandsTests {
    static let known: Set<String> = ["cowsay", "train", "eyes"]

    func extract(_ text: String) -> (text: String, commands: [CommandInvocation]) {
        EmbeddedCommands.extract(from: text, isCommand: { Self.known.contains($0) })
    }

    func legacy(_ name: String, _ arguments: String = "") -> CommandInvocation {
        CommandInvocation(name: name, arguments: arguments, isLegacyForm: true)
    }

    @Test func splitsTheSeedsExampleIntoTextAndCommand() {
        let result = self.extract(":tada: /cowsay?Hello World/")
        #expect(result.text == ":tada:")
        #expect(result.commands == [self.legacy("cowsay", "Hello World")])
    }

    @Test(arguments: [
        ("all aboard /train/", "all aboard", "train", ""),
        ("/train/", "", "train", ""),
        ("/train/ all aboard", "all aboard", "train", ""),
        ("hi\t/train/", "hi", "train", ""),
        ("/TRAIN/ shouting", "shouting", "train", ""),
        ("look /eyes/ here", "look  here", "eyes", ""),
        ("/cowsay?  padded  /", "", "cowsay", "padded"),
        ("/cowsay?a?b/ done", "done", "cowsay", "a?b"),
        // The closing slash is the first that ends a word, so slashes inside the arguments stay arguments.
        ("see /cowsay?one/two/ rest", "see  rest", "cowsay", "one/two"),
        ("/cowsay?see http://x.y/z/", "", "cowsay", "see http://x.y/z"),
        ("/cowsay?a/ b/ c", "b/ c", "cowsay", "a"),
    ])
    func findsOneLegacyCommand(text: String, kept: String, name: String, arguments: String) {
        let result = self.extract(text)
        #expect(result.text == kept)
        #expect(result.commands == [self.legacy(name, arguments)])
    }

    @Test(arguments: [
        "see http://x.com/train/",
        "a/train/",
        "path/to/train/",
        "/nope/",
        "/nope?x/",
        "say /cowsay hi",
        "hello /cowsay hi there",
        "/cowsay?never closed",
        "/cowsay?closed/only/inside",
        // A slash right after another slash starts no word (fuzz findings), wherever the search resumes.
        "x //cowsay/",
        "//cowsay/",
        "/?x/",
        "//",
        "/ train/",
        "/tr ain/",
        "/co.wsay?x/",
        "no slash at all",
        "",
    ])
    func leavesTextWithoutLegacyCommandsAlone(text: String) {
        let result = self.extract(text)
        #expect(result.text == text)
        #expect(result.commands == [])
    }

    @Test func runsAtMostThreeCommandsFromOneMessage() {
        let result = self.extract("/train/ /eyes/ /cowsay?moo/ /train/ /eyes/")
        #expect(EmbeddedCommands.maximumPerMessage == 3)
        #expect(result.commands == [self.legacy("train"), self.legacy("eyes"), self.legacy("cowsay", "moo")])
        #expect(result.text == "/train/ /eyes/")
    }

    @Test func keepsTheTextAroundSeveralCommands() {
        let result = self.extract("one /train/ two /cowsay?moo/ three")
        #expect(result.text == "one  two  three")
        #expect(result.commands == [self.legacy("train"), self.legacy("cowsay", "moo")])
    }

    @Test func asksTheRegistryWithTheLowerCasedName() {
        var asked: [String] = []
        _ = EmbeddedCommands.extract(
            from: "/Train/",
            isCommand: {
                asked.append($0)
                return false
            }
        )
        #expect(asked == ["train"])
    }

    /// README: "Only the legacy forms (`/name?args/`, `/name/`) count, only at the start of a word, only for
    /// commands that exist": a path or an unknown name earlier in the message should not hide a later command.
    @Test(arguments: [
        "see /etc/ then /train/",
        "/nope/ /train/",
        "hello /cowsay hi /train/",
    ])
    func findsACommandAfterAWordThatIsNotOne(text: String) {
        #expect(self.extract(text).commands == [self.legacy("train")])
    }
}
