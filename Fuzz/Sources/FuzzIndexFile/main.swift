import FuzzSupport

/// libFuzzer's entry point: one input through `FuzzCheck`'s indexFile check.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIndexFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzDriver.run(.indexFile, data, size)
}
