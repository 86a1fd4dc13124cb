import CSimCore
import SimCore

/// `simcore_signatures`: a batch signed on all cores into the caller's buffer.
@c public func simcore_signatures(
    _ options: UnsafePointer<simcore_options>?, _ texts: UnsafePointer<UnsafePointer<UInt8>?>?,
    _ lengths: UnsafePointer<Int>?, _ count: Int, _ out: UnsafeMutablePointer<UInt64>?, _ outCapacity: Int
) -> simcore_status {
    withStatus { () throws(CError) in
        let options = try COptions(options)
        guard count >= 0 else { throw .invalidArgument("count must not be negative") }
        let (needed, overflow) = count.multipliedReportingOverflow(by: options.signatureLength)
        guard !overflow else { throw .invalidArgument("count × signature_length overflows") }
        guard outCapacity >= needed else {
            throw CError(
                status: SIMCORE_E_BUFFER_TOO_SMALL,
                message: "out holds \(outCapacity) values; \(count) signatures of \(options.signatureLength) need \(needed)")
        }
        guard count > 0 else { return }
        let out = try required(out, "out")
        let texts = try CTexts.batch(
            texts: texts, lengths: lengths, count: count, name: "document", replacesInvalidUTF8: options.replacesInvalidUTF8)
        let matrix = SignatureMatrix(
            signingUTF8: texts, options: options.shingling, scheme: options.scheme, threads: options.threads)
        matrix.values.withUnsafeBufferPointer { values in
            // SAFETY: out holds at least count × k = values.count values (checked above).
            out.update(from: values.baseAddress!, count: values.count)
        }
    }
}
