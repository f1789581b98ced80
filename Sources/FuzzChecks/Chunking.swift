/// Deterministic ways of cutting one byte stream into the pieces a socket or a terminal might deliver.
///
/// The cut points come from a small PRNG seeded by the bytes themselves, so an input always replays the same way
/// (libFuzzer and the corpus test see identical behaviour) without spending input bytes on the choice.
enum Chunking {
    /// The stream in one piece, and in pseudo-random pieces of at most 17 and 700 bytes; short streams also one
    /// byte at a time (up to 512 bytes) and in pieces of at most 3 (up to 2048), which keeps long inputs affordable.
    static func variants(of bytes: ArraySlice<UInt8>) -> [[ArraySlice<UInt8>]] {
        var variants: [[ArraySlice<UInt8>]] = [[bytes]]
        if bytes.count <= 512 {
            variants.append(Self.pieces(of: bytes, seed: 0, maximumLength: 1))
        }
        let seed = Self.fingerprint(bytes)
        for maximumLength in bytes.count <= 2048 ? [3, 17, 700] : [17, 700] {
            variants.append(Self.pieces(of: bytes, seed: seed &+ UInt64(maximumLength), maximumLength: maximumLength))
        }
        return variants
    }

    /// `bytes` cut into pieces of 1...`maximumLength` bytes.
    static func pieces(of bytes: ArraySlice<UInt8>, seed: UInt64, maximumLength: Int) -> [ArraySlice<UInt8>] {
        var generator = SplitMix64(state: seed)
        var pieces: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let length = 1 + Int(generator.next() % UInt64(maximumLength))
            let end = min(start + length, bytes.endIndex)
            pieces.append(bytes[start..<end])
            start = end
        }
        return pieces
    }

    /// FNV-1a over the bytes.
    static func fingerprint(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }
}

/// The SplitMix64 generator: tiny, fast and good enough to pick cut points.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        self.state &+= 0x9e37_79b9_7f4a_7c15
        var value = self.state
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }
}
