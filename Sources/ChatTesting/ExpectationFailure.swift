/// A wait in the test harness that did not end the way the test expected: a timeout, an early close, a wrong line,
/// an early exit.
///
/// Thrown rather than recorded, so the test stops at the first broken step; Swift Testing reports the description.
public struct ExpectationFailure: Error, CustomStringConvertible {
    /// What went wrong, as the test report shows it.
    public let description: String

    /// A failure described by `description`.
    public init(_ description: String) {
        self.description = description
    }
}
