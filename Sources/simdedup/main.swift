#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SimDedupKit

exit(SimDedupMain.run(arguments: Array(CommandLine.arguments.dropFirst()), io: .process()))
