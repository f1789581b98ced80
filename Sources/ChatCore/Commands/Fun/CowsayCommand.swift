import ChatProtocol

/// `/cowsay [-f COW] [-e EYES] TEXT` and `/cowthink …`: the real tool when it is installed, our renderer when not.
public struct CowsayCommand: ChatCommand {
    public let descriptor: CommandDescriptor
    let style: CowsayRenderer.Style

    /// `/cowsay` (also `/xcowsay`, the seeds' name) or `/cowthink`.
    public init(style: CowsayRenderer.Style) {
        self.style = style
        switch style {
        case .say:
            self.descriptor = CommandDescriptor(
                name: "cowsay",
                aliases: ["xcowsay"],
                usage: "[-f COW] [-e EYES] TEXT",
                summary: "a cow says TEXT to the room (/cowsay -f list shows the cows)"
            )
        case .think:
            self.descriptor = CommandDescriptor(
                name: "cowthink",
                usage: "[-f COW] [-e EYES] TEXT",
                summary: "a cow thinks TEXT, in a thought bubble"
            )
        }
    }

    /// The parsed command line: options first, then text (a later `-x` is text, not an option).
    struct Request: Equatable {
        var cow: String?
        var eyes: String?
        var text: String
    }

    static func parse(_ words: [String]) -> Request {
        var request = Request(text: "")
        var index = 0
        while index < words.count {
            let word = words[index]
            if word == "--" {
                index += 1
                break
            }
            if word == "-f" || word == "-e", index + 1 < words.count {
                if word == "-f" { request.cow = words[index + 1] } else { request.eyes = words[index + 1] }
                index += 2
                continue
            }
            break
        }
        request.text = words[index...].joined(separator: " ")
        return request
    }

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        let request = Self.parse(invocation.words)
        let tools = context.services.tools
        let tool = self.style == .say ? "cowsay" : "cowthink"
        let realTool = tools.path(of: tool)
        let cows = realTool != nil && !tools.cows.isEmpty ? tools.cows : Cow.builtIn.map(\.name)

        if request.cow == "list" || (request.text.isEmpty && request.cow != nil) {
            context.notice("Cows: " + cows.joined(separator: ", "))
            return
        }
        guard !request.text.isEmpty else { throw CommandError.usage(self.descriptor) }
        if let cow = request.cow, !cows.contains(cow) {
            throw CommandError.failed("There is no cow called \"\(cow)\"; /\(self.descriptor.name) -f list shows them.")
        }

        if let realTool {
            var arguments: [String] = []
            if let cow = request.cow { arguments += ["-f", cow] }
            if let eyes = request.eyes { arguments += ["-e", eyes] }
            arguments += ["--", request.text]
            try await context.runExternal(invocation, executable: realTool, arguments: arguments, toRoom: true)
            return
        }
        let lines = CowsayRenderer.render(
            request.text,
            style: self.style,
            cow: request.cow.flatMap(Cow.named) ?? .default,
            eyes: request.eyes ?? "oo"
        )
        try await context.hub.postBlock(
            lines,
            command: self.descriptor.name,
            arguments: invocation.arguments,
            from: context.session,
            toRoom: true
        )
    }
}
