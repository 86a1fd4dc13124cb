import FuzzSupport

/// libFuzzer's entry point: one input through `FuzzCheck`'s alignment check.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAlignment(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzDriver.run(.alignment, data, size)
}
