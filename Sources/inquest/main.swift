import ArgumentParser

// Usage errors exit with 2, like configuration and I/O errors (ArgumentParser's default is 64).
do {
    var command = try Inquest.parseAsRoot()
    try command.run()
} catch {
    if Inquest.exitCode(for: error) == .validationFailure {
        Inquest.exit(withError: ExitStatus.usage(Inquest.fullMessage(for: error)))
    }
    Inquest.exit(withError: error)
}
