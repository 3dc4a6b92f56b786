import Testing

@testable import ZeroCore

@Suite struct MemoryMergeTests {
    @Test("events merge append-only: repeated lines stay repeated, in time order after the base")
    func repeatedEvents() {
        let base = "- 2026-11-24T09:00:00Z session_created investigating"
        let ours = base + "\n- 2026-11-24T10:00:00Z paused\n- 2026-11-24T10:00:00Z resumed\n- 2026-11-24T10:00:00Z paused\n- 2026-11-24T10:00:00Z resumed"
        let theirs = base + "\n- 2026-11-24T09:30:00Z note from theirs"
        let merged = MemoryMerge.unionOfEvents(base: base, ours: ours, theirs: theirs).split(separator: "\n")
        #expect(merged.count == 6)
        #expect(merged[1] == "- 2026-11-24T09:30:00Z note from theirs")
        #expect(merged.filter { $0.hasSuffix("paused") }.count == 2)
    }

    @Test("lines that are not events are kept in place, not sorted away")
    func fencedLinesKept() {
        let ours = "- 2026-11-24T10:00:00Z a\n```\nkept as pasted\n```"
        let theirs = "- 2026-11-24T09:00:00Z b"
        let merged = MemoryMerge.unionOfEvents(base: "", ours: ours, theirs: theirs)
        #expect(merged == ours + "\n" + theirs)
    }
}
