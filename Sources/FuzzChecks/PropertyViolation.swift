/// A property of a parser that one input broke: what was expected, in words a reader of the crash log can act on.
public struct PropertyViolation: Error, CustomStringConvertible {
    /// What went wrong, with the values involved.
    public let description: String

    /// Creates a violation described by `description`.
    public init(_ description: String) {
        self.description = description
    }

    /// Throws a violation described by `message` unless `condition` holds.
    static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(PropertyViolation) {
        if !condition {
            throw PropertyViolation(message())
        }
    }
}
