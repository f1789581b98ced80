/// A wait in the test harness that did not end the way the test expected: a timeout, an early close, a wrong line.
///
/// Thrown rather than recorded, so the test stops at the first broken step; Swift Testing reports the description.
struct ExpectationFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
