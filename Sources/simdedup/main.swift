import SimCommandLine
import SimCoreInternals
import SimDedupKit

Platform.exit(CommandLineMain.run(SimDedup.self, arguments: Array(CommandLine.arguments.dropFirst()), io: .process()))
