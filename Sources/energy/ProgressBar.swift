import Foundation

/// A one-line progress bar on standard output, drawn only when that is a terminal.
struct ProgressBar {
    let title: String
    let total: Int
    private let enabled: Bool
    private var lastDrawn = -1
    /// Elapsed time for the closing line: a monotonic clock, unaffected by changes of the wall clock.
    private let started = ContinuousClock.now

    init(_ title: String, total: Int) {
        self.title = title
        self.total = max(total, 1)
        enabled = isatty(STDOUT_FILENO) == 1
    }

    mutating func update(_ done: Int) {
        guard enabled else { return }
        let permille = min(1000, done * 1000 / total)
        guard permille != lastDrawn else { return }
        lastDrawn = permille
        let width = 30
        let filled = permille * width / 1000
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = "\r\(title.padding(toLength: 22, withPad: " ", startingAt: 0)) \(bar) \(permille / 10)%"
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    /// Clears the bar and prints a closing line.
    mutating func finish(_ message: String) {
        if enabled { FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8)) }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(message + String(format: " (%.1f s)", seconds))
    }
}
