import Foundation
import SimCore
import SimCoreIO
import SimCoreInternals

/// The properties SimCore's fuzz targets check, one function per target: the libFuzzer
/// executables in `Fuzz/` call them on every generated input, and `swift test` replays the
/// committed corpora (`Fuzz/Corpus/<target>/`) through them, so a crash reproducer stays a
/// regression test without a fuzzing toolchain.
///
/// Each check returns normally when every property holds and throws ``FuzzFailure`` naming the
/// broken one; a crash or a sanitizer report is a failure too.
///
/// ```swift
/// try FuzzCheck.textNormalization(Array("Don’t STOP…".utf8))
/// ```
public enum FuzzCheck {
    /// The fuzz targets by name, as `Fuzz/Corpus/` and `Fuzz/Sources/` name them.
    public enum Target: String, CaseIterable, Sendable {
        /// ``FuzzCheck/textNormalization(_:)``.
        case normalize = "FuzzNormalize"
        /// ``FuzzCheck/jsonLines(_:)``.
        case jsonLines = "FuzzJSONLines"
        /// ``FuzzCheck/indexFile(_:scratch:)``.
        case indexFile = "FuzzIndexFile"
        /// ``FuzzCheck/alignment(_:)``.
        case alignment = "FuzzAlignment"
    }

    /// Runs `target`'s check on `input`, with `scratch` as a directory for files.
    ///
    /// - Parameters:
    ///   - target: Which check.
    ///   - input: The fuzzer's bytes.
    ///   - scratch: A writable directory of this process's own.
    /// - Throws: ``FuzzFailure``.
    public static func run(_ target: Target, _ input: [UInt8], scratch: String) throws {
        switch target {
        case .normalize: try textNormalization(input)
        case .jsonLines: try jsonLines(input)
        case .indexFile: try indexFile(input, scratch: scratch)
        case .alignment: try alignment(input)
        }
    }

    /// Makes a fresh directory for a check's files: in `/dev/shm` when it exists (a memory file
    /// system, where the loaders' mapping and the writers' `fsync` cost next to nothing: the
    /// damage matrix saves thousands of files), otherwise in the temporary directory.
    ///
    /// It lies under this process's scratch root, which is removed with everything in it when
    /// the process exits normally; a caller done with it earlier may remove it itself, and one
    /// about to `abort` calls ``removeScratchDirectories()``.
    ///
    /// - Parameter prefix: The start of the directory's name.
    /// - Returns: Its path.
    /// - Throws: The file system's error when it cannot be created.
    public static func makeScratchDirectory(_ prefix: String) throws -> String {
        try ScratchDirectories.make(prefix, inMemory: true)
    }

    /// Removes every directory ``makeScratchDirectory(_:)`` made in this process, now: for a
    /// process about to end without running exit handlers (a fuzz target calling `abort` so that
    /// libFuzzer saves the input). A later ``makeScratchDirectory(_:)`` still works.
    public static func removeScratchDirectories() {
        ScratchDirectories.removeAll()
    }

    /// The option sets the normalization check picks from with its first byte.
    static let normalizations: [NormalizationOptions] = [
        .default, NormalizationOptions(lowercase: false), NormalizationOptions(keepPunctuation: true),
        NormalizationOptions(foldCompatibilityForms: false),
    ]

