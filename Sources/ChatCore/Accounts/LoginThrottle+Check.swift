import PasswordHashing

extension LoginThrottle {
    /// How one throttled password check ended.
    public enum CheckResult: Sendable, Equatable {
        case right
        case wrong
        /// Not checked now, for the reason given (phrased for the user); nothing was counted. Ask again.
        case tryAgain(String)
        /// The requester left while waiting; nothing more to do.
        case gone
    }

    /// Checks `password` against `storedHash` for `nickname` from `address`: admitted by the throttle, after its
    /// delay, on the bounded hash queue. The login dialogue and `/password` both come through here, so guesses
    /// cost the same wherever they are typed; `purpose` says which line of the queue the check waits in.
    public func check(
        _ password: String,
        against storedHash: String,
        nickname: String,
        address: String,
        for purpose: PasswordHasher.Purpose = .login,
        isGone: @escaping @Sendable () -> Bool
    ) async -> CheckResult {
        guard case .proceed(let attempt, let delay) = self.begin(nickname: nickname, address: address) else {
            return .tryAgain(
                "Another password for \(nickname), or from your address, is being checked; try again in a moment."
            )
        }
        if delay > .zero {
            do {
                try await Task.sleep(for: delay)
            } catch {
                self.finish(attempt, .unchecked)
                return .gone
            }
        }
        let right: Bool
        do throws(PasswordHasher.QueueError) {
            guard !isGone() else { throw .abandoned }
            right = try await PasswordHasher.check(password, against: storedHash, for: purpose, abandonIf: isGone)
        } catch {
            self.finish(attempt, .unchecked)
            switch error {
            case .busy: return .tryAgain("The server is busy checking passwords; try again in a moment.")
            case .abandoned: return .gone
            }
        }
        self.finish(attempt, right ? .right : .wrong)
        return right ? .right : .wrong
    }
}
