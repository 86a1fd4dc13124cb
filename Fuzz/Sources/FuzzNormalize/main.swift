import FuzzSupport

/// libFuzzer's entry point: one input through `FuzzCheck`'s normalize check.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNormalize(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzDriver.run(.normalize, data, size)
}
