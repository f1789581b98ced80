import ChatProtocol
import Testing

@testable import ChatCore

/// One session per nickname, compared without case.
@Suite struct NicknameDirectoryTests {
    let alice = try! Nickname(validating: "Alice")
    let bob = try! Nickname(validating: "bob")

    @Test func aClaimedNicknameIsTakenInEveryCase() throws {
        var directory = NicknameDirectory()
        let id = SessionID.next()
        #expect(!directory.isTaken(self.alice))
        directory.claim(self.alice, for: id)
        #expect(directory.isTaken(try Nickname(validating: "ALICE")))
        #expect(directory.sessionID(of: "aLiCe") == id)
        #expect(directory.sessionID(of: "bob") == nil)
    }

    @Test func aReleasedNicknameIsFreeForTheNextComer() {
        var directory = NicknameDirectory()
        directory.claim(self.alice, for: SessionID.next())
        directory.release(self.alice)
        #expect(!directory.isTaken(self.alice))
        #expect(directory.sessionID(of: "alice") == nil)
    }

    @Test func lookingUpAnInvalidNameFindsNobody() {
        var directory = NicknameDirectory()
        directory.claim(self.alice, for: SessionID.next())
        #expect(directory.sessionID(of: "no such name!") == nil)
        #expect(directory.sessionID(of: "") == nil)
    }

    @Test func aRenameMayTakeAFreeNameOrOnesOwnInAnotherCaseButNotSomeoneElses() throws {
        var directory = NicknameDirectory()
        directory.claim(self.alice, for: SessionID.next())
        directory.claim(self.bob, for: SessionID.next())
        #expect(directory.isFree(try Nickname(validating: "carol"), forRenaming: self.alice))
        #expect(directory.isFree(try Nickname(validating: "ALICE"), forRenaming: self.alice))
        #expect(!directory.isFree(try Nickname(validating: "Bob"), forRenaming: self.alice))
    }

    @Test func aRenameFreesTheOldNameAndClaimsTheNew() throws {
        var directory = NicknameDirectory()
        let id = SessionID.next()
        directory.claim(self.alice, for: id)
        let carol = try Nickname(validating: "carol")
        directory.rename(id, from: self.alice, to: carol)
        #expect(directory.sessionID(of: "carol") == id)
        #expect(!directory.isTaken(self.alice))
    }

    @Test func aRenameToOnesOwnNameInAnotherCaseKeepsItTaken() throws {
        var directory = NicknameDirectory()
        let id = SessionID.next()
        directory.claim(self.alice, for: id)
        directory.rename(id, from: self.alice, to: try Nickname(validating: "ALICE"))
        #expect(directory.sessionID(of: "alice") == id)
    }
}
