// ZeroError, the one error type of every face, is defined in ZeroGit so that
// git failures become Zero errors where they happen; whoever uses ZeroCore
// sees it (and Repository) without a second import.
@_exported import ZeroGit