    /// The UTF-8 normalizer and tokenizer on any bytes (the first byte picks the options, the
    /// hash seed, and the shingle unit and width; the rest is the text):
    /// - the word-shingling fast path (SWAR mapping, 64-byte boundary scan) finds exactly the
    ///   tokens of the reference normalizer, ``TextNormalizer/normalize(utf8:)``, split at spaces;
    /// - normalized text is valid UTF-8 with single spaces between tokens and none at either end,
    ///   and normalizing it again changes nothing;
    /// - word n-gram and character k-gram shingling give one hash per window (one for a short,
    ///   non-empty text), and sorted sets are strictly increasing.
    ///
    /// - Parameter input: The selector byte and the text.
    /// - Throws: ``FuzzFailure`` naming the broken property.
    public static func textNormalization(_ input: [UInt8]) throws {
        guard let selector = input.first else { return }
        let text = Array(input.dropFirst())
        let options = normalizations[Int(selector & 3)]
        let normalizer = TextNormalizer(options: options)
        let normalized = normalizer.normalize(utf8: text)
        guard UTF8Scalars.firstInvalidOffset(normalized) == nil else { throw FuzzFailure("normalized text is not valid UTF-8") }
        guard normalized.first != 0x20, normalized.last != 0x20,
              !zip(normalized, normalized.dropFirst()).contains(where: { $0 == 0x20 && $1 == 0x20 }) else {
            throw FuzzFailure("normalized text has a leading, trailing or double space")
        }
        let again = normalizer.normalize(utf8: normalized)
        guard again == normalized else {
            throw FuzzFailure("normalizing twice differs: \(String(decoding: normalized, as: UTF8.self).debugDescription) became \(String(decoding: again, as: UTF8.self).debugDescription)")
        }
        let seed = UInt64(selector >> 2)
        let tokens = normalized.split(separator: 0x20)
        let reference = tokens.map { XXH3.hash64(Array($0), seed: seed) }
        let fast = text.withUnsafeBytes { normalizer._fastPathTokenHashes(ofUTF8: $0, seed: seed) }
        guard fast == reference else {
            throw FuzzFailure("the fast path found \(fast.count) tokens, the reference normalizer \(reference.count), or other ones")
        }
        // One shingle unit per input (bit 4 of the selector), width 1...8 (its top three bits).
        let width = 1 + Int(selector >> 5)
        let (unit, units): (ShinglingOptions.Unit, Int) = selector & 0x10 == 0
            ? (.words(width), tokens.count)
            : (.characters(width), String(decoding: normalized, as: UTF8.self).unicodeScalars.count)
        let shingler = Shingler(options: ShinglingOptions(unit: unit, seed: seed, normalization: options))
        let windows = units == 0 ? 0 : Swift.max(1, units - width + 1)
        let count = text.withUnsafeBytes { shingler.withShingleHashes(ofUTF8: $0) { $0.count } }
        guard count == windows else { throw FuzzFailure("\(unit): \(count) shingle hashes for \(units) units, expected \(windows)") }
        let set = shingler.shingles(ofUTF8: text)
        guard zip(set.hashes, set.hashes.dropFirst()).allSatisfy({ $0 < $1 }), set.count <= windows else {
            throw FuzzFailure("\(unit): the shingle set is not strictly increasing")
        }
    }

