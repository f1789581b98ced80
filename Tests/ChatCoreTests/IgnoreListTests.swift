import ChatProtocol
import Testing

@testable import ChatCore

/// The rules of `/ignore` and `/unignore`, without a hub.
@Suite struct IgnoreListTests {
    let alice = try! Nickname(validating: "alice")

    @Test func ignoringSomeoneKeepsTheirNameWithoutCase() throws {
        var list = IgnoreList()
        let added = try list.add("Troll", by: self.alice)
        #expect(added.name == "Troll")
        #expect(list.contains("troll"))
        #expect(list.sorted == ["troll"])
        #expect(!list.isEmpty)
    }

    @Test(arguments: [
        ("bad name!", "\"bad name!\" is not a valid nickname."),
        ("ALICE", "You cannot ignore yourself."),
    ])
    func refusesWhatCannotBeIgnored(name: String, refusal: String) {
        var list = IgnoreList()
        #expect(throws: CommandError.failed(refusal)) { try list.add(name, by: self.alice) }
        #expect(list.isEmpty)
    }

    @Test func refusesToIgnoreTheSameNameTwice() throws {
        var list = IgnoreList()
        _ = try list.add("troll", by: self.alice)
        #expect(throws: CommandError.failed("You are already ignoring TROLL.")) {
            try list.add("TROLL", by: self.alice)
        }
    }

    @Test func refusesOneMoreThanTheMaximum() throws {
        var list = IgnoreList()
        for index in 0..<IgnoreList.maximum {
            _ = try list.add("someone\(index)", by: self.alice)
        }
        #expect(
            throws: CommandError.failed(
                "You are ignoring 100 people, the most there can be; /unignore someone first."
            )
        ) { try list.add("onemore", by: self.alice) }
        #expect(list.count == 100)
    }

    @Test func unignoringGivesBackTheKeyAndRefusesSomeoneNotIgnored() throws {
        var list = IgnoreList()
        _ = try list.add("troll", by: self.alice)
        #expect(try list.remove("Troll") == "troll")
        #expect(list.isEmpty)
        #expect(throws: CommandError.failed("You are not ignoring Troll.")) { try list.remove("Troll") }
    }

    @Test func aRestoredListIsCutToTheMaximum() {
        var list = IgnoreList()
        list.restore((0..<150).map { "someone\($0)" })
        #expect(list.count == IgnoreList.maximum)
        #expect(list.contains("someone0") && !list.contains("someone100"))
    }

    @Test func ignoringFollowsARenameAndLeavesOthersAlone() throws {
        var list = IgnoreList()
        _ = try list.add("troll", by: self.alice)
        list.follow(try Nickname(validating: "bob"), to: try Nickname(validating: "carol"))
        #expect(list.sorted == ["troll"])
        list.follow(try Nickname(validating: "troll"), to: try Nickname(validating: "Troll2"))
        #expect(list.sorted == ["troll2"])
    }
}
