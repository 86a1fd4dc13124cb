internal import CXXHash

/// XXH3-64 (seed 0) of bytes given in pieces: ``digest`` is ``XXH3/hash64(_:seed:implementation:)``
/// of every piece joined, so a file can be checksummed as it is written instead of held whole.
///
/// ```swift
/// let stream = _XXH3Stream()
/// stream.update(header)
/// stream.update(payload)
/// stream.digest == XXH3.hash64(header + payload)   // true
/// ```
final class _XXH3Stream {
    /// xxHash's streaming state.
    private let state: UnsafeMutableRawPointer

    /// A stream of no bytes yet.
    init() {
        // XXH3_createState fails only when malloc does.
        guard let state = simcore_xxh3_stream_create() else { fatalError("out of memory for an XXH3 state") }
        self.state = state
    }

    deinit { simcore_xxh3_stream_free(state) }

    /// Adds `bytes` after those given before.
    func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        simcore_xxh3_stream_update(state, bytes.baseAddress, bytes.count)
    }

    /// The hash of every byte given so far.
    var digest: UInt64 { simcore_xxh3_stream_digest(state) }
}
