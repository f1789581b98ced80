import ChatCore
import ChatTesting
import Foundation
import Testing

/// ``RoomTopicStore``: rooms' topics, in every store.
@Suite struct RoomTopicConformanceTests {
    @Test(arguments: StoreBackend.tested)
    func keepsOneTopicPerRoomReplacingAndClearing(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let then = Date(timeIntervalSince1970: 1_700_000_000.25)
            #expect(try await store.topic(ofRoom: "#main") == nil)
            let first = RoomTopic(text: "Friday's demo: bring snacks 🎉", setBy: "alice", setAt: then)
            try await store.saveTopic(first, ofRoom: "#main")
            try await store.saveTopic(RoomTopic(text: "other", setBy: "bob", setAt: then), ofRoom: "#games")
            #expect(try await store.topic(ofRoom: "#main") == first)
            // A new topic replaces the old one; other rooms keep theirs.
            let second = RoomTopic(text: "it's 'quoted'; -- not SQL", setBy: "bob", setAt: then.addingTimeInterval(60))
            try await store.saveTopic(second, ofRoom: "#main")
            #expect(try await store.topic(ofRoom: "#main") == second)
            #expect(try await store.topic(ofRoom: "#games")?.setBy == "bob")
            // Clearing forgets it; clearing a room without one is no error.
            try await store.saveTopic(nil, ofRoom: "#main")
            try await store.saveTopic(nil, ofRoom: "#nothing")
            #expect(try await store.topic(ofRoom: "#main") == nil)
            #expect(try await store.topic(ofRoom: "#games")?.text == "other")
        }
    }
}
