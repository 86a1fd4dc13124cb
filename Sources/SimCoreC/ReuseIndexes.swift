import CSimCore
import SimCore
import SimCoreInternals

/// The object behind a `simcore_reuse_index` handle: a ``ReuseIndex`` behind a lock (the index
/// itself is not safe to call from several threads) and the options it was made with.
final class ReuseIndexHandle: @unchecked Sendable {
    // SAFETY: `index` is used only inside `withIndex`, which holds `lock`; `options` is immutable.
    private let lock = Lock()
    private let index: ReuseIndex
    /// The checked options (threads and the UTF-8 policy for inserts and queries).
    let options: CAlignmentOptions

    init(index: ReuseIndex, options: CAlignmentOptions) {
        self.index = index
        self.options = options
    }

    /// Runs `body` on the index, alone.
    func withIndex<T>(_ body: (ReuseIndex) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(index)
    }

    /// Retains a new handle and returns it as an opaque pointer.
    func retained() -> OpaquePointer { OpaquePointer(Unmanaged.passRetained(self).toOpaque()) }

    /// The handle behind `pointer`, not retained.
    ///
    /// - Throws: ``CError`` when `pointer` is NULL.
    static func from(_ pointer: OpaquePointer?) throws(CError) -> ReuseIndexHandle {
        // SAFETY: the caller passes a pointer from simcore_reuse_index_new that it has not freed
        // (simcore.h's ownership rule).
        Unmanaged<ReuseIndexHandle>.fromOpaque(UnsafeRawPointer(try required(pointer, "index"))).takeUnretainedValue()
    }

    /// One checked text as a document (reuse documents are named by number; the id stays empty).
    func document(_ text: UnsafePointer<UInt8>?, length: Int) throws(CError) -> Document {
        Document(
            id: "", utf8: Array(try CTexts.buffer(text, length: length, name: "text", replacesInvalidUTF8: options.replacesInvalidUTF8)))
    }
}

/// A checked batch as documents named by number (empty ids).
private func documents(
    _ texts: UnsafePointer<UnsafePointer<UInt8>?>?, _ lengths: UnsafePointer<Int>?, _ count: Int, options: CAlignmentOptions
) throws(CError) -> [Document] {
    guard count >= 0 else { throw .invalidArgument("count must not be negative") }
    return try CTexts.batch(
        texts: texts, lengths: lengths, count: count, name: "document", replacesInvalidUTF8: options.replacesInvalidUTF8
    ).map { Document(id: "", utf8: $0) }
}

/// `simcore_reuse`: blank boilerplate if asked, then every pair sharing a passage, as
/// `simdedup reuse` does it.
@c public func simcore_reuse(
    _ options: UnsafePointer<simcore_alignment_options>?, _ texts: UnsafePointer<UnsafePointer<UInt8>?>?,
    _ lengths: UnsafePointer<Int>?, _ count: Int, _ out: UnsafeMutablePointer<simcore_reuse_pairs>?
) -> simcore_status {
    withStatus { () throws(CError) in
        let options = try CAlignmentOptions(options)
        let out = try required(out, "out")
        var corpus = try documents(texts, lengths, count, options: options)
        var boilerplateLines = 0
        if options.blanksBoilerplate {
            let (model, blanked) = BoilerplateLines.blanking(
                corpus, normalization: options.alignment.normalization, threads: options.threads)
            boilerplateLines = model.lines.count
            corpus = blanked
        }
        let pairs = ReuseIndex.pairs(in: corpus, options: options.reuse, threads: options.threads)
        out.pointee = CAlignments.allocated(pairs, boilerplateLines: boilerplateLines)
    }
}

