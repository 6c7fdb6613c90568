import EnergyCore
import Foundation

/// The kWh values and quality codes of the EDA workbook's cells, read into mWh and ``Quality``.
///
/// A number cell is a binary floating-point number: one that the file writes with more than six
/// decimals (`0.30000000000000004`, `0.1234565`) is taken as the shortest text that gives back the
/// same `Double` and rounded half to even to six decimals, as the EDA figures have at most six.
/// A text cell is a person's decimal (a comma or a point): it is read exactly, and refused if it
/// has more than six decimals.
/// ```swift
/// EDAWorkbookValue.number(Array("0.1234565".utf8))   // .value(123_456)
/// EDAWorkbookValue.text(Array("1,5".utf8))           // .value(1_500_000)
/// ```
enum EDAWorkbookValue {
    enum Outcome: Equatable {
        case value(Int64)
        /// Nothing in the cell (white space only).
        case empty
        case refused(String)
    }

    /// A decimal as written: `mantissa × 10^exponent`, with `inexact` set when digits beyond the
    /// 18 the mantissa holds were not zero.
    private struct Decimal {
        var negative = false
        var mantissa: UInt64 = 0
        var exponent = 0
        var inexact = false
    }

    /// The text of a number cell.
    static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        guard let decimal = scan(bytes, comma: false) else { return .refused("'\(text(bytes))' is not a number") }
        if let exact = milliwattHours(decimal, rounding: false) { return exact }
        // More than six decimals: the float's shortest text, rounded half to even.
        guard let double = Double(text(bytes)), double.isFinite,
            let shortest = Array(double.description.utf8).withUnsafeBufferPointer({
                scan($0, comma: false)
            })
        else { return .refused("'\(text(bytes))' is not a number") }
        return milliwattHours(shortest, rounding: true) ?? .refused("'\(text(bytes))' is not a number")
    }

    static func number(_ bytes: [UInt8]) -> Outcome { bytes.withUnsafeBufferPointer { number($0) } }

    /// The text of a text cell: `0,25`, `0.25`, surrounded by spaces or not.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        var low = 0
        var high = bytes.count
        while low < high, bytes[low] == UInt8(ascii: " ") || bytes[low] == UInt8(ascii: "\t") { low += 1 }
        while high > low, bytes[high - 1] == UInt8(ascii: " ") || bytes[high - 1] == UInt8(ascii: "\t") { high -= 1 }
        guard low < high else { return .empty }
        let trimmed = UnsafeBufferPointer(rebasing: bytes[low..<high])
        guard let decimal = scan(trimmed, comma: true) else {
            return .refused("'\(text(trimmed))' is not a number (kWh with a decimal comma or point, e.g. 0,25)")
        }
        return milliwattHours(decimal, rounding: false)
            ?? .refused("'\(text(trimmed))' has more than 6 decimals (1 mWh = 0.000001 kWh is the smallest unit)")
    }

    static func text(_ bytes: [UInt8]) -> Outcome { bytes.withUnsafeBufferPointer { text($0) } }

    /// An `MM` cell's quality: `L1`-`L3`, or the older codes `01`-`05` (as text, or as the number
    /// a spreadsheet made of them).
    static func quality(_ bytes: UnsafeBufferPointer<UInt8>, isNumber: Bool) -> Quality? {
        if bytes.count == 2 {
            let first = bytes[0] | 0x20
            switch (first, bytes[1]) {
            case (UInt8(ascii: "l"), UInt8(ascii: "1")): return .measured
            case (UInt8(ascii: "l"), UInt8(ascii: "2")): return .substituted
            case (UInt8(ascii: "l"), UInt8(ascii: "3")): return .estimated
            default: break
            }
        }
        let text = text(bytes).trimmingCharacters(in: .whitespaces)
        if isNumber, let code = Int(text), (1...5).contains(code) { return Quality(edaCode: "0\(code)") }
        return Quality(edaCode: text)
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// An optional sign, digits with one decimal separator, an optional exponent (`E-5`).
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, comma: Bool) -> Decimal? {
        var decimal = Decimal()
        var index = 0
        let count = bytes.count
        if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            decimal.negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var digits = 0
        var afterSeparator = false
        while index < count {
            let byte = bytes[index]
            let digit = byte &- UInt8(ascii: "0")
            if digit < 10 {
                digits += 1
                if decimal.mantissa < 100_000_000_000_000_000 {
                    decimal.mantissa = decimal.mantissa * 10 + UInt64(digit)
                    if afterSeparator { decimal.exponent -= 1 }
                } else {
                    // Beyond 18 digits: remember that something was dropped, keep the magnitude.
                    if digit != 0 { decimal.inexact = true }
                    if !afterSeparator { decimal.exponent += 1 }
                }
            } else if !afterSeparator && (byte == UInt8(ascii: ".") || (comma && byte == UInt8(ascii: ","))) {
                afterSeparator = true
            } else {
                break
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var negative = false
            if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                negative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponent = 0
            var exponentDigits = 0
            while index < count, bytes[index] &- UInt8(ascii: "0") < 10 {
                exponent = min(exponent * 10 + Int(bytes[index] &- UInt8(ascii: "0")), 10_000)
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            decimal.exponent += negative ? -exponent : exponent
        }
        return index == count ? decimal : nil
    }

    /// The decimal in mWh (kWh × 10⁶): exact, or (`rounding`) rounded half to even; nil when it
    /// is not exact and `rounding` is off.
    private static func milliwattHours(_ decimal: Decimal, rounding: Bool) -> Outcome? {
        let shift = decimal.exponent + 6
        var magnitude: UInt64
        if decimal.mantissa == 0 {
            magnitude = 0
        } else if shift >= 0 {
            magnitude = decimal.mantissa
            for _ in 0..<shift {
                let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
                guard !overflow, product <= UInt64(Int64.max) else { return .refused("the value is too large") }
                magnitude = product
            }
        } else if -shift > 19 {
            // Far below 1 mWh.
            guard rounding else { return nil }
            magnitude = 0
        } else {
            var divisor: UInt64 = 1
            for _ in 0..<(-shift) { divisor *= 10 }
            magnitude = decimal.mantissa / divisor
            let remainder = decimal.mantissa % divisor
            if remainder != 0 || decimal.inexact {
                guard rounding else { return nil }
                let twice = remainder.multipliedReportingOverflow(by: 2)
                let above = twice.overflow || twice.partialValue > divisor || (twice.partialValue == divisor && decimal.inexact)
                let tie = !twice.overflow && twice.partialValue == divisor && !decimal.inexact
                if above || (tie && magnitude % 2 == 1) { magnitude += 1 }
            }
        }
        guard magnitude <= UInt64(Int64.max) else { return .refused("the value is too large") }
        return .value(decimal.negative ? -Int64(magnitude) : Int64(magnitude))
    }
}
