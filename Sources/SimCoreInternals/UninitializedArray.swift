extension Array {
    /// `Array(unsafeUninitializedCapacity:initializingWith:)`, except that a capacity of 0 gives
    /// a plain empty array without calling `body`.
    ///
    /// That initializer writes the count of the storage it starts from, and at capacity 0 that is
    /// the one empty storage every empty array shares: two threads making an empty array at once
    /// write the same word. The race is harmless (both write 0), but ThreadSanitizer reports it;
    /// CI's sanitizer runs caught it in the recent postings' sorted entries and in exact
    /// all-pairs, each time on whichever test happened to make two empty arrays at once.
    ///
    /// ```swift
    /// let squares = [Int](uninitializedCapacity: 3) { buffer, count in
    ///     for i in 0..<3 { buffer.initializeElement(at: i, to: i * i) }
    ///     count = 3
    /// }   // [0, 1, 4]
    /// ```
    @inlinable
    package init(uninitializedCapacity capacity: Int, initializingWith body: (inout UnsafeMutableBufferPointer<Element>, inout Int) -> Void) {
        guard capacity > 0 else {
            self = []
            return
        }
        self.init(unsafeUninitializedCapacity: capacity, initializingWith: body)
    }
}
