import EnergyCore
import Testing

@Suite struct CommunityFileTests {
    static let valid = """
        community: {id: eeg-test, name: EEG Test, timezone: Europe/Vienna, allocation: static}
        members:
          - id: M001
            name: Familie Huber
            meteringPoints:
              - {zaehlpunkt: AT0030000000000000000000000000001, direction: consumption, participation: 100, share: 20}
              - {zaehlpunkt: AT0030000000000000000000000000002, direction: generation, participation: 50}
          - id: M002
            meteringPoints:
              - {zaehlpunkt: AT0030000000000000000000000000003, direction: consumption, share: 12.5}
        """

    @Test func readsTheDocumentedShape() throws {
        let c = try CommunityFile.parse(Self.valid, source: "eeg.yaml")
        #expect(c.id == "eeg-test" && c.allocationKey == .static && c.calendar.identifier == "Europe/Vienna")
        #expect(c.meteringPoints.count == 3)
        #expect(c.meteringPoints[0].staticSharePPM == 200_000)
        #expect(c.meteringPoints[1].participationBasisPoints == 5000)
        #expect(c.meteringPoints[2].staticSharePPM == 125_000)
        #expect(c.members[1].name == "M002")
    }

    @Test func rendersTextThatReadsBackTheSame() throws {
        let c = try CommunityFile.parse(Self.valid, source: "eeg.yaml")
        let again = try CommunityFile.parse(CommunityFile.render(c, header: "test"), source: "rendered")
        #expect(again.members == c.members)
        #expect(again.allocationKey == c.allocationKey && again.id == c.id && again.name == c.name)
    }

    @Test(
        arguments: [
            (
                "AT0030000000000000000000000000001, direction: consumption, participation: 100, share: 20}",
                "AT003000000000000000000000000001, direction: consumption, participation: 100, share: 20}",
                "eeg.yaml:6: members[0] (M001).meteringPoints[0].zaehlpunkt: Zaehlpunkt 'AT003000000000000000000000000001' has 32 characters"
            ),
            (
                "participation: 50}", "participation: 150}",
                "eeg.yaml:7: members[0] (M001).meteringPoints[1].participation: must be between 0.01 and 100"
            ),
            (
                "direction: generation", "direction: sideways",
                "members[0] (M001).meteringPoints[1].direction: 'sideways' is not a direction"
            ),
            ("timezone: Europe/Vienna", "timezone: Europe/Vienn", "community.timezone: 'Europe/Vienn' is not an IANA time zone"),
            (", share: 12.5}", "}", "members[1] (M002).meteringPoints[0]: 'share' is missing"),
            ("participation: 50}", "participation: 50, colour: red}", "unknown key 'colour'"),
            ("- id: M002", "- id: M001", "member id 'M001' is used by members[0] too"),
            ("share: 20}", "share: 90}", "static shares add up to 102.5 %"),
            ("allocation: static", "allocation: random", "'random' is not an allocation key"),
            ("members:", "members: 3\nxx:", "unknown key 'xx'"),
        ] as [(String, String, String)])
    func errorsNameTheFileTheEntryAndTheProblem(find: String, replace: String, expected: String) throws {
        let broken = Self.valid.replacingFirst(find, with: replace)
        #expect(broken != Self.valid)
        do {
            _ = try CommunityFile.parse(broken, source: "eeg.yaml")
            Issue.record("expected an error for \(replace)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func duplicatePointsAndBrokenYAMLAreReported() {
        let duplicate = Self.valid.replacingFirst("000000000000000000000003", with: "000000000000000000000001")
        #expect(throws: CommunityFileError.self) { try CommunityFile.parse(duplicate, source: "x") }
        do {
            _ = try CommunityFile.parse("community: {id: [", source: "bad.yaml")
            Issue.record("expected a YAML error")
        } catch {
            #expect(error.description.hasPrefix("bad.yaml"))
        }
        #expect(throws: CommunityFileError.self) { try CommunityFile.parse("", source: "empty.yaml") }
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
