import FuzzSupport

/// libFuzzer's entry point: one input through `FuzzCheck`'s jsonLines check.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLines(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzDriver.run(.jsonLines, data, size)
}
