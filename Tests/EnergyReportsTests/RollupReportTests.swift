import EnergyCore
import EnergyJobs
import EnergyReports
import EnergyStore
import EnergyTestSupport
import Testing

@Suite struct RollupReportTests {
    @Test func everyGranularityAddsUpToTheSameDays() throws {
        let f = try SimulatedFixture()
        let job = RollupJob(store: f.store, community: f.community)
        _ = try job.run(try job.plan(.range(from: f.from, to: f.to)))
        for scope in ReportScope.allCases {
            let days = try RollupReport(store: f.store, community: f.community, scope: scope, granularity: .day, from: f.from, to: f.to)
                .rows
            for granularity in [Granularity.quarterHour, .hour, .month] {
                let finer = try RollupReport(
                    store: f.store, community: f.community, scope: scope, granularity: granularity, from: f.from, to: f.to
                ).rows
                var sum = EnergyTotals()
                var daySum = EnergyTotals()
                for row in finer { sum.add(row.totals) }
                for row in days { daySum.add(row.totals) }
                #expect(sum == daySum, "\(scope) \(granularity)")
            }
        }
    }

    @Test func dstDayHas25HourBucketsAndSpringDay23() throws {
        let vienna = try LocalCalendar(timeZoneIdentifier: "Europe/Vienna")
        let fall = BucketGrid(calendar: vienna, from: try LocalDate("2026-10-25"), to: try LocalDate("2026-10-26"), granularity: .hour)
        #expect(fall.count == 25 && fall.quarterHourCounts.allSatisfy { $0 == 4 })
        let spring = BucketGrid(calendar: vienna, from: try LocalDate("2026-03-29"), to: try LocalDate("2026-03-30"), granularity: .hour)
        #expect(spring.count == 23)
        let month = BucketGrid(calendar: vienna, from: try LocalDate("2026-10-15"), to: try LocalDate("2026-11-03"), granularity: .month)
        #expect(month.count == 2 && month.quarterHourCounts == [17 * 96 + 4, 2 * 96])
        #expect(month.starts[0] == vienna.startOfDay(try LocalDate("2026-10-15")))
        let days = BucketGrid(calendar: vienna, from: try LocalDate("2026-10-24"), to: try LocalDate("2026-10-27"), granularity: .day)
        #expect(days.quarterHourCounts == [96, 100, 96])
        let india = BucketGrid(
            calendar: try LocalCalendar(timeZoneIdentifier: "Asia/Kolkata"), from: try LocalDate("2026-10-24"),
            to: try LocalDate("2026-10-25"), granularity: .hour)
        #expect(india.count == 24 && india.starts[0] % 3600 == 1800)
    }

    @Test func daysNotRolledUpShowAsMissingAndStale() throws {
        let f = try SimulatedFixture()
        let report = try RollupReport(store: f.store, community: f.community, scope: .community, granularity: .day, from: f.from, to: f.to)
        #expect(report.rows.count == 3)
        #expect(report.rows.allSatisfy { $0.totals.intervals == 0 && $0.totals.expectedIntervals > 0 })
        #expect(report.staleDays.count == 3)
    }

    @Test func csvHasTheDocumentedColumnsAndExactDecimals() throws {
        let f = try SimulatedFixture(days: 2)
        let job = RollupJob(store: f.store, community: f.community)
        _ = try job.run(try job.plan(.range(from: f.from, to: f.to)))
        let rows = try RollupReport(store: f.store, community: f.community, scope: .meter, granularity: .hour, from: f.from, to: f.to).rows
        let csv = ReportWriter(calendar: f.community.calendar).csv(rows)
        let lines = csv.split(separator: "\n")
        #expect(
            lines[0]
                == "bucket_start,scope,zaehlpunkt,consumed_kwh,produced_kwh,shared_kwh,grid_kwh,surplus_kwh,intervals,expected_intervals,"
                + "dso_intervals")
        #expect(lines.count == 1 + (24 + 25) * f.community.meteringPoints.count)
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(fields.count == 11)
            #expect(fields[1] == "meter" && fields[2].count == 33)
            #expect(fields[10] == "0", "no grid-operator figures in a simulated community")
            for energy in fields[3...7] { #expect(energy.split(separator: ".").last?.count == 6) }
        }
        #expect(
            lines.contains { $0.hasPrefix("2026-10-25T02:00:00+01:00") } && lines.contains { $0.hasPrefix("2026-10-25T02:00:00+02:00") })
        let json = ReportWriter(calendar: f.community.calendar).json(Array(rows.prefix(2)))
        #expect(json.contains("\"consumed_mwh\":") && json.hasPrefix("[\n"))
    }

    @Test func summaryAddsUpTheMembers() throws {
        let f = try SimulatedFixture()
        let job = RollupJob(store: f.store, community: f.community)
        _ = try job.run(try job.plan(.range(from: f.from, to: f.to)))
        let summary = try CommunitySummary(store: f.store, community: f.community, from: f.from, to: f.to)
        #expect(summary.members.map(\.consumer.shared).reduce(0, +) == summary.totals.shared)
        #expect(summary.members.map(\.producer.shared).reduce(0, +) == summary.totals.shared)
        let ranked = summary.membersByCommunityEnergy
        #expect(zip(ranked, ranked.dropFirst()).allSatisfy { $0.consumer.shared >= $1.consumer.shared })
        #expect(summary.render(top: 3).contains("self-sufficiency"))
    }
}
