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
        // Switching the example to the static key without shares is refused with the place named.
        let staticWithoutShares = text.replacingOccurrences(of: "allocation: dynamic", with: "allocation: static")
        #expect(throws: CommunityFileError.self) { try CommunityFile.parse(staticWithoutShares, source: path) }
    }
}
