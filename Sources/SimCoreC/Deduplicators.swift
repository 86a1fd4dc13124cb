import CSimCore
import SimCore

/// What the C interface needs of a ``Deduplicator``, whatever its scheme: the public API, so
/// that one handle type serves every `SIMCORE_SCHEME_*`.
protocol DeduplicationEngine: AnyObject, Sendable {
    var count: Int { get }
    func id(of document: Int) -> String
    func insert(contentsOf documents: [Document], threads: Int?) -> [InsertionResult]
    func assignments() -> [DocumentAssignment]
    func keptDocuments() -> [Int]
    func clusters(includingSingletons: Bool) -> [DuplicateCluster]
    func save(to path: String) throws
}

extension Deduplicator: DeduplicationEngine {}

/// The object behind a `simcore_dedup` handle: the engine and the options it was made with.
/// Thread-safe because the engine is (its lock) and the options are immutable.
final class DeduplicatorHandle: Sendable {
    /// The engine.
    let engine: any DeduplicationEngine
    /// The checked options (threads and the UTF-8 policy for inserts).
    let options: COptions

    init(engine: any DeduplicationEngine, options: COptions) {
        self.engine = engine
        self.options = options
    }

    /// Retains a new handle and returns it as an opaque pointer.
    func retained() -> OpaquePointer { OpaquePointer(Unmanaged.passRetained(self).toOpaque()) }

    /// The handle behind `pointer`, not retained.
    ///
    /// - Throws: ``CError`` when `pointer` is NULL.
    static func from(_ pointer: OpaquePointer?) throws(CError) -> DeduplicatorHandle {
        // SAFETY: the caller passes a pointer from simcore_dedup_new or _load that it has not
        // freed (simcore.h's ownership rule).
        Unmanaged<DeduplicatorHandle>.fromOpaque(UnsafeRawPointer(try required(pointer, "dedup"))).takeUnretainedValue()
    }

    /// Inserts checked documents and writes their verdicts.
    func insert(_ documents: [Document], into out: UnsafeMutablePointer<simcore_verdict>?) {
        let results = engine.insert(contentsOf: documents, threads: options.threads)
        guard let out else { return }
        for (index, result) in results.enumerated() {
            out[index] = Self.verdict(document: result.document, result.verdict)
        }
    }

    /// A verdict as C sees it.
    static func verdict(document: Int, _ verdict: DuplicateVerdict) -> simcore_verdict {
        switch verdict {
        case .new: simcore_verdict(document: Int64(document), duplicate_of: -1, similarity: 0)
        case .duplicate(let original, let similarity):
            simcore_verdict(document: Int64(document), duplicate_of: Int64(original), similarity: similarity)
        }
    }
}

/// A new engine of `scheme`'s type, empty or loaded from `path`.
private func makeEngine<Scheme: SignatureScheme>(
    _ scheme: Scheme, options: DeduplicationOptions, loading path: String?
) throws(CError) -> any DeduplicationEngine {
    guard let path else { return Deduplicator(scheme: scheme, options: options) }
    do {
        return try Deduplicator(contentsOf: path, scheme: scheme, options: options)
    } catch let error as IndexFileError {
        throw CError(indexFileError: error)
    } catch {
        throw CError(status: SIMCORE_E_IO, message: "\(error)")
    }
}

extension CError {
    /// The status and message of a refused index file.
    init(indexFileError error: IndexFileError) {
        let status: simcore_status
        switch error {
        case .io: status = SIMCORE_E_IO
        case .parameterMismatch: status = SIMCORE_E_PARAMETER_MISMATCH
        case .notAnIndexFile, .unsupportedVersion, .truncated, .checksumMismatch, .corrupt: status = SIMCORE_E_FORMAT
        }
        self.init(status: status, message: error.description)
    }
}

/// A NUL-terminated UTF-8 path, checked.
private func path(_ pointer: UnsafePointer<CChar>?) throws(CError) -> String {
    let pointer = try required(pointer, "path")
    let length = strlenWithoutLibc(pointer)
    guard length > 0 else { throw .invalidArgument("path is empty") }
    let bytes = try CTexts.buffer(
        UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), length: length, name: "path")
    return String(decoding: bytes, as: UTF8.self)
}

/// The length of a NUL-terminated string.
private func strlenWithoutLibc(_ pointer: UnsafePointer<CChar>) -> Int {
    var length = 0
    while pointer[length] != 0 { length += 1 }
    return length
}