    /// The JSON Lines reader on any bytes, read as a corpus file (`id`, `text`) and as a
    /// `simdedup bands` file (`id`, `bands`), with bad records skipped and counted. The bytes
    /// are read from memory (``CorpusReader/init(jsonLines:path:options:)``: the reader's own
    /// line reader, parser and policy, on this thread, no file), so one input costs
    /// microseconds:
    /// - reading never throws (every problem is a counted reject), but for gzip data (magic
    ///   `1f 8b`) that does not inflate, a file-level error;
    /// - documents read + rejects = the non-blank lines (of the inflated bytes, for gzip data),
    ///   and every record and reject names its own line, in order;
    /// - every accepted record, written back as JSON, parses to the same id (text and kind) and
    ///   the same text or band keys.
    ///
    /// - Parameter input: The file's bytes.
    /// - Throws: ``FuzzFailure`` naming the broken property.
    public static func jsonLines(_ input: [UInt8]) throws {
        let path = "input.jsonl"

        let reader = CorpusReader(jsonLines: input, path: path, options: CorpusOptions(invalidInput: .skip))
        var placed: [Int] = []
        let parser = JSONRecordParser(idField: "id", textField: "text")
        do {
            while let record = try reader.nextRecord() {
                guard let line = record.line, record.path == path else { throw FuzzFailure("a record without its line") }
                placed.append(line)
                var json: [UInt8] = Array(#"{"text":"#.utf8)
                JSONText.appendString(String(decoding: record.document.utf8, as: UTF8.self), to: &json)
                json.append(contentsOf: #","id":"#.utf8)
                record.id.appendJSON(to: &json)
                json.append(UInt8(ascii: "}"))
                let again = try json.withUnsafeBytes { try parser.parse($0) }
                guard again.id == record.id, again.text == record.document.utf8 else {
                    throw FuzzFailure("line \(line) does not round-trip: \(String(decoding: json, as: UTF8.self).debugDescription)")
                }
            }
        } catch let error as CorpusError {
            // Bytes that start with gzip's magic are inflated whatever the file's name; data that
            // does not inflate is the file's error, thrown under every policy (there are no
            // records to skip).
            if isGzip(input), case .unreadable = error.reason { return }
            throw FuzzFailure("reading with --skip-invalid threw \(error)")
        } catch let error as JSONRecordParser.Failure {
            throw FuzzFailure("a record written back does not parse: \(error)")
        }
        for reject in reader.rejected {
            guard reject.path == path, let line = reject.line else { throw FuzzFailure("a reject without its line: \(reject)") }
            placed.append(line)
        }
        // Gzip data (it inflated, or reading would have thrown) has the inflated bytes' lines.
        let expectedLines = nonBlankLines(isGzip(input) ? try inflated(input, path: path) : input)
        guard placed.sorted() == expectedLines else {
            throw FuzzFailure("records and rejects name lines \(placed.sorted()), the file's non-blank lines are \(expectedLines)")
        }

        let bandParser = JSONRecordParser(idField: "id", integersField: "bands")
        let lines = LineReader(bytes: input, path: path)
        while let outcome = try lines.nextLine({ line -> Result<JSONRecordParser.Record, JSONRecordParser.Failure> in
            Result { () throws(JSONRecordParser.Failure) in try bandParser.parse(line) }
        }) {
            guard case .success(let record) = outcome, let id = record.id, let keys = record.integers else { continue }
            var json: [UInt8] = Array(#"{"bands":["#.utf8)
            for (index, key) in keys.enumerated() {
                if index > 0 { json.append(UInt8(ascii: ",")) }
                JSONText.appendInteger(key, to: &json)
            }
            json.append(contentsOf: #"],"id":"#.utf8)
            id.appendJSON(to: &json)
            json.append(UInt8(ascii: "}"))
            guard let again = try? json.withUnsafeBytes({ try bandParser.parse($0) }), again.id == id, again.integers == keys else {
                throw FuzzFailure("band line \(lines.lineNumber) does not round-trip: \(String(decoding: json, as: UTF8.self).debugDescription)")
            }
        }
    }

    /// Whether `bytes` start with gzip's magic, so that the line reader inflates them.
    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0x1F, 0x8B]) }

    /// The lines the line reader reads from `bytes` (gzip data inflated, CRLF as LF), each
    /// followed by a line feed.
    static func inflated(_ bytes: [UInt8], path: String) throws -> [UInt8] {
        let lines = LineReader(bytes: bytes, path: path)
        var text: [UInt8] = []
        while try lines.nextLine({ line in text.append(contentsOf: line) }) != nil { text.append(0x0A) }
        return text
    }

    /// The 1-based numbers of the lines of `bytes` that hold more than spaces and tabs, as
    /// ``LineReader`` splits them (a leading byte-order mark skipped, `\r\n` read as `\n`).
    static func nonBlankLines(_ bytes: [UInt8]) -> [Int] {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        var lines = body.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines.enumerated().compactMap { number, line in
            let content = line.last == 0x0D ? line.dropLast() : line
            return content.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) ? nil : number + 1
        }
    }

    /// The index-file loaders on any bytes: the first byte picks the format
    /// (``IndexFileFormat/all``) and, with its high bit, whether the rest is loaded as it is or
    /// ``IndexFileFormat/resealed(_:)`` first (valid length and checksum, so the loader's own
    /// checks are reached). Every input is refused with ``IndexFileError`` or loads into a
    /// structure that passes its invariant check, answers queries, takes an insert and survives
    /// a save and reload (insert, save and reload only up to
    /// ``IndexFileFormat/exerciseDocumentLimit`` documents: a few bytes can claim two billion).
    /// The input is loaded from memory (the loaders' own checks, no file per input); only the
    /// save and reload of a loaded structure use the scratch directory.
    ///
    /// - Parameters:
    ///   - input: The selector byte and the file.
    ///   - scratch: A writable directory of this process's own.
    /// - Throws: ``FuzzFailure`` naming the broken property.
    public static func indexFile(_ input: [UInt8], scratch: String) throws {
        guard let selector = input.first else { return }
        let format = IndexFileFormat.all[Int(selector & 0x7F) % IndexFileFormat.all.count]
        let body = Array(input.dropFirst())
        let file = selector & 0x80 != 0 ? IndexFileFormat.resealed(body) : body
        let loaded: LoadedIndexFile
        do {
            // From memory: the loader's every check, with no file written and mapped per input.
            loaded = try format.load(bytes: file, name: "input.index")
        } catch is IndexFileError {
            return
        } catch {
            throw FuzzFailure("\(format.name): the loader threw \(error), not an IndexFileError")
        }
        do {
            try loaded.checkInvariants()
            try loaded.exercise((scratch as NSString).appendingPathComponent("resaved.index"))
        } catch let failure as FuzzFailure {
            throw FuzzFailure("\(format.name): \(failure)")
        } catch {
            throw FuzzFailure("\(format.name): a loaded file fails: \(error)")
        }
    }

