import EnergyCore

// Leases over day ranges (the rule is DayLeases'): one document per lease, `_id` its name, with a
// `version` and the holders' `claims`.
extension MongoStore {
    public func updateLeaseClaims(_ name: String, _ change: ([LeaseClaim]) -> [LeaseClaim]?) throws {
        // One document per lease holds every claim and a version; a write replaces it only if
        // the version is still the one read (compare-and-swap), so no transaction is needed and
        // a standalone server is as safe as a replica set. A lost race reads again.
        for _ in 0..<Self.leaseAttempts {
            var found = false
            var version: Int64?
            var stored: [LeaseClaim] = []
            try db.find("leases", filter: BSONDocument(["_id": .string(name)])) { doc in
                found = true
                version = doc.int64("version")
                stored = try Self.leaseClaims(of: doc, name: name, server: pool.server)
            }
            guard let claims = change(stored) else { return }
            let next = (version ?? 0) + 1
            let document = BSONDocument([
                "_id": .string(name), "version": .int64(next),
                "claims": .array(
                    claims.map { claim -> BSONValue in
                        let entry = BSONDocument(["holder": .string(claim.holder), "expires": Self.date(claim.expires)])
                        if let days = claim.days {
                            entry.append("first_day", .string(days.lowerBound.description))
                            entry.append("end_day", .string(days.upperBound.description))
                        }
                        return .document(entry)
                    }),
            ])
            let write = try db.bulk("leases")
            if found {
                // A document of a version before day leases has no version: match its absence.
                let current: BSONValue = version.map { .int64($0) } ?? .document(BSONDocument(["$exists": .bool(false)]))
                try write.replaceOne(
                    filter: BSONDocument(["_id": .string(name), "version": current]), replacement: document, upsert: false)
                if try write.execute().matched == 1 { return }
            } else {
                try write.insert(document)
                if try write.execute().duplicateIndices.isEmpty { return }
            }
        }
        throw MongoError(
            server: pool.server, code: 0,
            message: "the lease \(name) changed \(Self.leaseAttempts) times while this run tried to take it; try again")
    }

    /// How often a lease update is tried when other holders keep changing the lease meanwhile.
    static let leaseAttempts = 100

    /// The claims of a lease document; one of a version before day leases (`holder`, `expires`)
    /// is a claim on every day.
    static func leaseClaims(of doc: BSONDocument, name: String, server: String) throws -> [LeaseClaim] {
        if doc.int64("version") == nil, let holder = doc.string("holder") {
            return [LeaseClaim(holder: holder, days: nil, expires: (doc.int64("expires") ?? 0) / 1000)]
        }
        var claims: [LeaseClaim] = []
        var i = 0
        while let holder = doc.string("claims.\(i).holder") {
            var days: Range<LocalDate>?
            if let first = doc.string("claims.\(i).first_day") {
                guard let from = try? LocalDate(first), let to = doc.string("claims.\(i).end_day").flatMap({ try? LocalDate($0) }),
                    from <= to
                else {
                    throw MongoError(server: server, code: 0, message: "lease \(name) has a claim of malformed days")
                }
                days = from..<to
            }
            claims.append(LeaseClaim(holder: holder, days: days, expires: (doc.int64("claims.\(i).expires") ?? 0) / 1000))
            i += 1
        }
        return claims
    }
}
