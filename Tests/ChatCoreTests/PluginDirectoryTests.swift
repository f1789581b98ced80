import ChatCore
import Foundation
import Logging
import Testing

@Suite struct PluginDirectoryTests {
    let folder: ScriptDirectory
    let registry: CommandRegistry
    let plugins: PluginDirectory

    init() throws {
        self.folder = try ScriptDirectory()
        // The registry holds the core commands before the folder is watched, so they count as built-ins.
        self.registry = CommandRegistry.withCoreCommands()
        self.plugins = PluginDirectory(
            path: self.folder.path,
            registry: self.registry,
            logger: Logger(label: "slashchat.tests.plugins")
        )
    }

    static let hello = """
        #!/bin/sh
        # usage: [NAME]
        # summary: says hello
        # output: caller
        echo "hello ${1:-world}"
        """

    func failure(for name: String) -> String? {
        self.plugins.failures.first { $0.name == name }?.reason
    }

    // MARK: Loading

    @Test func registersAnExecutableFileAsACommandDescribedByItsHeaders() throws {
        try self.folder.write("hello", Self.hello)
        let changes = self.plugins.rescan()
        #expect(changes.added == ["hello"])
        #expect(changes.removed == [])
        #expect(self.plugins.loadedNames == ["hello"])
        #expect(self.plugins.failures.isEmpty)
        let command = try #require(self.registry.command(named: "hello"))
        #expect(command.descriptor == CommandDescriptor(name: "hello", usage: "[NAME]", summary: "says hello"))
        #expect(self.registry.command(named: "HELLO")?.descriptor.name == "hello")
    }

    @Test func anUnchangedFolderChangesNothing() throws {
        try self.folder.write("hello", Self.hello)
        self.plugins.rescan()
        let again = self.plugins.rescan()
        #expect(again.added == [])
        #expect(again.removed == [])
        #expect(self.plugins.loadedNames == ["hello"])
    }

    @Test func reportsAFileThatIsNotExecutable() throws {
        try self.folder.write("notes", Self.hello, permissions: 0o644)
        let changes = self.plugins.rescan()
        #expect(changes.added == [])
        #expect(self.registry.command(named: "notes") == nil)
        #expect(self.plugins.loadedNames == [])
        let reason = try #require(self.failure(for: "notes"))
        #expect(reason.contains("not executable"))
    }

    @Test(arguments: ["README.md", "helpers.py", "hello.sh", ".hidden"])
    func ignoresFilesWithADotInTheirName(name: String) throws {
        try self.folder.write(name, Self.hello)
        let changes = self.plugins.rescan()
        #expect(changes.added == [])
        #expect(self.plugins.loadedNames == [])
        #expect(self.plugins.failures.isEmpty)
        #expect(self.registry.command(named: name) == nil)
    }

    @Test func ignoresFolders() throws {
        try FileManager.default.createDirectory(atPath: self.folder.file("lib"), withIntermediateDirectories: false)
        self.plugins.rescan()
        #expect(self.plugins.loadedNames == [])
        #expect(self.plugins.failures.isEmpty)
        #expect(self.registry.command(named: "lib") == nil)
    }

    @Test(arguments: ["Bad Name", "Hello", "-dash", "_under", "caf\u{E9}", String(repeating: "x", count: 33)])
    func reportsAnInvalidName(name: String) throws {
        try self.folder.write(name, Self.hello)
        self.plugins.rescan()
        #expect(self.plugins.loadedNames == [])
        let reason = try #require(self.failure(for: name))
        #expect(reason.contains("invalid name"))
        #expect(self.registry.command(named: name) == nil)
    }

    @Test(arguments: ["a", "roll", "8ball", "table-flip", "my_tool", String(repeating: "x", count: 32)])
    func acceptsEveryValidName(name: String) throws {
        try self.folder.write(name, Self.hello)
        #expect(self.plugins.rescan().added == [name])
        #expect(self.registry.command(named: name)?.descriptor.summary == "says hello")
    }

    @Test(arguments: [("help", "help"), ("who", "who"), ("pm", "msg"), ("exit", "quit")])
    func reportsANameTakenByABuiltInAndKeepsTheBuiltIn(name: String, builtIn: String) throws {
        let original = try #require(CommandRegistry.withCoreCommands().command(named: builtIn)).descriptor
        try self.folder.write(name, Self.hello)
        let changes = self.plugins.rescan()
        #expect(changes.added == [])
        #expect(self.plugins.loadedNames == [])
        let reason = try #require(self.failure(for: name))
        #expect(reason.contains("built-in"))
        #expect(self.registry.command(named: name)?.descriptor == original)
    }

    @Test func reportsNothingForAMissingFolder() {
        let plugins = PluginDirectory(
            path: self.folder.file("does-not-exist"),
            registry: self.registry,
            logger: Logger(label: "slashchat.tests.plugins")
        )
        let changes = plugins.rescan()
        #expect(changes.added == [] && changes.removed == [])
        #expect(plugins.failures.isEmpty)
    }

    // MARK: Changes while running

    @Test func unregistersAPluginWhoseFileIsRemoved() throws {
        try self.folder.write("hello", Self.hello)
        self.plugins.rescan()
        #expect(self.registry.command(named: "hello") != nil)

        try FileManager.default.removeItem(atPath: self.folder.file("hello"))
        let changes = self.plugins.rescan()
        #expect(changes.removed == ["hello"])
        #expect(changes.added == [])
        #expect(self.plugins.loadedNames == [])
        #expect(self.registry.command(named: "hello") == nil)
        #expect(self.registry.command(named: "help") != nil)
    }

    @Test func unregistersAndReportsAPluginThatLosesItsExecuteBit() throws {
        let path = try self.folder.write("hello", Self.hello)
        self.plugins.rescan()
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(self.plugins.rescan().removed == ["hello"])
        #expect(self.registry.command(named: "hello") == nil)
        #expect(self.failure(for: "hello")?.contains("not executable") == true)
    }

    @Test func reregistersAPluginWhoseHeaderChanged() throws {
        try self.folder.write("hello", Self.hello)
        self.plugins.rescan()
        #expect(self.registry.command(named: "hello")?.descriptor.summary == "says hello")

        let path = try self.folder.write("hello", "#!/bin/sh\n# summary: greets you warmly\necho hi\n")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(10)], ofItemAtPath: path)
        let changes = self.plugins.rescan()
        #expect(changes.added == ["hello"])
        #expect(changes.removed == [])
        let descriptor = try #require(self.registry.command(named: "hello")?.descriptor)
        #expect(descriptor.summary == "greets you warmly")
        #expect(descriptor.usage == "")
    }

    @Test func loadsAPluginAddedLater() throws {
        self.plugins.rescan()
        #expect(self.registry.command(named: "hello") == nil)
        try self.folder.write("hello", Self.hello)
        #expect(self.plugins.rescan().added == ["hello"])
        #expect(self.registry.command(named: "hello") != nil)
    }
}
