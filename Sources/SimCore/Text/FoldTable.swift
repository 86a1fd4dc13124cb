import SimCoreInternals
internal import CSimKernels

/// What each Unicode scalar becomes under one set of ``NormalizationOptions``.
///
/// The table maps every Unicode scalar to the UTF-8 bytes it normalizes to, with an ASCII space
/// standing for "separator here"; an empty entry means "drop".
///
/// The code space is split into 4,352 pages of 256 scalars, each built the first time one of its
/// scalars is seen (about 0.4 ms a page, under a lock, then published with release ordering and
/// read with acquire ordering, lock-free): a process pays only for the scripts its text uses,
/// instead of about 0.1 s for the 65,536 scalars of the Basic Multilingual Plane alone before
/// its first document. Page 0 (ASCII and Latin-1) is built with the table. Pages are immutable
/// once published and never freed (tables live as long as the process). Scalars above U+FFFF
/// (emoji, historic scripts, CJK extensions) were folded on the fly until an emoji every ten
/// words took 3.2 times the instructions of the same text without them.
final class _FoldTable: @unchecked Sendable {
    // SAFETY: `ascii` is written once in `init`. A page slot goes from nil to a page exactly once,
    // under `buildLock`, by a release store after the page is complete; readers load slots with
    // acquire ordering (`simk_load_acquire`), so they see either nil or a complete page. Pages
    // are never written after publication nor freed.
    /// For each ASCII byte: the byte it becomes, or 0x20 for a separator.
    let ascii: UnsafeMutableBufferPointer<UInt8>
    /// ``pageCount`` page slots: nil, or 256 four-byte entries followed by the page's folded
    /// UTF-8 bytes longer than ``inlineLimit``, back to back. An entry's fourth byte is the length
    /// of its scalar's folded bytes; its first three bytes are those bytes when they fit
    /// (``inlineLimit``: every folded form of a 2-byte scalar but a few, and most of a 3-byte
    /// one), else the little-endian offset of the bytes after the entries.
    private let pages: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    private let buildLock = Lock()
    /// The options this table implements.
    let options: NormalizationOptions

    /// Pages of 256 scalars up to U+10FFFF.
    static let pageCount = 0x11_0000 >> 8

    /// Bytes of entries at the start of a page.
    private static let entryBytes = 256 * 4

    /// The longest folded form an entry holds in place of the offset of its bytes: that of any
    /// 2- or 3-byte scalar that folds to no more bytes than its own, which the normalizer's
    /// loops read from the entry alone.
    static let inlineLimit = 3

    /// A fresh table (its pages not yet built); ``shared(for:)`` gives the process-wide one.
    init(options: NormalizationOptions) {
        self.options = options
        ascii = .allocate(capacity: 128)
        pages = .allocate(capacity: Self.pageCount)
        pages.initialize(repeating: nil, count: Self.pageCount)
        for value in 0..<128 {
            ascii[value] = folded(UInt32(value)).first ?? 0x20
        }
    }

    /// The folded bytes of scalar `value` (at most U+10FFFF; 0x20 for a separator; empty:
    /// dropped).
    @inline(__always)
    func folded(_ value: UInt32) -> UnsafeBufferPointer<UInt8> {
        let page = page(Int(value >> 8))
        return Self.folded(entry: page + Int(value & 0xFF) &* 4, in: page)
    }

    /// The four-byte entry of scalar `value` (at most U+10FFFF): its folded length in the fourth
    /// byte (``foldedCount(entry:)``) and, when that is at most ``inlineLimit``, the folded bytes
    /// in the first three. A caller with four bytes of room may copy the entry whole and keep the
    /// first `foldedCount` bytes, one load and one store per scalar.
    @inline(__always)
    func entry(of value: UInt32) -> UnsafeRawPointer {
        page(Int(value >> 8)) + Int(value & 0xFF) &* 4
    }

    /// The length of the folded bytes of the scalar whose entry is `entry`.
    @inline(__always)
    static func foldedCount(entry: UnsafeRawPointer) -> Int {
        Int(entry.load(fromByteOffset: 3, as: UInt8.self))
    }

    @inline(__always)
    private static func folded(entry: UnsafeRawPointer, in page: UnsafeRawPointer) -> UnsafeBufferPointer<UInt8> {
        let count = foldedCount(entry: entry)
        if count <= inlineLimit {
            return UnsafeBufferPointer(start: entry.assumingMemoryBound(to: UInt8.self), count: count)
        }
        let bytes = entry.assumingMemoryBound(to: UInt8.self)
        let offset = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16
        return UnsafeBufferPointer(start: (page + entryBytes + offset).assumingMemoryBound(to: UInt8.self), count: count)
    }

    /// Page `index` (scalars `index << 8 ..< (index + 1) << 8`), built on first use.
    @inline(__always)
    private func page(_ index: Int) -> UnsafeRawPointer {
        if let page = simk_load_acquire(pages + index) { return UnsafeRawPointer(page) }
        return buildPage(index)
    }

