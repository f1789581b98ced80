import Foundation

/// Linux's `/proc`, where ``ChatBench/ProcessStats`` reads memory and CPU; elsewhere it reads nothing.
enum ProcFileSystem {
    static let isAvailable = FileManager.default.fileExists(atPath: "/proc/self/stat")
}
