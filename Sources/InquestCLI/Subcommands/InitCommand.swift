import ArgumentParser
import Foundation
import InquestCore

struct Init: InquestCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create inquest.yml, the cause catalogue and a template.")

    func run(in context: CLIContext) throws(CLIError) {
        try CLIError.exitingOnFailure {
            let files = Scaffold.initFiles()
            try Scaffold.write(files, under: context.currentDirectory)
            for file in files { context.out("created \(file.path)\n") }
        }
    }
}
