import ChatProtocol
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import ProcessRunning
import Glibc
#endif

/// Keeps the registry in step with the plugins folder: every executable `commands/NAME` is the command `/NAME`.
///
/// A `Service` that rescans every ``rescanInterval`` (and on the admin console's `reload`), so plugins can be
/// added, changed and removed while the server runs. Rescanning compares names, sizes and modification times; a
/// folder of a few dozen files costs a handful of `stat` calls.
public final class PluginDirectory: Service, Sendable {
    /// How often the folder is looked at.
    public static let rescanInterval = Duration.seconds(1)

    private struct Loaded: Equatable {
        var size: Int64
        var modified: Int64
    }

    /// What `stat` says about a path (following links): regular file or not, size, modification time in ns.
    private static func status(of path: String) -> (isRegularFile: Bool, size: Int64, modified: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return ((info.st_mode & S_IFMT) == S_IFREG, Int64(info.st_size), modified)
    }

    private struct State {
        var loaded: [String: Loaded] = [:]
        var failures: [String: String] = [:]
    }

    /// The folder, absolute: plugins run with it as their working directory, so a relative path (the default
    /// `./commands`) would name a different file from there.
    public let path: String
    private let registry: CommandRegistry
    private let builtInNames: Set<String>
    private let logger: Logger
    private let state = Mutex(State())

    /// - Parameter registry: the registry plugins are added to; the names it holds now count as built-ins,
    ///   which plugins cannot replace.
    /// - Parameter path: the folder; a relative path is resolved against the current directory, once, now.
    public init(path: String, registry: CommandRegistry, logger: Logger) {
        self.path = Self.absolute(path)
        self.registry = registry
        self.builtInNames = Set(registry.descriptors.flatMap { [$0.name] + $0.aliases })
        self.logger = logger
    }

    /// `path` made absolute against the current directory, with `.` and `..` steps removed.
    static func absolute(_ path: String) -> String {
        let base = path.hasPrefix("/") ? "" : FileManager.default.currentDirectoryPath + "/"
        let url = URL(fileURLWithPath: base + path).standardizedFileURL
        return url.path
    }

    public func run() async throws {
        self.rescan()
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: Self.rescanInterval)
            self.rescan()
        }
    }

    /// Plugin names that are loaded, sorted.
    public var loadedNames: [String] {
        self.state.withLock { $0.loaded.keys.sorted() }
    }

    /// Files that could not be loaded, with the reason, sorted by name.
    public var failures: [(name: String, reason: String)] {
        self.state.withLock { $0.failures.map { ($0.key, $0.value) } }.sorted { $0.name < $1.name }
    }

    /// Looks at the folder now and registers, refreshes or removes plugins to match it.
    @discardableResult
    public func rescan() -> (added: [String], removed: [String]) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: self.path)) ?? []
        var seen: [String: (Loaded, String)] = [:]
        var failures: [String: String] = [:]
        for name in entries where !name.hasPrefix(".") {
            let filePath = self.path + "/" + name
            // stat follows symbolic links, so a linked plugin counts like a copied one.
            guard let status = Self.status(of: filePath), status.isRegularFile else { continue }
            if name.contains(".") { continue }  // README.md, helpers.py: documentation and libraries, not commands.
            guard CommandName.isValid(name) else {
                failures[name] = "invalid name (use a-z, 0-9, _ and -)"
                continue
            }
            guard !self.builtInNames.contains(name) else {
                failures[name] = "/\(name) is a built-in command"
                continue
            }
            guard ExecutableSearch.isExecutableFile(filePath) else {
                failures[name] = "not executable (chmod +x it)"
                continue
            }
            seen[name] = (Loaded(size: status.size, modified: status.modified), filePath)
        }

        let previous = self.state.withLock { $0.loaded }
        var added: [String] = []
        for (name, (loaded, filePath)) in seen where previous[name] != loaded {
            let file = FileHandle(forReadingAtPath: filePath)
            let header = (try? file?.read(upToCount: PluginManifest.headerBytes)) ?? nil
            try? file?.close()
            let manifest = PluginManifest(header: header ?? Data())
            self.registry.register(PluginCommand(name: name, path: filePath, manifest: manifest))
            added.append(name)
        }
        let removed = previous.keys.filter { seen[$0] == nil }
        for name in removed {
            self.registry.unregister(name)
        }
        self.state.withLock { state in
            state.loaded = seen.mapValues(\.0)
            state.failures = failures
        }
        if !added.isEmpty || !removed.isEmpty {
            self.logger.info(
                "plugins changed",
                metadata: ["loaded": "\(added.sorted())", "removed": "\(removed.sorted())", "folder": "\(self.path)"]
            )
        }
        return (added.sorted(), removed.sorted())
    }
}

extension PluginDirectory: CustomStringConvertible {
    public var description: String { "PluginDirectory(\(self.path))" }
}