/// `simcore_dedup_new`.
@c public func simcore_dedup_new(
    _ options: UnsafePointer<simcore_options>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> simcore_status {
    withStatus { () throws(CError) in
        let out = try required(out, "out")
        let options = try COptions(options)
        let engine = try makeEngine(try options.bandableScheme(), options: options.deduplication, loading: nil)
        out.pointee = DeduplicatorHandle(engine: engine, options: options).retained()
    }
}

/// `simcore_dedup_load`.
@c public func simcore_dedup_load(
    _ path: UnsafePointer<CChar>?, _ options: UnsafePointer<simcore_options>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> simcore_status {
    withStatus { () throws(CError) in
        let out = try required(out, "out")
        let path = try SimCoreC.path(path)
        let options = try COptions(options)
        let engine = try makeEngine(try options.bandableScheme(), options: options.deduplication, loading: path)
        out.pointee = DeduplicatorHandle(engine: engine, options: options).retained()
    }
}

/// `simcore_dedup_save`.
@c public func simcore_dedup_save(_ dedup: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> simcore_status {
    withStatus { () throws(CError) in
        let handle = try DeduplicatorHandle.from(dedup)
        let path = try SimCoreC.path(path)
        do {
            try handle.engine.save(to: path)
        } catch let error as IndexFileError {
            throw CError(indexFileError: error)
        } catch {
            throw CError(status: SIMCORE_E_IO, message: "\(error)")
        }
    }
}

/// `simcore_dedup_free`.
@c public func simcore_dedup_free(_ dedup: OpaquePointer?) {
    guard let dedup else { return }
    // SAFETY: releases the reference simcore_dedup_new or _load retained (freed once, by rule).
    Unmanaged<DeduplicatorHandle>.fromOpaque(UnsafeRawPointer(dedup)).release()
}

/// `simcore_dedup_insert`.
@c public func simcore_dedup_insert(
    _ dedup: OpaquePointer?, _ text: UnsafePointer<UInt8>?, _ length: Int, _ id: UnsafePointer<UInt8>?, _ idLength: Int,
    _ out: UnsafeMutablePointer<simcore_verdict>?
) -> simcore_status {
    withStatus { () throws(CError) in
        let handle = try DeduplicatorHandle.from(dedup)
        let text = try CTexts.buffer(text, length: length, name: "text", replacesInvalidUTF8: handle.options.replacesInvalidUTF8)
        let id = try CTexts.buffer(id, length: idLength, name: "id", allowsEmpty: true)
        handle.insert([Document(id: String(decoding: id, as: UTF8.self), utf8: Array(text))], into: out)
    }
}

/// `simcore_dedup_insert_many`.
@c public func simcore_dedup_insert_many(
    _ dedup: OpaquePointer?, _ texts: UnsafePointer<UnsafePointer<UInt8>?>?, _ lengths: UnsafePointer<Int>?, _ count: Int,
    _ ids: UnsafePointer<UnsafePointer<UInt8>?>?, _ idLengths: UnsafePointer<Int>?,
    _ out: UnsafeMutablePointer<simcore_verdict>?
) -> simcore_status {
    withStatus { () throws(CError) in
        let handle = try DeduplicatorHandle.from(dedup)
        guard count >= 0 else { throw .invalidArgument("count must not be negative") }
        let texts = try CTexts.batch(
            texts: texts, lengths: lengths, count: count, name: "document",
            replacesInvalidUTF8: handle.options.replacesInvalidUTF8)
        var names = [String](repeating: "", count: count)
        if ids != nil || idLengths != nil {
            let idBytes = try CTexts.batch(texts: ids, lengths: idLengths, count: count, name: "id", allowsEmpty: true)
            names = idBytes.map { String(decoding: $0, as: UTF8.self) }
        }
        var documents: [Document] = []
        documents.reserveCapacity(count)
        for (id, text) in zip(names, texts) { documents.append(Document(id: id, utf8: text)) }
        handle.insert(documents, into: out)
    }
}

/// `simcore_dedup_count`.
@c public func simcore_dedup_count(_ dedup: OpaquePointer?, _ out: UnsafeMutablePointer<Int>?) -> simcore_status {
    withStatus { () throws(CError) in
        let handle = try DeduplicatorHandle.from(dedup)
        try required(out, "out").pointee = handle.engine.count
    }
}

/// `simcore_dedup_id`.
@c public func simcore_dedup_id(
    _ dedup: OpaquePointer?, _ document: Int64, _ buffer: UnsafeMutablePointer<UInt8>?, _ capacity: Int,
    _ length: UnsafeMutablePointer<Int>?
) -> simcore_status {
    withStatus { () throws(CError) in
        let handle = try DeduplicatorHandle.from(dedup)
        let length = try required(length, "length")
        let count = handle.engine.count
        guard document >= 0 && document < count else {
            throw CError(status: SIMCORE_E_OUT_OF_RANGE, message: "document \(document) is not in 0..<\(count)")
        }
        let id = Array(handle.engine.id(of: Int(document)).utf8)
        guard capacity >= id.count else {
            length.pointee = id.count
            throw CError(status: SIMCORE_E_BUFFER_TOO_SMALL, message: "the id has \(id.count) bytes; buffer holds \(capacity)")
        }
        if !id.isEmpty { try required(buffer, "buffer").update(from: id, count: id.count) }
        length.pointee = id.count
    }
}

/// `simcore_dedup_ids`.
@c public func simcore_dedup_ids(
    _ dedup: OpaquePointer?, _ data: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?,
    _ offsets: UnsafeMutablePointer<UnsafeMutablePointer<Int>?>?, _ count: UnsafeMutablePointer<Int>?
) -> simcore_status {
    withStatus { () throws(CError) in
        let handle = try DeduplicatorHandle.from(dedup)
        let data = try required(data, "data")
        let offsets = try required(offsets, "offsets")
        let count = try required(count, "count")
        let documents = handle.engine.count
        var bytes: [UInt8] = []
        var ends: [Int] = [0]
        ends.reserveCapacity(documents + 1)
        for document in 0..<documents {
            bytes.append(contentsOf: handle.engine.id(of: document).utf8)
            ends.append(bytes.count)
        }
        data.pointee = CTexts.allocatedCopy(of: bytes)
        offsets.pointee = CTexts.allocatedCopy(of: ends)
        count.pointee = documents
    }
}

/// `simcore_dedup_assignments`.
@c public func simcore_dedup_assignments(
    _ dedup: OpaquePointer?, _ assignments: UnsafeMutablePointer<UnsafeMutablePointer<simcore_assignment>?>?,
    _ count: UnsafeMutablePointer<Int>?
) -> simcore_status {
    withStatus { () throws(CError) in
        let handle = try DeduplicatorHandle.from(dedup)
        let assignments = try required(assignments, "assignments")
        let count = try required(count, "count")
        let values = handle.engine.assignments().map { assignment in
            let verdict = DeduplicatorHandle.verdict(document: assignment.document, assignment.verdict)
            return simcore_assignment(
                document: Int64(assignment.document), cluster: Int64(assignment.cluster),
                duplicate_of: verdict.duplicate_of, similarity: verdict.similarity,
                is_representative: assignment.isRepresentative ? 1 : 0, reserved: 0)
        }
        assignments.pointee = CTexts.allocatedCopy(of: values)
        count.pointee = values.count
    }
}

/// `simcore_dedup_kept`.
@c public func simcore_dedup_kept(
    _ dedup: OpaquePointer?, _ documents: UnsafeMutablePointer<UnsafeMutablePointer<Int64>?>?,
    _ count: UnsafeMutablePointer<Int>?
) -> simcore_status {
    withStatus { () throws(CError) in
        let handle = try DeduplicatorHandle.from(dedup)
        let documents = try required(documents, "documents")
        let count = try required(count, "count")
        let kept = handle.engine.keptDocuments().map { Int64($0) }
        documents.pointee = CTexts.allocatedCopy(of: kept)
        count.pointee = kept.count
    }
}

/// `simcore_dedup_clusters`.
@c public func simcore_dedup_clusters(
    _ dedup: OpaquePointer?, _ includeSingletons: Int32, _ out: UnsafeMutablePointer<simcore_clusters>?
) -> simcore_status {
    withStatus { () throws(CError) in
        let handle = try DeduplicatorHandle.from(dedup)
        let out = try required(out, "out")
        let clusters = handle.engine.clusters(includingSingletons: includeSingletons != 0)
        var offsets = [0]
        offsets.reserveCapacity(clusters.count + 1)
        var members: [Int64] = []
        for cluster in clusters {
            members.append(contentsOf: cluster.members.lazy.map { Int64($0) })
            offsets.append(members.count)
        }
        out.pointee = simcore_clusters(
            count: clusters.count, offsets: CTexts.allocatedCopy(of: offsets),
            members: CTexts.allocatedCopy(of: members),
            representatives: CTexts.allocatedCopy(of: clusters.map { Int64($0.representative) }))
    }
}

/// `simcore_clusters_free`.
@c public func simcore_clusters_free(_ clusters: UnsafeMutablePointer<simcore_clusters>?) {
    guard let clusters else { return }
    UnsafeMutableRawPointer(clusters.pointee.offsets)?.deallocate()
    UnsafeMutableRawPointer(clusters.pointee.members)?.deallocate()
    UnsafeMutableRawPointer(clusters.pointee.representatives)?.deallocate()
    clusters.pointee = simcore_clusters()
}
