import EnergyStore

/// Answers one store connection computed, kept while the connection reports the same data version
/// (``StoreDataVersion``): a repeated request (a dashboard polling a month of one point) is
/// answered without reading the rollups again. Bounded: at most `maximumCount` answers and
/// `budgetBytes` in all (1 MB: a month of days of one point is 8 kB), none over `maximumBytes`;
/// an answer of data that changed is never returned, since the version is read before the data
/// and any commit since then changes it.
///
/// One cache per connection, used only by the thread that holds the connection
/// (``StoreConnections``): no lock. The version of one connection says nothing about another's.
final class AnswerCache {
    let maximumCount: Int
    let maximumBytes: Int
    let budgetBytes: Int
    private var bytes = 0
    private var version: StoreDataVersion?
    private var answers: [String: [UInt8]] = [:]
    /// Keys in the order they were stored: the oldest goes first when full.
    private var order: [String] = []

    init(maximumCount: Int, maximumBytes: Int = 256 * 1024, budgetBytes: Int = 1024 * 1024) {
        self.maximumCount = maximumCount
        self.maximumBytes = min(maximumBytes, budgetBytes)
        self.budgetBytes = budgetBytes
    }

    var count: Int { answers.count }
    var storedBytes: Int { bytes }

    /// The answer stored for `key` at `version`; a new version drops every answer.
    func answer(for key: String, at version: StoreDataVersion) -> [UInt8]? {
        if version != self.version {
            self.version = version
            answers.removeAll(keepingCapacity: true)
            order.removeAll(keepingCapacity: true)
            bytes = 0
            return nil
        }
        return answers[key]
    }

    /// Keeps `answer` of `key`, computed from data read at `version` or later.
    func remember(_ answer: [UInt8], for key: String, at version: StoreDataVersion) {
        guard maximumCount > 0, answer.count <= maximumBytes, version == self.version else { return }
        if let old = answers.updateValue(answer, forKey: key) {
            bytes -= old.count
        } else {
            order.append(key)
        }
        bytes += answer.count
        while order.count > maximumCount || bytes > budgetBytes {
            if let dropped = answers.removeValue(forKey: order.removeFirst()) { bytes -= dropped.count }
        }
    }
}
