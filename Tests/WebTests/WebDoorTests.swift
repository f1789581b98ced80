import ChatCore
import ChatProtocol
import ChatTesting
import ChatTransportTLS
import ChatTransportWeb
import Foundation
import NIOCore
import NIOSSL
import Testing

/// The web door in-process over real sockets: the page and its headers, the chat over a WebSocket with a plain TCP
/// user in the same room, the origin rule, and the WebSocket's own rules (caps, binary, pings, closes).
@Suite(.timeLimit(.minutes(2)))
struct WebDoorTests {
    @Test func thePageIsOneSelfContainedDocumentThatAReloadRevalidates() async throws {
        try await WebServer.withServer { _, webPort in
            let page = try await HTTPExchange.get("/", port: webPort)
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.header("Cache-Control") == "no-cache")
            let policy = try #require(page.header("Content-Security-Policy"))
            #expect(policy.contains("script-src 'sha256-"))
            #expect(policy.contains("default-src 'none'"))
            #expect(page.body.contains("<script>") && page.body.contains("</html>"))
            #expect(!page.body.contains("<script src"), "no script from elsewhere")
            let tag = try #require(page.header("ETag"))
            let again = try await HTTPExchange.send(
                "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(webPort)\r\nIf-None-Match: \(tag)\r\n\r\n",
                to: webPort
            )
            #expect(again.status == 304)
        }
    }

    @Test func healthzAnswersOkAndEverythingElseIsNotFound() async throws {
        try await WebServer.withServer { _, webPort in
            let health = try await HTTPExchange.get("/healthz", port: webPort)
            #expect(health.status == 200 && health.body == "ok")
            #expect(try await HTTPExchange.get("/nothing-here", port: webPort).status == 404)
            #expect(try await HTTPExchange.get("/../etc/passwd", port: webPort).status == 404)
            #expect(try await HTTPExchange.get("/", port: webPort, method: "POST").status == 405)
            let emoji = try await HTTPExchange.get("/emoji", port: webPort)
            #expect(emoji.status == 200 && emoji.body.contains("tada\t🎉\n"))
            // /ws without an upgrade is not a page.
            #expect(try await HTTPExchange.get("/ws", port: webPort).status == 426)
        }
    }

    @Test func aRequestIsAnsweredAtItsHeadSoATricklingBodyHoldsNothing() async throws {
        try await WebServer.withServer { _, webPort in
            // A body announced and never sent: the answer and the close come anyway.
            let upload = try await HTTPExchange.send(
                "POST / HTTP/1.1\r\nHost: 127.0.0.1:\(webPort)\r\nContent-Length: 1000000000\r\n\r\nfirst bytes",
                to: webPort
            )
            #expect(upload.status == 405)
            #expect(upload.header("Allow") == "GET, HEAD")
            let get = try await HTTPExchange.send(
                "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:\(webPort)\r\nContent-Length: 1000000000\r\n\r\n",
                to: webPort
            )
            #expect(get.status == 200)
        }
    }

    @Test func aBrowserUserAndATerminalUserChatInOneRoom() async throws {
        try await WebServer.withServer { server, webPort in
            let alice = try await server.join("alice")
            let browser = try await WebSocketTestClient.connect(port: webPort)
            // Structured mode from the first event: the greeting and the question are JSON.
            let greeting = try await browser.nextEvent()
            #expect(greeting.kind == .notice)
            let question = try await browser.nextEvent()
            #expect(question.kind == .prompt && question.field == "nickname")
            try await browser.send("bob")
            let welcome = try await browser.expectEvent { $0.kind == .welcome }
            #expect(welcome.to == "bob" && welcome.room == "#main")
            #expect(welcome.commands?.contains("join") == true)
            try await alice.expectLine(containing: "* bob joined #main")
            try await browser.send("hello from the browser :tada:")
            try await alice.expectLine(containing: "<bob> hello from the browser 🎉")
            try await alice.send("hello from the terminal")
            let heard = try await browser.expectEvent { $0.kind == .message && $0.from == "alice" }
            #expect(heard.text == "hello from the terminal" && heard.room == "#main")
            await browser.close()
            try await alice.expectLine(containing: "* bob left #main")
        }
    }

    @Test func anUpgradeFromAnotherSiteIsRefusedWith403() async throws {
        try await WebServer.withServer { _, webPort in
            let hijack = try await WebSocketTestClient.upgrade(port: webPort, origin: "http://evil.example")
            #expect(hijack.status == 403)
            #expect(hijack.client == nil)
            // No page, no browser to borrow: allowed.
            let script = try await WebSocketTestClient.upgrade(port: webPort, origin: nil)
            #expect(script.status == 101)
            await script.client?.close()
        }
    }

    @Test func aListedOriginMayConnect() async throws {
        let policy = OriginPolicy(extraOrigins: ["https://chat.example.org"])
        try await WebServer.withServer(originPolicy: policy) { _, webPort in
            let proxied = try await WebSocketTestClient.upgrade(port: webPort, origin: "https://chat.example.org")
            #expect(proxied.status == 101)
            await proxied.client?.close()
        }
    }

    @Test func anOverLongMessageGetsTheLineErrorAndTheConnectionStays() async throws {
        try await WebServer.withServer { server, webPort in
            let alice = try await server.join("alice")
            let browser = try await WebSocketTestClient.connect(port: webPort)
            try await browser.join(as: "bob")
            try await browser.send(String(repeating: "a", count: 4097))
            let error = try await browser.expectEvent { $0.kind == .error }
            #expect(error.text == "That line was over 4096 bytes and was discarded.")
            // Exactly at the cap is a line; fragments count together.
            try await browser.sendFrame(opcode: 0x1, payload: Array("split ".utf8), fin: false)
            try await browser.sendFrame(opcode: 0x0, payload: Array("message".utf8))
            try await alice.expectLine(containing: "<bob> split message")
            await browser.close()
        }
    }

    @Test func pingsAreAnsweredAndBinaryClosesWith1003() async throws {
        try await WebServer.withServer { _, webPort in
            let browser = try await WebSocketTestClient.connect(port: webPort)
            try await browser.join(as: "bob")
            try await browser.sendFrame(opcode: 0x9, payload: Array("are you there".utf8))
            var frame = try #require(try await browser.nextFrame())
            while frame.opcode == 0x1 { frame = try #require(try await browser.nextFrame()) }
            #expect(frame.opcode == 0xA && frame.text == "are you there")
            try await browser.sendFrame(opcode: 0x2, payload: [1, 2, 3])
            let close = try await Self.closeFrame(from: browser)
            #expect(close?.closeCode == 1003)
            #expect(try await browser.nextFrame() == nil, "the connection closed")
        }
    }

    @Test func aContinuationThatContinuesNothingClosesWith1002() async throws {
        try await WebServer.withServer { _, webPort in
            let browser = try await WebSocketTestClient.connect(port: webPort)
            try await browser.expectEvent { $0.kind == .prompt }
            try await browser.sendFrame(opcode: 0x0, payload: Array("orphan".utf8))
            #expect(try await Self.closeFrame(from: browser)?.closeCode == 1002)
        }
    }

    @Test func quittingEndsWithACloseFrame() async throws {
        try await WebServer.withServer { _, webPort in
            let browser = try await WebSocketTestClient.connect(port: webPort)
            try await browser.join(as: "bob")
            try await browser.send("/quit")
            #expect(try await Self.closeFrame(from: browser)?.closeCode == 1000)
        }
    }

    @Test func withACertificateTheDoorServesHTTPS() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let names = GeneratedCertificate.Names(listenHost: "127.0.0.1", hostName: nil, extraNames: [])
            let certificates = try TLSCertificates(source: .generated(dataDirectory: directory.path, names: names))
            try await WebServer.withServer(certificates: certificates) { server, webPort in
                var configuration = TLSConfiguration.makeClientConfiguration()
                configuration.certificateVerification = .none
                let context = try NIOSSLContext(configuration: configuration)
                let alice = try await server.join("alice")
                let browser = try await WebSocketTestClient.connect(port: webPort, tls: context)
                try await browser.join(as: "bob")
                try await browser.send("hello over https")
                try await alice.expectLine(containing: "<bob> hello over https")
                // The page's own origin is https here: the http one is another site.
                let mixed = try await WebSocketTestClient.upgrade(
                    port: webPort,
                    origin: "http://127.0.0.1:\(webPort)",
                    tls: context
                )
                #expect(mixed.status == 403)
                await browser.close()
            }
        }
    }

    /// Skips text frames until the close frame; nil if the connection ended without one.
    static func closeFrame(from client: WebSocketTestClient) async throws -> WebSocketTestClient.Frame? {
        while let frame = try await client.nextFrame() {
            if frame.opcode == 0x8 { return frame }
        }
        return nil
    }
}