    /// Builds and publishes page `index` unless another thread did first. The rare path.
    @inline(never)
    private func buildPage(_ index: Int) -> UnsafeRawPointer {
        buildLock.withLock {
            // Slots are only written under this lock, so a plain read here is not racy.
            if let page = pages[index] { return UnsafeRawPointer(page) }
            var entries = [UInt8](repeating: 0, count: Self.entryBytes)
            var poolBytes: [UInt8] = []
            var folded: [UInt8] = []
            for slot in 0..<256 {
                let value = UInt32(index << 8 | slot)
                folded.removeAll(keepingCapacity: true)
                if let scalar = Unicode.Scalar(value) {
                    _FoldTable.fold(scalar, options: options, into: &folded)
                } else {
                    // Surrogate code points never decode from valid UTF-8; map them to a separator.
                    folded.append(0x20)
                }
                precondition(folded.count < 256 && poolBytes.count < (1 << 24), "fold table overflow")
                let entry = slot &* 4
                entries[entry + 3] = UInt8(folded.count)
                if folded.count <= Self.inlineLimit {
                    for (position, byte) in folded.enumerated() { entries[entry + position] = byte }
                } else {
                    for position in 0..<3 { entries[entry + position] = UInt8(truncatingIfNeeded: poolBytes.count >> (8 * position)) }
                    poolBytes.append(contentsOf: folded)
                }
            }
            let page = UnsafeMutableRawPointer.allocate(
                byteCount: Self.entryBytes + poolBytes.count, alignment: MemoryLayout<UInt32>.alignment)
            entries.withUnsafeBytes { page.copyMemory(from: $0.baseAddress!, byteCount: Self.entryBytes) }
            poolBytes.withUnsafeBytes { bytes in
                if let base = bytes.baseAddress { (page + Self.entryBytes).copyMemory(from: base, byteCount: bytes.count) }
            }
            simk_store_release(pages + index, page)
            return UnsafeRawPointer(page)
        }
    }

    /// The shared table for `options`, built on first use.
    ///
    /// One static constant per combination of options: Swift initializes each exactly once,
    /// thread-safely, on first access, so no lock is needed afterwards.
    static func shared(for options: NormalizationOptions) -> _FoldTable {
        switch options._tableIndex {
        case 0: table0
        case 1: table1
        case 2: table2
        case 3: table3
        case 4: table4
        case 5: table5
        case 6: table6
        default: table7
        }
    }

    private static func make(_ index: Int) -> _FoldTable {
        _FoldTable(options: NormalizationOptions(
            lowercase: index & 1 != 0, foldCompatibilityForms: index & 2 != 0, keepPunctuation: index & 4 != 0))
    }

    private static let table0 = make(0)
    private static let table1 = make(1)
    private static let table2 = make(2)
    private static let table3 = make(3)
    private static let table4 = make(4)
    private static let table5 = make(5)
    private static let table6 = make(6)
    private static let table7 = make(7)

    /// Appends the normalized form of one scalar: UTF-8 bytes, 0x20 for a separator.
    ///
    /// The mapping is applied again to what it produced until nothing changes (NFKC can yield a
    /// typographic variant, as U+2037 ‷ gives three U+2035 ‵, and lower-casing can yield a
    /// character NFKC maps further), so that normalizing normalized text changes nothing.
    static func fold(_ scalar: Unicode.Scalar, options: NormalizationOptions, into output: inout [UInt8]) {
        var scalars = mapped(scalar, options: options)
        // A scalar that maps to itself is a fixed point already (most of them).
        for _ in 0..<8 where scalars != [scalar] {
            let again = scalars.flatMap { mapped($0, options: options) }
            if again == scalars { break }
            scalars = again
        }
        for folded in scalars {
            switch role(of: folded, keepPunctuation: options.keepPunctuation) {
            case .word:
                output.append(contentsOf: String(folded).utf8)
            case .separator:
                output.append(0x20)
            }
        }
    }

    /// One step of the mapping: a typographic fold or NFKC (with `foldCompatibilityForms`), then
    /// the full lower-case mapping (with `lowercase`).
    private static func mapped(_ scalar: Unicode.Scalar, options: NormalizationOptions) -> [Unicode.Scalar] {
        var text: String
        if options.foldCompatibilityForms {
            if let replacement = typographicFold(scalar) {
                text = replacement
            } else {
                text = compatibilityMapping(scalar)
            }
        } else {
            text = String(scalar)
        }
        if options.lowercase {
            text = text.lowercased()
        }
        return Array(text.unicodeScalars)
    }

    /// NFKC of `scalar` alone (Foundation's, from the table generated at build time), so that
    /// the library needs no Foundation at run time.
    static func compatibilityMapping(_ scalar: Unicode.Scalar) -> String {
        var mapping: UnsafePointer<UInt32>?
        let count = simk_nfkc_mapping(scalar.value, &mapping)
        guard count > 0, let mapping else { return String(scalar) }
        var text = String.UnicodeScalarView()
        for index in 0..<count {
            // The generator wrote only valid scalars; a bad one would be dropped, never trapped on.
            if let mapped = Unicode.Scalar(mapping[index]) { text.append(mapped) }
        }
        return String(text)
    }

    private enum Role { case word, separator }

    /// Letters, numbers and marks are word characters; punctuation and symbols are too when
    /// `keepPunctuation` is set; everything else (spaces, controls, formats) separates.
    private static func role(of scalar: Unicode.Scalar, keepPunctuation: Bool) -> Role {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber:
            return .word
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return keepPunctuation ? .word : .separator
        default:
            return .separator
        }
    }

    /// The typographic variants that NFKC leaves alone but that reprints swap freely.
    private static func typographicFold(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x2035, 0x02BC, 0xFF07:
            return "'"
        case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0x2036, 0x00AB, 0x00BB, 0xFF02:
            return "\""
        case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0xFE63, 0xFF0D:
            return "-"
        case 0x00A0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000:
            return " "
        case 0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
            return ""
        default:
            return nil
        }
    }
}
