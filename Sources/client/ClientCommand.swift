import ArgumentParser
import ChatCore
import Foundation
import UnixSignals

/// `client HOST PORT NICKNAME`: join a slashchat server from the terminal.
@main
struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client",
        abstract: "Chat on a slashchat server.",
        discussion: """
            Type a line to talk to your room; /help lists the commands. /quit, Ctrl-D (end of input) or Ctrl-C \
            leave. With input from a pipe, the lines are sent and the client leaves after the last one.
            """
    )

    @Argument(help: "The server's address.")
    var host: String

    @Argument(help: "The server's port.")
    var port: Int

    @Argument(help: "Your nickname: 1-32 letters, digits, _ - or .")
    var nickname: String

    func validate() throws {
        guard (1...65535).contains(self.port) else { throw ValidationError("PORT must be between 1 and 65535.") }
        do {
            _ = try Nickname(validating: self.nickname)
        } catch {
            throw ValidationError("Invalid nickname \"\(Sanitizer.clean(self.nickname))\": \(error).")
        }
    }

    func run() async throws {
        let client = ChatClient(host: self.host, port: self.port, nickname: self.nickname)
        let (quitRequests, requestQuit) = AsyncStream.makeStream(of: Void.self)
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let signalWatcher = Task {
            for await _ in signals { requestQuit.yield() }
        }
        defer { signalWatcher.cancel() }

        let ending: ChatClient.Ending
        do {
            ending = try await client.run(input: StandardInput.lines(), quitRequests: quitRequests) { event in
                for line in EventRenderer.lines(for: event) {
                    StandardOutput.writeLine(line)
                }
            }
        } catch {
            Self.printError("Cannot connect to \(self.host):\(self.port): \(error)")
            throw ExitCode(2)
        }
        if ending == .connectionLost {
            Self.printError("The connection to \(self.host):\(self.port) was closed by the server.")
            throw ExitCode(1)
        }
    }

    private static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
