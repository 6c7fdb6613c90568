import EnergyAPI
import EnergyTestSupport
import Foundation
import Testing

/// The API's query parser under 20,000 mutated queries: typed values or a 400, never a crash and
/// never an operator let through.
@Suite struct FuzzQueryTests {
    @Test func theQueryParserNeverCrashesAndNeverPassesAnOperator() throws {
        let allowed: Set<String> = ["from", "to", "granularity", "format"]
        var parsed = 0
        let tried = try Fuzzer(
            name: "api-query", seeds: [Data("from=2026-10-01&to=2026-11-01&granularity=day&format=csv".utf8)],
            tokens: ["&", "=", "%", "%2", "%24ne", "$gt", "[", "]", "{", "}", "%FF", "+", "from=", "2026-02-30", "9999-12-31"]
        ).run { bytes in
            let query = String(decoding: bytes, as: UTF8.self)
            do {
                let parameters = try QueryParameters(query: query, allowed: allowed)
                parsed += 1
                for name in allowed {
                    let value = parameters[name] ?? ""
                    #expect(!value.contains("$") && !value.contains("{"), "\(query)")
                }
                _ = try? parameters.dateRange(maxDays: 366)
            } catch let error as APIError {
                #expect(error.code == "bad_request", "\(query): \(error)")
            }
        }
        #expect(tried >= 1_000 && parsed > 0, "\(tried) inputs, \(parsed) parsed")
    }
}