    /// Passage alignment on any two texts: the first byte picks the options (n-gram width 1...4,
    /// fewest passage words 1...8, widest gap 0...7), the rest is text A, a NUL byte, text B
    /// (all of it A and B alike when there is no NUL). For the aligner (``PassageAligner``; each
    /// text tokenized once, then aligned both ways):
    /// - every passage's byte ranges lie inside its text and are not empty, its word ranges
    ///   inside the word counts, and its matched words at least the minimum and at most either
    ///   side's words;
    /// - passages are ordered by their start in A, and no two share a word or a byte of A, or
    ///   a word or a byte of B (where a text repeats itself too: the regression inputs
    ///   `regression-overlapping-passages-*` are texts that once gave overlapping passages);
    /// - coverage is in [0, 1], and aligning B with A holds to the same rules.
    ///
    /// - Parameter input: The selector byte and the two texts.
    /// - Throws: ``FuzzFailure`` naming the broken property.
    public static func alignment(_ input: [UInt8]) throws {
        guard let selector = input.first else { return }
        let body = Array(input.dropFirst())
        let a: [UInt8]
        let b: [UInt8]
        if let nul = body.firstIndex(of: 0) {
            a = Array(body[..<nul])
            b = Array(body[(nul + 1)...])
        } else {
            a = body
            b = body
        }
        let options = AlignmentOptions(
            ngramWidth: 1 + Int(selector & 3), minimumPassageWords: 1 + Int((selector >> 2) & 7), maximumGap: Int(selector >> 5))
        let aligner = PassageAligner(options: options)
        a.withUnsafeBytes { aligner.prepareA($0) }
        b.withUnsafeBytes { aligner.prepareB($0) }
        try checkPassages(aligner.alignPrepared(), options: options, a: a.count, b: b.count, names: ("A", "B"))
        // The other way round, the same properties hold (each text tokenized once for both; a
        // text aligned with itself has no other way round).
        guard body.contains(0) else { return }
        aligner.swapPrepared()
        try checkPassages(aligner.alignPrepared(), options: options, a: b.count, b: a.count, names: ("B (as A)", "A (as B)"))
    }

    /// The alignment check's properties of one alignment of texts of `a` and `b` bytes.
    static func checkPassages(
        _ alignment: SimCore.Alignment, options: SimCore.AlignmentOptions, a: Int, b: Int, names: (String, String)
    ) throws {
        func check(words: KeyPath<AlignedPassage, Range<Int>>, bytes: KeyPath<AlignedPassage, Range<Int>>,
                   wordCount: Int, byteCount: Int, name: String) throws {
            for passage in alignment.passages {
                let range = passage[keyPath: bytes]
                let wordRange = passage[keyPath: words]
                guard range.lowerBound >= 0, range.upperBound <= byteCount, !range.isEmpty else {
                    throw FuzzFailure("passage bytes \(range) outside text \(name) of \(byteCount) bytes")
                }
                guard wordRange.lowerBound >= 0, wordRange.upperBound <= wordCount, !wordRange.isEmpty else {
                    throw FuzzFailure("passage words \(wordRange) outside text \(name) of \(wordCount) words")
                }
            }
            // No two passages share a word or a byte of this text.
            for ranges in [alignment.passages.map { $0[keyPath: words] }, alignment.passages.map { $0[keyPath: bytes] }] {
                let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
                if let (first, second) = zip(sorted, sorted.dropFirst()).first(where: { $0.overlaps($1) }) {
                    throw FuzzFailure("passages overlap in text \(name): \(first) and \(second)")
                }
            }
        }
        try check(words: \.wordsA, bytes: \.bytesA, wordCount: alignment.wordCountA, byteCount: a, name: names.0)
        try check(words: \.wordsB, bytes: \.bytesB, wordCount: alignment.wordCountB, byteCount: b, name: names.1)
        guard zip(alignment.passages, alignment.passages.dropFirst()).allSatisfy({ $0.wordsA.lowerBound < $1.wordsA.lowerBound }) else {
            throw FuzzFailure("passages are not in the order of text \(names.0)")
        }
        for passage in alignment.passages {
            guard passage.matchedWords >= options.minimumPassageWords,
                  passage.matchedWords <= Swift.min(passage.wordsA.count, passage.wordsB.count) else {
                throw FuzzFailure("passage \(passage) matches \(passage.matchedWords) words")
            }
        }
        guard (0...1).contains(alignment.coverageA), (0...1).contains(alignment.coverageB) else {
            throw FuzzFailure("coverage \(alignment.coverageA), \(alignment.coverageB)")
        }
    }
}
