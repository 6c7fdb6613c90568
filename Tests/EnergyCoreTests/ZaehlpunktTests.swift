import EnergyCore
import EnergyTestSupport
import Testing

@Suite struct ZaehlpunktTests {
    @Test func roundTripsText() throws {
        for text in [
            "AT0030000000000000000000000000001", "AT00100000000000000000000000ZZZZZ", "ATZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ",
            "AT0000000000000000000000000000000",
        ] {
            #expect(try Zaehlpunkt(text).description == text)
        }
    }

    @Test func ordersLikeItsText() throws {
        var generator = SplitMix64(seed: 7)
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let texts = (0..<300).map { _ in "AT" + String((0..<31).map { _ in alphabet[Int(generator.next() % 36)] }) }
        let parsed = try texts.map { try Zaehlpunkt($0) }
        #expect(parsed.sorted().map(\.description) == texts.sorted())
        #expect(Set(parsed).count == Set(texts).count)
    }

    @Test func saysWhatIsWrong() {
        #expect(throws: ZaehlpunktError.empty) { try Zaehlpunkt("") }
        #expect(throws: ZaehlpunktError.wrongLength("AT003", 5)) { try Zaehlpunkt("AT003") }
        #expect(throws: ZaehlpunktError.wrongCountryPrefix("DE0030000000000000000000000000001")) {
            try Zaehlpunkt("DE0030000000000000000000000000001")
        }
        #expect(throws: ZaehlpunktError.invalidCharacter("AT003000000000000000000000000000a", position: 33, character: "a")) {
            try Zaehlpunkt("AT003000000000000000000000000000a")
        }
        let message = "\(ZaehlpunktError.invalidCharacter("x", position: 33, character: "a"))"
        #expect(message.contains("position 33") && message.contains("upper case"))
        #expect(throws: ZaehlpunktError.self) { try Zaehlpunkt("AT00300000000000000-0000000000001") }
    }
}
