import Foundation
import ZeroCore

/// How long reading a meta.yaml takes as its header grows: each count of keys
/// through the fast reader, and through Yams (a block scalar at the top sends
/// the header there). Linear means ten times the keys, about ten times the time.
enum ParseTiming {
    static func measure(_ counts: [Int]) throws -> [String: [String: Double]] {
        var result: [String: [String: Double]] = [:]
        for count in counts {
            let base = "id: 31255233-0c7f-4164-8feb-0dc1b8af28ef\ntitle: t\nstate: OPEN\ncreated_at: 2026-04-21T09:00:00Z\n"
            var keys = ""
            keys.reserveCapacity(count * 10)
            for index in 0..<count { keys += "k" + String(index, radix: 36) + ": v\n" }
            let fast = base + keys
            let yams = "note: |\n  read by Yams\n" + base + keys
            result[String(count)] = [
                "bytes": Double(fast.utf8.count),
                "fast_ms": try median { _ = try CaseMeta.parse(fast, file: "meta.yaml") },
                "yams_ms": try median { _ = try CaseMeta.parse(yams, file: "meta.yaml") },
            ]
        }
        return result
    }

    /// The median of five runs, in milliseconds.
    private static func median(_ body: () throws -> Void) throws -> Double {
        var times: [Double] = []
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return times.sorted()[2]
    }
}
