import Foundation
import NIOCore
import NIOEmbedded
import Testing

@testable import ChatTransportWeb

/// ``HTTPRequestGuard`` in an `EmbeddedChannel`, its clock driven by the test: a head over the cap gets 431, one
/// that does not finish in time 408, and a good head passes untouched with the guard gone.
@Suite struct HTTPRequestGuardTests {
    func connectedChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(HTTPRequestGuard(admitsConnect: nil))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40_000)).wait()
        return channel
    }

    func statusLine(_ channel: EmbeddedChannel) throws -> String? {
        guard let answer = try channel.readOutbound(as: ByteBuffer.self) else { return nil }
        return String(buffer: answer).components(separatedBy: "\r\n").first
    }

    @Test func aHeadArrivingByteByByteInTimePassesAndTheGuardLeaves() throws {
        let channel = try self.connectedChannel()
        let request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
        for byte in request.utf8 {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        var passed = ""
        while let bytes = try channel.readInbound(as: ByteBuffer.self) { passed += String(buffer: bytes) }
        #expect(passed == request)
        #expect(throws: (any Error).self) { try channel.pipeline.syncOperations.handler(type: HTTPRequestGuard.self) }
        channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        #expect(channel.isActive, "no timer left behind")
        #expect(try channel.finish().isClean)
    }

    @Test func aHeadOverTheCapGets431AndAClose() throws {
        let channel = try self.connectedChannel()
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\n"))
        try channel.writeInbound(ByteBuffer(string: "X-Filler: " + String(repeating: "a", count: 9000)))
        #expect(try self.statusLine(channel) == "HTTP/1.1 431 Request Header Fields Too Large")
        #expect(!channel.isActive)
    }

    @Test func aHeadThatTrickles431sEvenWhenItsEndArrives() throws {
        let channel = try self.connectedChannel()
        try channel.writeInbound(
            ByteBuffer(string: "GET / HTTP/1.1\r\nX-Filler: " + String(repeating: "a", count: 8200))
        )
        #expect(try self.statusLine(channel) == "HTTP/1.1 431 Request Header Fields Too Large")
    }

    @Test func aSlowHeadGets408AtTheDeadline() throws {
        let channel = try self.connectedChannel()
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: x\r\n"))
        channel.embeddedEventLoop.advanceTime(by: HTTPRequestGuard.timeout - .milliseconds(1))
        #expect(channel.isActive)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(try self.statusLine(channel) == "HTTP/1.1 408 Request Timeout")
        #expect(!channel.isActive)
    }
}
