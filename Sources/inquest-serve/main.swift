import Foundation
import InquestCLI
import InquestServe

// `inquest serve` with the preview server linked in: `inquest serve` starts this program, so that
// `inquest` itself does not load the server's HTTP stack (InquestCLI's ServeCommand.swift says why).
exit(InquestCLI.serveMain { port, configFile, context in
    try PreviewCommand.run(port: port, configFile: configFile, directory: context.currentDirectory,
                           environment: context.environment, out: { context.out($0) }, err: { context.err($0) })
})
