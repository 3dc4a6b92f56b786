import Testing
import ZeroGit

@Suite struct LibGit2Tests {
    @Test("the loaded libgit2 has the major.minor of the headers zero was built with")
    func loadedMatchesBuilt() throws {
        let built = LibGit2.builtVersion
        #expect(
            built.split(separator: ".").count == 2 && built.allSatisfy { $0.isNumber || $0 == "." },
            "built version \(built) is not major.minor")
        let loaded = try LibGit2.loadedVersion()
        #expect(
            loaded.split(separator: ".").prefix(2).joined(separator: ".") == built,
            "loaded libgit2 \(loaded), built against \(built)")
    }
}
