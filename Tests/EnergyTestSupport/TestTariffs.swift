/// Tariff fixtures shared by the core and billing tests.
///
/// ```swift
/// let yaml = TestTariffs.timeOfUse(generationVAT: 0, weekendEnd: "24:00")
/// ```
public enum TestTariffs {
    /// Five windows covering the week (night every day; standard, midday and evening on weekdays;
    /// the weekend from 06:00), a yearly member fee. `weekendEnd` is `"24:00"` or `"00:00"` (the
    /// same end of day, written two ways).
    public static func timeOfUse(generationVAT: Int, weekendEnd: String) -> String {
        """
        tariffs:
          consumption: 0.1234
          generation: 0.0875
          memberFee: {amount: 30, per: year}
          vat: {consumption: 20, generation: \(generationVAT), memberFee: 20}
          timeOfUse:
            - {name: night, from: "00:00", to: "06:00", consumption: 0.0812}
            - {name: midday, days: [mon, tue, wed, thu, fri], from: "10:00", to: "16:00", consumption: 0.1015, generation: 0.07}
            - {name: standard, days: [mon, tue, wed, thu, fri], from: "06:00", to: "10:00"}
            - {name: evening, days: [mon, tue, wed, thu, fri], from: "16:00", to: "24:00"}
            - {name: weekend, days: [sat, sun], from: "06:00", to: "\(weekendEnd)", consumption: 0.11}
        """
    }
}
