/// The one pointer box that crosses into `@Sendable` Dispatch closures.
///
/// Batch kernels give each chunk of work its own disjoint range of one output buffer; this box
/// carries the buffer's base address into `DispatchQueue.concurrentPerform`.
struct _SendableMutablePointer<Element>: @unchecked Sendable {
    // SAFETY: every user writes only to the index range its chunk owns, and reads the buffer
    // only after `concurrentPerform` has returned, so no two threads touch one element.
    let base: UnsafeMutablePointer<Element>
}
