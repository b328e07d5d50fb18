#ifndef INQUEST_CLIBGIT2_SHIM_H
#define INQUEST_CLIBGIT2_SHIM_H
#include <git2.h>
#include <git2/sys/odb_backend.h>

/// An object-database backend that validates loose objects before libgit2's own loose reader
/// sees them (see LooseObjectValidator.swift). `parent` must come first: libgit2 hands the
/// callbacks a `git_odb_backend *` that is cast back to this struct.
typedef struct inquest_validating_backend {
    git_odb_backend parent;
    /// The repository's `objects` folder with a trailing slash, owned (malloc'd).
    char *objects_path;
} inquest_validating_backend;
#endif
