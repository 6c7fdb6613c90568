import EnergyBilling
import Testing

struct SEPATextTests {
    @Test func transliteratesGermanAndOtherLatinLetters() {
        #expect(SEPAText.latin("Jürgen Groß & Söhne", maxLength: 70) == "Juergen Gross + Soehne")
        #expect(SEPAText.latin("ÄÖÜ äöü ẞ", maxLength: 70) == "AeOeUe aeoeue SS")
        #expect(SEPAText.latin("Café Hélène, Zoë Ñuñez", maxLength: 70) == "Cafe Helene, Zoe Nunez")
        #expect(SEPAText.latin("Łódź Dvořák Øresund", maxLength: 70) == "Lodz Dvorak Oresund")
        #expect(SEPAText.latin("ﬁnal", maxLength: 70) == "final")  // a ligature, by compatibility decomposition
    }

    @Test func replacesTheRestBySpacesAndCollapses() {
        #expect(SEPAText.latin("  a\tb\n\nc  <d> #1 * 2 ", maxLength: 70) == "a b c d 1 2")
        #expect(SEPAText.latin("Rechnung “2026-0001”", maxLength: 70) == "Rechnung '2026-0001'")
        #expect(SEPAText.latin("中文", maxLength: 70) == "")
        #expect(SEPAText.latin("a_b@c.at", maxLength: 70) == "a-b(at)c.at")
    }

    @Test func cutsToTheFieldLengthAfterTransliterating() {
        // 35 x "ä" → 70 characters "ae…": the cut counts the transliterated text.
        #expect(SEPAText.latin(String(repeating: "ä", count: 40), maxLength: SEPAText.nameLength).count == 70)
        // A space at the cut is dropped, so the field does not end in a space.
        #expect(SEPAText.latin("abc def", maxLength: 4) == "abc")
        #expect(SEPAText.latin(String(repeating: "x", count: 200), maxLength: SEPAText.remittanceLength).count == 140)
    }

    @Test func identifiersAreCheckedNotChanged() {
        #expect(SEPAText.isValidIdentifier("2026-0001"))
        #expect(SEPAText.isValidIdentifier("EEG/M/0001"))
        #expect(SEPAText.isValidIdentifier(String(repeating: "1", count: 35)))
        #expect(!SEPAText.isValidIdentifier(String(repeating: "1", count: 36)))
        #expect(!SEPAText.isValidIdentifier(""))
        #expect(!SEPAText.isValidIdentifier("/2026"))
        #expect(!SEPAText.isValidIdentifier("2026/"))
        #expect(!SEPAText.isValidIdentifier("2026//1"))
        #expect(!SEPAText.isValidIdentifier("Mandat-Müller"))
        #expect(!SEPAText.isValidIdentifier(" 2026"))
        #expect(!SEPAText.isValidIdentifier("a&b"))
    }

    @Test func escapesTheFiveXMLCharacters() {
        #expect(SEPAText.escaped("a & b < c > d 'e' \"f\"") == "a &amp; b &lt; c &gt; d &apos;e&apos; &quot;f&quot;")
        #expect(SEPAText.escaped("plain") == "plain")
    }
}