/// `simcore_reuse_index_new`.
@c public func simcore_reuse_index_new(
    _ options: UnsafePointer<simcore_alignment_options>?, _ boilerplateTexts: UnsafePointer<UnsafePointer<UInt8>?>?,
    _ boilerplateLengths: UnsafePointer<Int>?, _ boilerplateCount: Int, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> simcore_status {
    withStatus { () throws(CError) in
        let out = try required(out, "out")
        let options = try CAlignmentOptions(options)
        let sample = try documents(boilerplateTexts, boilerplateLengths, boilerplateCount, options: options)
        let boilerplate = options.blanksBoilerplate && !sample.isEmpty
            ? BoilerplateLines(documents: sample, normalization: options.alignment.normalization, threads: options.threads)
            : nil
        let index = ReuseIndex(options: options.reuse, boilerplate: boilerplate)
        out.pointee = ReuseIndexHandle(index: index, options: options).retained()
    }
}

/// `simcore_reuse_index_free`.
@c public func simcore_reuse_index_free(_ index: OpaquePointer?) {
    guard let index else { return }
    // SAFETY: releases the reference simcore_reuse_index_new retained (freed once, by rule).
    Unmanaged<ReuseIndexHandle>.fromOpaque(UnsafeRawPointer(index)).release()
}

/// `simcore_reuse_index_insert`.
@c public func simcore_reuse_index_insert(
    _ index: OpaquePointer?, _ text: UnsafePointer<UInt8>?, _ length: Int, _ document: UnsafeMutablePointer<Int64>?,
    _ matches: UnsafeMutablePointer<simcore_reuse_pairs>?
) -> simcore_status {
    withStatus { () throws(CError) in
        let handle = try ReuseIndexHandle.from(index)
        let new = try handle.document(text, length: length)
        let (number, found) = handle.withIndex { index in
            let found = matches == nil ? [] : index.matches(for: new, threads: handle.options.threads)
            return (index.insert(new), found)
        }
        document?.pointee = Int64(number)
        matches?.pointee = CAlignments.allocated(found)
    }
}

/// `simcore_reuse_index_insert_many`.
@c public func simcore_reuse_index_insert_many(
    _ index: OpaquePointer?, _ texts: UnsafePointer<UnsafePointer<UInt8>?>?, _ lengths: UnsafePointer<Int>?, _ count: Int
) -> simcore_status {
    withStatus { () throws(CError) in
        let handle = try ReuseIndexHandle.from(index)
        let batch = try documents(texts, lengths, count, options: handle.options)
        guard !batch.isEmpty else { return }
        handle.withIndex { $0.insert(contentsOf: batch, threads: handle.options.threads) }
    }
}

/// `simcore_reuse_index_count`.
@c public func simcore_reuse_index_count(_ index: OpaquePointer?, _ out: UnsafeMutablePointer<Int>?) -> simcore_status {
    withStatus { () throws(CError) in
        let handle = try ReuseIndexHandle.from(index)
        try required(out, "out").pointee = handle.withIndex { $0.count }
    }
}

/// `simcore_reuse_index_matches`.
@c public func simcore_reuse_index_matches(
    _ index: OpaquePointer?, _ text: UnsafePointer<UInt8>?, _ length: Int, _ out: UnsafeMutablePointer<simcore_reuse_pairs>?
) -> simcore_status {
    withStatus { () throws(CError) in
        let handle = try ReuseIndexHandle.from(index)
        let out = try required(out, "out")
        let query = try handle.document(text, length: length)
        out.pointee = CAlignments.allocated(handle.withIndex { $0.matches(for: query, threads: handle.options.threads) })
    }
}

/// `simcore_reuse_index_pairs`.
@c public func simcore_reuse_index_pairs(_ index: OpaquePointer?, _ out: UnsafeMutablePointer<simcore_reuse_pairs>?) -> simcore_status {
    withStatus { () throws(CError) in
        let handle = try ReuseIndexHandle.from(index)
        let out = try required(out, "out")
        out.pointee = CAlignments.allocated(handle.withIndex { $0.pairs(threads: handle.options.threads) })
    }
}
