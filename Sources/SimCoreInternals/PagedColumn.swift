/// ``PagedColumn``'s elements per page, as a shift: 2¹⁶ elements a page. (Constants outside
/// the generic type, so that reading them needs no type metadata.)
@inlinable var pagedColumnPageShift: Int { 16 }
/// ``PagedColumn``'s elements per page.
@inlinable var pagedColumnPageSize: Int { 1 << 16 }
/// ``PagedColumn``'s mask of an element's index within its page.
@inlinable var pagedColumnPageMask: Int { (1 << 16) - 1 }

/// A growable array of plain values kept in pages of 2¹⁶ elements: appending never moves what
/// is stored, so a column of one value per document grows by one page at a time, where an
/// `Array` that doubles copies everything and holds the old storage and the new one, twice its
/// size, at once.
///
/// The doubling mattered at the end of a long run: crossing 2²⁰ documents, every per-document
/// array of an engine (id ends, lengths, the union-find's parents and ranks, the command line's
/// line numbers) doubled in the same batch, 18 MB copied into 36 MB, and the freed halves stayed
/// in the allocator as holes (1,080,000 paragraphs: README, Measurements). Pages of 2¹⁶
/// elements keep the unused tail to less than one page; the first page doubles as an array
/// would up to a page, so that a small column costs what an array would.
///
/// A value type: copies share their pages until one of them writes, which then copies them
/// all (as an `Array` copies its buffer). Pages are raw memory that a reference-counted owner
/// frees: a read is two loads (the page's start, the element) with no reference counting and
/// no check but the index's, where pages kept as nested arrays cost a uniqueness check of each
/// array per write and put the union-find's `find` at 3.7 times its instructions.
///
/// Public, not `package`, as ``UTF8Scalars`` is: this toolchain inlines no `package` function
/// into another module, and an engine reads its columns per document (a generic call, with its
/// type metadata looked up, took 6% of a run on 1,080,000 paragraphs).
///
/// ```swift
/// var column = PagedColumn<UInt32>()
/// column.append(7)
/// column.append(9)
/// column[1] += 1
/// Array(column)   // [7, 10]
/// ```
public struct PagedColumn<Element: BitwiseCopyable>: RandomAccessCollection {
    /// Where each page starts: every page but the last holds 2¹⁶ elements, the last one
    /// ``lastCapacity`` places. The owner lists the same pages to free them; reads use this
    /// copy, a value of the column's own, because a class's stored `var` read through a
    /// reference is checked for exclusive access at run time.
    @usableFromInline var starts: [UnsafeMutablePointer<Element>] = []
    /// Frees the pages once no column holds them.
    @usableFromInline var owner = PagedColumnOwner<Element>()
    /// The number of elements.
    @usableFromInline var elementCount = 0
    /// Places in the last page: 2¹⁶, or fewer while the column has one page.
    @usableFromInline var lastCapacity = 0

    /// An empty column.
    @inlinable
    public init() {}

    /// `count` copies of `value`.
    @inlinable
    public init(repeating value: Element, count: Int) {
        precondition(count >= 0, "a column cannot have a negative count")
        for _ in 0..<count { append(value) }
    }

    /// 0.
    @inlinable
    public var startIndex: Int { 0 }
    /// ``count``.
    @inlinable
    public var endIndex: Int { elementCount }

    /// The number of elements.
    @inlinable
    public var count: Int { elementCount }

    /// Element `index`, which must be below ``count``.
    @inlinable
    public subscript(index: Int) -> Element {
        @inline(__always) get {
            precondition(UInt(bitPattern: index) < UInt(bitPattern: elementCount), "index out of range")
            // SAFETY: index < count, so its page exists and holds it.
            return starts[index &>> pagedColumnPageShift][index & pagedColumnPageMask]
        }
        @inline(__always) set {
            precondition(UInt(bitPattern: index) < UInt(bitPattern: elementCount), "index out of range")
            if !isKnownUniquelyReferenced(&owner) { makeUnique() }
            // SAFETY: as above; the page is this column's alone.
            starts[index &>> pagedColumnPageShift][index & pagedColumnPageMask] = newValue
        }
    }

    /// Appends `value`: into the last page while it has room; a full page of 2¹⁶ gets a fresh
    /// page after it, and the first page, while short of that, doubles.
    @inlinable
    public mutating func append(_ value: Element) {
        if !isKnownUniquelyReferenced(&owner) { makeUnique() }
        let place = elementCount & pagedColumnPageMask
        if place == 0 {
            // The first element, or a full page of 2¹⁶ before it.
            addPage()
        } else if place == lastCapacity {
            growFirstPage()
        }
        // SAFETY: place < lastCapacity, the last page's room (made above).
        (starts[starts.count &- 1] + place).initialize(to: value)
        elementCount &+= 1
    }

    /// Bytes held by the pages.
    public var byteCount: Int {
        starts.isEmpty ? 0 : ((starts.count - 1) * pagedColumnPageSize + lastCapacity) * MemoryLayout<Element>.stride
    }

    /// Starts a page: 16 places for the first, 2¹⁶ for any after it.
    @usableFromInline
    mutating func addPage() {
        lastCapacity = starts.isEmpty ? 16 : pagedColumnPageSize
        let page = UnsafeMutablePointer<Element>.allocate(capacity: lastCapacity)
        starts.append(page)
        owner.pages.append(page)
    }

    /// Doubles the first (only) page, up to 2¹⁶ places.
    @usableFromInline
    mutating func growFirstPage() {
        let capacity = Swift.min(2 * lastCapacity, pagedColumnPageSize)
        let page = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        // SAFETY: the first page holds `elementCount` (its capacity) initialized plain values.
        page.initialize(from: starts[0], count: elementCount)
        starts[0].deallocate()
        starts[0] = page
        owner.pages[0] = page
        lastCapacity = capacity
    }

    /// Gives this column pages of its own, copies of the shared ones.
    @usableFromInline
    mutating func makeUnique() {
        let copy = PagedColumnOwner<Element>()
        for (number, start) in starts.enumerated() {
            let last = number == starts.count - 1
            let page = UnsafeMutablePointer<Element>.allocate(capacity: last ? lastCapacity : pagedColumnPageSize)
            // SAFETY: every page but the last is full; the last holds the rest of the elements.
            page.initialize(from: start, count: last ? elementCount - number * pagedColumnPageSize : pagedColumnPageSize)
            copy.pages.append(page)
        }
        starts = copy.pages
        owner = copy
    }
}

/// The owner of a ``PagedColumn``'s pages: frees them when the last column holding them goes.
public final class PagedColumnOwner<Element: BitwiseCopyable> {
    /// The pages, as the column's `starts` lists them.
    @usableFromInline var pages: [UnsafeMutablePointer<Element>] = []

    /// An owner of no pages.
    @usableFromInline init() {}

    deinit {
        // SAFETY: the pages were allocated by the column, and no column holds this owner any
        // more; the elements are plain values, so nothing needs deinitializing.
        for page in pages { page.deallocate() }
    }
}

// SAFETY: the pages are written only through a column whose owner is uniquely referenced (every
// mutation calls `makeUnique()` first), so a page that two columns share, possibly on two
// threads, is only ever read.
extension PagedColumn: @unchecked Sendable where Element: Sendable {}

extension PagedColumn: Equatable where Element: Equatable {
    /// Whether both columns hold the same elements in the same order.
    @inlinable
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.elementsEqual(rhs) }
}

extension PagedColumn: Hashable where Element: Hashable {
    /// Hashes the elements in order.
    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(elementCount)
        for element in self { hasher.combine(element) }
    }
}
