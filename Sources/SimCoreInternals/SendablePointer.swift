/// The one pointer box that crosses into `@Sendable` Dispatch closures.
///
/// Batch kernels give each chunk of work its own disjoint range of one output buffer; this box
/// carries the buffer's base address into `DispatchQueue.concurrentPerform`.
package struct SendableMutablePointer<Element>: @unchecked Sendable {
    // SAFETY: every user writes only to the index range its chunk owns, and reads the buffer
    // only after `concurrentPerform` has returned, so no two threads touch one element.
    /// The buffer's first element.
    package let base: UnsafeMutablePointer<Element>

    /// Wraps `base`.
    package init(base: UnsafeMutablePointer<Element>) {
        self.base = base
    }
}
