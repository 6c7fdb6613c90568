import Foundation

/// Produces items on a thread of its own, a few ahead of the consumer, so that reading (a file, a
/// store) and working on what was read overlap on two cores. The producer stops at the first
/// error, which `next()` rethrows in order.
///
/// ```swift
/// let files = Prefetcher(capacity: 2, count: paths.count) { i in try reader.read(path: paths[i]) }
/// while let document = try files.next() { try store(document) }
/// ```
public final class Prefetcher<Item>: @unchecked Sendable {
    private enum Slot {
        case item(Item)
        case failed(any Error)
        case end
    }

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var slots: [Slot] = []
    private var cancelled = false
    private let capacity: Int

    /// Starts producing at once: `produce(0)`, `produce(1)`, … `produce(count - 1)`, on a new
    /// thread. `produce` must only use what it owns or what is safe to share.
    public init(capacity: Int = 2, count: Int, name: String = "energy prefetch", produce: @escaping (Int) throws -> Item) {
        self.capacity = max(1, capacity)
        let work = Handover(value: produce)
        let thread = Thread { [self] in
            for index in 0..<count {
                let slot: Slot
                do { slot = .item(try work.value(index)) } catch { slot = .failed(error) }
                guard put(slot) else { return }
                if case .failed = slot { return }
            }
            _ = put(.end)
        }
        thread.name = name
        thread.start()
    }

    private func put(_ slot: Slot) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while slots.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        slots.append(slot)
        condition.broadcast()
        return true
    }

    /// The next item, or nil after the last one. Rethrows the producer's error.
    public func next() throws -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while slots.isEmpty { condition.wait() }
        let slot = slots.removeFirst()
        condition.broadcast()
        switch slot {
        case let .item(item): return item
        case let .failed(error): throw error
        case .end:
            slots.insert(.end, at: 0)
            return nil
        }
    }

    /// Stops the producer (after an error on the consuming side); call it when done early.
    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Hands a value that is not `Sendable` to exactly one other thread, which owns it from then on.
public struct Handover<Value>: @unchecked Sendable {
    public let value: Value
    public init(value: Value) { self.value = value }
}
