import InquestCore

/// File-name-safe, unique slugs for page paths. Front-matter values (ids, services, tags,
/// causes) are untrusted: whatever they contain, a page path is `[a-z0-9-]+.html`, so nothing
/// can be written outside the output folder and no two pages share a file.
enum Slugs {
    /// Slugs for `names` in one namespace, assigned in sorted order so the result does not
    /// depend on input order. Valid slugs are kept; others are made from the text; clashes and
    /// `reserved` names get `-2`, `-3`, ….
    static func assign(_ names: [String], reserved: Set<String> = []) -> [String: String] {
        var taken = reserved
        var out: [String: String] = [:]
        let unique = Array(Set(names)).sorted()
        // Valid slugs first, so a valid name keeps its own slug even when an invalid one would map to it.
        for name in unique where isKept(name) && !taken.contains(name) {
            out[name] = name
            taken.insert(name)
        }
        for name in unique where out[name] == nil {
            out[name] = claim(name, taken: &taken)
        }
        return out
    }

    static func isKept(_ name: String) -> Bool { Slug.isValid(name) && name.utf8.count <= 100 }

    /// Slugs for the postmortems (by archive index): the id when valid and unique, the first by
    /// path keeping a duplicated id.
    static func postmortems(_ archive: Archive, reserved: Set<String> = []) -> [String] {
        var taken = reserved
        var out = Array(repeating: "", count: archive.postmortems.count)
        taken.reserveCapacity(taken.count + out.count)
        // Ids read in place: iterating the documents copied (retained) every field of each.
        archive.postmortems.withUnsafeBufferPointer { documents in
            for index in documents.indices where isKept(documents[index].id) && !taken.contains(documents[index].id) {
                out[index] = documents[index].id
                taken.insert(documents[index].id)
            }
            for index in documents.indices where out[index].isEmpty {
                out[index] = claim(documents[index].id, taken: &taken)
            }
        }
        return out
    }

    /// The slug for `name` (itself when kept, else made from it), suffixed `-2`, `-3`, … until
    /// free, and marked taken.
    private static func claim(_ name: String, taken: inout Set<String>) -> String {
        let base = isKept(name) ? name : Slug.make(from: name, maxLength: 80)
        var candidate = base
        var counter = 2
        while taken.contains(candidate) {
            candidate = "\(base)-\(counter)"
            counter += 1
        }
        taken.insert(candidate)
        return candidate
    }
}
