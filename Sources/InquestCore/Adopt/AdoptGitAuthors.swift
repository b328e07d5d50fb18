import Foundation

extension Adopter {
    /// Who added each document, from git: the author of the oldest commit touching it (mailmap
    /// applied), read with one revision walk through ``HistoryLoader``. Empty outside a
    /// repository, before the first commit, and for files never committed.
    public static func gitAuthors(root: URL, configuration: Configuration, documents: [RawDocument]) throws(SourceError) -> [String: (name: String, shortSHA: String)] {
        guard let repository = try WorkspaceRepository.discover(root: root),
              let head = try repository.targetCommit(.workingTree) else { return [:] }
        let parser = PostmortemParser(schema: configuration.schema)
        let archive = Archive(postmortems: documents.map(parser.parse), catalogue: nil)
        let history = try HistoryLoader.load(repository: repository, target: head, archive: archive, configuration: configuration)
        var authors: [String: (name: String, shortSHA: String)] = [:]
        for (path, document) in history.documents {
            guard let first = document.published, !first.author.isEmpty else { continue }
            authors[path] = (first.author, first.shortSHA)
        }
        return authors
    }
}
