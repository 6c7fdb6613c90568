import EnergyCore

/// What a reader made of one grid-operator file: its figures, the values it had to refuse (each
/// with where and why), and the meter codes it did not know (reported once per file, skipped).
///
/// The reader checks the file on its own terms (structure, times, values, quality); whether its
/// metering points belong to the community is the importer's business (see `EDAImport`).
/// ```swift
/// let document = try CRMSGReader().read(bytes, name: "AT003…_20261025.xml")
/// for figure in document.figures { … }
/// for rejection in document.rejections { print("\(document.name): \(rejection)") }
/// ```
public struct EDADocument: Sendable {
    /// The file (path) the document came from.
    public var name: String
    /// The community's EC-ID the file names (CR_MSG `ECID`), if any.
    public var communityID: String?
    /// Every value read, readings (G.01) and the DSO's allocation alike, in file order.
    public var figures: [GridOperatorFigure] = []
    /// Values (or whole blocks) that could not be read.
    public var rejections: [EDARejection] = []
    /// Meter codes or series labels the reader does not know, each once.
    public var unknownMeterCodes: [String] = []

    public init(name: String, communityID: String? = nil) {
        self.name = name
        self.communityID = communityID
    }
}

/// A value, or a block of values, the reader refused: `location` says where in the file (an
/// element path with its line, or a row and column), `reason` what was wrong.
public struct EDARejection: Sendable, Equatable, CustomStringConvertible {
    public var location: String
    public var reason: String
    /// How many values the rejection covers (a refused block covers all of its values).
    public var values: Int

    public init(location: String, reason: String, values: Int = 1) {
        self.location = location
        self.reason = reason
        self.values = values
    }

    public var description: String { "\(location): \(reason)" }
}

/// The file as a whole cannot be read (not XML, not a workbook, no `Energiedaten` sheet, a
/// workbook whose columns contradict the documented mapping …): nothing of it is stored.
public struct EDAFileError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
