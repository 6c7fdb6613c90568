import EnergyCore
import Foundation
import Testing

@Suite struct ExampleFileTests {
    @Test func theDocumentedExampleCommunityFileIsValid() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("reports/community.example.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let community = try CommunityFile.parse(text, source: path)
        #expect(community.id == "eeg-sonnenfeld" && community.members.count == 3 && community.meteringPoints.count == 4)
        #expect(community.meteringPoints[2].participationBasisPoints == 8000)
        #expect(community.meteringPoints[2].profile == .photovoltaic(kWp: 30))
        let tariff = try #require(community.tariff)
        #expect(tariff.windows.map(\.name) == ["midday", "standard"] && tariff.windows[0].consumptionPrice.text == "0.1")
        #expect(tariff.memberFee.text == "2.50" && tariff.vat.consumption.text == "20" && tariff.windows[1].generationPrice.text == "0.08")
        // Switching the example to the static key without shares is refused with the place named.
        let staticWithoutShares = text.replacingOccurrences(of: "allocation: dynamic", with: "allocation: static")
        #expect(throws: CommunityFileError.self) { try CommunityFile.parse(staticWithoutShares, source: path) }
    }
}

@Suite struct ReadmeTariffTests {
    @Test func theTariffsBlockInTheReadmeIsValid() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md").path
        let readme = try String(contentsOfFile: path, encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "### Tariffs in the community file").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "```").first)
        let community = """
            community: {id: eeg-readme}
            members:
              - id: A
                meteringPoints:
                  - {zaehlpunkt: AT0030000000000000000000000000001, direction: consumption}

            """
        let tariff = try #require(try CommunityFile.parse(community + block, source: "README.md").tariff)
        #expect(tariff.windows.map(\.name) == ["midday", "standard", "weekend"])
    }
}
