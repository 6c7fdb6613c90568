import Foundation

/// Seeded mutation fuzzing inside the test suite: each input is a seed input mutated a few times
/// (bits flipped, bytes inserted, deleted, repeated, replaced by tokens of the format), fed to a
/// parser that must answer with a value or an error, never a crash. The input being tried is
/// written to `Tests/fuzz-crashes/NAME.current` first, so a crash (which ends the test process)
/// leaves it behind to reproduce; `make fuzz` runs the same targets long.
///
/// ```swift
/// let tried = try Fuzzer(name: "readings-csv", seeds: [Data(csv.utf8)], tokens: [",", "\n", "-1"]).run { bytes in
///     _ = try? parse(bytes)
/// }
/// ```
public struct Fuzzer {
    public let name: String
    public let seeds: [[UInt8]]
    public let tokens: [[UInt8]]
    /// From `ENERGY_FUZZ_INPUTS` (`make fuzz`), else `defaultInputs`.
    public let inputs: Int
    public var seed: UInt64 = 20_261_204

    public init(name: String, seeds: [Data], tokens: [String] = [], defaultInputs: Int = 20_000) {
        self.name = name
        self.seeds = seeds.map { [UInt8]($0) }
        self.tokens = tokens.map { Array($0.utf8) }
        inputs = ProcessInfo.processInfo.environment["ENERGY_FUZZ_INPUTS"].flatMap(Int.init) ?? defaultInputs
    }

    /// Where a crashing input is left.
    public static var folder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fuzz-crashes").path
    }

    /// Feeds `inputs` mutated inputs to `body`; returns how many were tried.
    @discardableResult
    public func run(_ body: ([UInt8]) throws -> Void) throws -> Int {
        try FileManager.default.createDirectory(atPath: Self.folder, withIntermediateDirectories: true)
        let current = Self.folder + "/" + name + ".current"
        // One descriptor, overwritten in place: a crash of this process leaves the last input in
        // the page cache, hence in the file, without the cost of a new (synced) file per input.
        let fd = open(current, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw FuzzerError("cannot write \(current): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var random = SplitMix64(seed: seed)
        for _ in 0..<inputs {
            var input = seeds[Int.random(in: 0..<seeds.count, using: &random)]
            for _ in 0..<Int.random(in: 1...4, using: &random) { mutate(&input, &random) }
            // Written before the call: if it crashes, the input stays (a finished run removes it).
            let written = input.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
            guard written == input.count, ftruncate(fd, off_t(input.count)) == 0 else {
                throw FuzzerError("cannot write \(current): \(String(cString: strerror(errno)))")
            }
            try body(input)
        }
        try? FileManager.default.removeItem(atPath: current)
        return inputs
    }

    func mutate(_ input: inout [UInt8], _ random: inout SplitMix64) {
        let position = input.isEmpty ? 0 : Int.random(in: 0..<input.count, using: &random)
        switch Int.random(in: 0..<7, using: &random) {
        case 0 where !input.isEmpty:  // flip a bit
            input[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
        case 1:  // insert a random byte
            input.insert(UInt8.random(in: 0...255, using: &random), at: position)
        case 2 where !input.isEmpty:  // delete a run
            input.removeSubrange(position..<min(input.count, position + Int.random(in: 1...16, using: &random)))
        case 3 where !input.isEmpty:  // repeat a run
            let end = min(input.count, position + Int.random(in: 1...64, using: &random))
            input.insert(contentsOf: input[position..<end], at: position)
        case 4 where !tokens.isEmpty:  // insert a token of the format
            input.insert(contentsOf: tokens[Int.random(in: 0..<tokens.count, using: &random)], at: position)
        case 5 where !input.isEmpty && !tokens.isEmpty:  // replace a run by a token
            let end = min(input.count, position + Int.random(in: 1...8, using: &random))
            input.replaceSubrange(position..<end, with: tokens[Int.random(in: 0..<tokens.count, using: &random)])
        default:  // truncate
            input.removeSubrange(min(position, input.count)..<input.count)
        }
    }
}

struct FuzzerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
