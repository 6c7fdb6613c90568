import EnergyCore
import Foundation

/// Reads the EDA portal's quarter-hour export (`.xlsx`, sheet `Energiedaten`, e.g.
/// `RC108175_20260701T00_0020260731T23_45.xlsx`) into the grid operator's figures.
///
/// The sheet is streamed row by row. Header rows are found by their label in column A, in either
/// spelling (`MeteringPointId`/`MeteringpointID`, `Energydirection`/`Energy direction`,
/// `MeterCode`/`Metercode`); value columns by their metering point and series label, each with the
/// `MM` quality column after it (see ``EDAWorkbookLayout``; the labels' meaning is the one table in
/// ``EDAWorkbookLabels``). Then one row per quarter hour: column A its local start (text with or
/// without seconds, or an Excel serial date; the autumn's repeated hour by file order), and per
/// point and series a kWh value and its quality.
///
/// An empty cell is no figure (not zero); rows outside a point's data period are ignored for that
/// point. A bad value (negative, not a number, more than six decimals in text, no or an unknown
/// quality) or a bad time is an ``EDARejection`` naming row and column; the rest of the file is
/// read. Series labels the table does not know are listed once in `unknownMeterCodes` and skipped.
/// The file as a whole is refused (``EDAFileError``) when it is not a workbook, has no
/// `Energiedaten` sheet or no header, or contradicts the label table (``EDAWorkbookCheck``).
/// ```swift
/// let reader = EDAWorkbookReader(calendar: try LocalCalendar(timeZoneIdentifier: "Europe/Vienna"))
/// let document = try reader.read(path: "RC108175_20260701T00_0020260731T23_45.xlsx")
/// for rejection in document.rejections { print("\(document.name): \(rejection)") }
/// ```
public struct EDAWorkbookReader: Sendable {
    /// The sheet that holds the quarter hours (matched whatever its case).
    public static let sheetName = "Energiedaten"

    public let calendar: LocalCalendar

    public init(calendar: LocalCalendar) { self.calendar = calendar }

    /// Reads the workbook at `path`.
    public func read(path: String) throws(EDAFileError) -> EDADocument {
        let workbook: XLSXReader
        do {
            workbook = try XLSXReader(path: path)
        } catch {
            throw EDAFileError(file: path, message: error.message)
        }
        return try read(workbook, name: path)
    }

    /// Reads a workbook held in memory; `name` is the file it came from.
    public func read(_ bytes: [UInt8], name: String) throws(EDAFileError) -> EDADocument {
        let workbook: XLSXReader
        do {
            workbook = try XLSXReader(bytes: bytes, name: name)
        } catch {
            throw EDAFileError(file: name, message: error.message)
        }
        return try read(workbook, name: name)
    }

    private func read(_ workbook: XLSXReader, name: String) throws(EDAFileError) -> EDADocument {
        let wanted = Self.sheetName.lowercased()
        guard let sheet = workbook.sheetNames.first(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() == wanted }) else {
            throw EDAFileError(
                file: name,
                message:
                    "no sheet '\(Self.sheetName)' (the workbook has \(workbook.sheetNames.map { "'\($0)'" }.joined(separator: ", "))): "
                    + "not the EDA portal's quarter-hour export")
        }
        var state = EDAWorkbookRows(document: EDADocument(name: name), calendar: calendar, uses1904Dates: workbook.uses1904Dates)
        do {
            let rows = try workbook.rows(ofSheet: sheet)
            while let row = try rows.next() { try state.take(row) }
        } catch let error as EDAFileError {
            throw error
        } catch let error as XLSXError {
            throw EDAFileError(file: name, message: error.message)
        } catch {
            throw EDAFileError(file: name, message: "\(error)")
        }
        return try state.finish()
    }
}
