/// What a line of chat input means: a message to the room, or a command. Parsed once per line.
public enum ParsedLine: Sendable, Equatable {
    /// Text for the room; legacy commands riding inside it run (``EmbeddedCommands``).
    case message(String)
    /// A line that started with `//`: text for the room, as typed after its first `/`, with nothing in it run.
    case literal(String)
    /// A `/command`, in either the modern or the legacy form.
    case command(CommandInvocation)
    /// A lone `/` (or `/` followed by a space): there is no command name to look up.
    case missingCommandName

    /// Parses one sanitised line of input: the output of ``Sanitizer/clean(_:)``, or of
    /// ``Sanitizer/markingRemovals(_:)`` so that a command can refuse a name that held removed characters.
    /// A message keeps the markers, because commands riding inside it need them too: it goes through
    /// ``EmbeddedCommands/extract(from:isCommand:)``, which returns the clean text.
    public init(_ line: String) {
        guard line.hasPrefix("/") else {
            self = .message(line)
            return
        }
        if line.hasPrefix("//") {
            self = .literal(Sanitizer.removingMarkers(String(line.dropFirst())))
            return
        }
        guard let invocation = CommandInvocation(parsing: line) else {
            self = .missingCommandName
            return
        }
        self = .command(invocation)
    }
}

/// A command as typed: its name and its arguments, from either `/name args` or the seeds' legacy
/// `/name?args/` and `/name/` forms.
public struct CommandInvocation: Sendable, Equatable {
    /// The command name, lower-cased, without the slash.
    public let name: String
    /// Everything after the name, trimmed: the raw argument text.
    public let arguments: String
    /// True for `/name?args/` and `/name/`.
    public let isLegacyForm: Bool
    /// ``arguments`` with a ``Sanitizer/removalMarker`` wherever the sanitizer removed something (the same text
    /// when nothing was), so ``nameArgument(_:)`` can refuse a name that was cleaned rather than typed.
    public let markedArguments: String

    /// The arguments split on runs of spaces and tabs.
    public var words: [String] {
        self.arguments.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// Creates an invocation directly (tests, the admin console). `name` and `arguments` may carry the markers
    /// of ``Sanitizer/markingRemovals(_:)``; the public fields never do.
    public init(name: String, arguments: String = "", isLegacyForm: Bool = false) {
        self.name = Sanitizer.removingMarkers(name).lowercased()
        // A marker at either end stood for something removed there: what is left is trimmed like any arguments.
        self.arguments =
            Sanitizer.containsMarker(arguments)
            ? Sanitizer.removingMarkers(arguments).trimmingSpacesAndTabs() : arguments
        self.markedArguments = arguments
        self.isLegacyForm = isLegacyForm
    }

    /// Parses `/name args`, `/name?args/` or `/name/`. Returns nil when there is no name after the slash.
    public init?(parsing line: String) {
        guard line.first == "/" else { return nil }
        var body = line.dropFirst()
        // Trailing blanks first, so the legacy closing slash is found in `/msg?bob hi/ `.
        while body.last == " " || body.last == "\t" {
            body = body.dropLast()
        }
        // `/?` alone (or before a space) is a name of its own, help's alias, not the legacy separator after an
        // empty name; `/?x/` still has no name.
        let afterQuestionMark = body.first == "?" ? body.dropFirst().first : nil
        let nameEnd =
            body.first == "?" && (afterQuestionMark == nil || afterQuestionMark == " " || afterQuestionMark == "\t")
            ? body.index(after: body.startIndex)
            : body.firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "?" || $0 == "/" }) ?? body.endIndex
        let name = body[..<nameEnd]
        // A name that was nothing but removed characters (`/<ESC>[2J`) is no name.
        guard !Sanitizer.removingMarkers(String(name)).isEmpty else { return nil }

        var rest = body[nameEnd...]
        var isLegacy = false
        if let separator = rest.first, separator == "?" || separator == "/" {
            // Legacy: `/name?args/` or `/name/`. The closing slash is optional, and only one is removed.
            isLegacy = true
            rest = rest.dropFirst()
            if rest.last == "/" {
                rest = rest.dropLast()
            }
        }
        self.init(name: String(name), arguments: rest.trimmingSpacesAndTabs(), isLegacyForm: isLegacy)
    }
}
