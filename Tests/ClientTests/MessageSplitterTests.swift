import ChatTerminal
import Testing

/// A long paste goes out whole, as several messages that each fit the server's cap; a long command is not cut.
@Suite struct MessageSplitterTests {
    @Test func aLineThatFitsGoesAsItIs() {
        #expect(MessageSplitter.split("hello world") == .send(["hello world"]))
        let exact = String(repeating: "x", count: MessageSplitter.maximumBytes)
        #expect(MessageSplitter.split(exact) == .send([exact]))
    }

    @Test func aLongLineIsSplitAtSpacesIntoPartsThatFitAndLoseNothing() throws {
        let words = (1...3000).map { "word\($0)" }
        let line = words.joined(separator: " ")
        guard case .send(let parts) = MessageSplitter.split(line) else {
            Issue.record("a chat line was refused")
            return
        }
        #expect(parts.count > 1)
        #expect(parts.allSatisfy { $0.utf8.count <= MessageSplitter.maximumBytes })
        #expect(parts.allSatisfy { !$0.hasPrefix(" ") && !$0.hasSuffix(" ") })
        #expect(parts.joined(separator: " ") == line)
    }

    @Test func aLongWordIsCutBetweenCharactersNeverInsideOne() {
        let line = String(repeating: "🎉", count: 3000)
        guard case .send(let parts) = MessageSplitter.split(line) else {
            Issue.record("a chat line was refused")
            return
        }
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { $0.utf8.count <= MessageSplitter.maximumBytes })
        #expect(parts.joined() == line)
    }

    @Test func aLongCommandIsRefusedNotCut() {
        let line = "/msg bob " + String(repeating: "a", count: 5000)
        #expect(MessageSplitter.split(line) == .commandTooLong)
    }
}
