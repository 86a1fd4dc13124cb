import Foundation
import Testing
@testable import SimBenchKit

@Suite("HTMLReport")
struct HTMLReportTests {
    @Test("the report is self-contained and has every chart the results call for")
    func selfContained() throws {
        var a = ResultComparisonTests.result("laptop <A&B>", [
            ("shingle", 1, 0.5, WorkUnits(documents: 10, bytes: 1_000_000)), ("shingle", 2, 0.3, WorkUnits(documents: 10, bytes: 1_000_000)),
            ("all-pairs", 1, 0.1, WorkUnits(pairs: 50)),
        ])
        a.records[2].metrics.merge(["precision": 1, "recall": 0.9, "f1": 0.947]) { $1 }
        a.curves = [CurveRecord(name: "LSH S-curve b=4 r=2", workload: "dedupe", variant: "b=4 r=2", xLabel: "Jaccard", yLabel: "P(candidate)",
                                measured: [CurvePoint(x: 0.2, y: 0.1), CurvePoint(x: 0.8, y: 0.95)],
                                theory: [CurvePoint(x: 0.2, y: 0.15), CurvePoint(x: 0.8, y: 0.97)])]
        let b = ResultComparisonTests.result("server", [("shingle", 1, 0.2, WorkUnits(documents: 10, bytes: 1_000_000))])
        let html = HTMLReport(results: [a, b]).render()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        let externalReferences = html.components(separatedBy: "http").count - 1
        let svgNamespaces = html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1
        #expect(externalReferences == svgNamespaces, "only SVG namespace URIs, nothing fetched")
        #expect(html.contains("laptop &lt;A&amp;B&gt;"))
        #expect(!html.contains("laptop <A&B>"))
        #expect(html.contains("shingle: MB/s"))
        #expect(html.contains("shingle v: scaling"))
        #expect(html.contains("LSH S-curve b=4 r=2"))
        #expect(html.contains("precision, recall, F1"))
        #expect(svgNamespaces == 5, "throughput x2, scaling, curve, accuracy")
        // One colour per file everywhere: the server's bar is its colour, the ratio to the laptop follows the value.
        #expect(html.contains("fill=\"\(SVGChart.color(1))\""))
        #expect(html.contains("×2.50"), "0.5 s → 0.2 s is 2.5 times the laptop's MB/s")
        #expect(html.contains("p99 latency") || !html.contains("latencyP99Seconds"), "readable metric names")
        #expect(!html.contains("megabytesPerSecond"))
    }

    @Test("bars carry min–max whiskers; scaling lines and curves use one colour per file; theory is grey")
    func coloursAndWhiskers() throws {
        func record(_ threads: Int, _ samples: [Double]) -> WorkloadRecord {
            WorkloadRecord(workload: "shingle", variant: "words:5", threads: threads, samples: SampleStatistics(secondsPerRun: samples),
                           units: WorkUnits(documents: 10, bytes: 1_000_000), peakResidentBytes: 1)
        }
        var a = ResultComparisonTests.result("a", [])
        a.records = [record(1, [0.5, 0.4, 1.0]), record(2, [0.3])]
        var b = ResultComparisonTests.result("b", [])
        b.records = [record(1, [0.45, 0.5, 0.55]), record(2, [0.2])]
        let curve = CurveRecord(name: "S", workload: "lsh-curve", variant: "v", xLabel: "s", yLabel: "P",
                                measured: [CurvePoint(x: 0.5, y: 0.3)], theory: [CurvePoint(x: 0, y: 0), CurvePoint(x: 1, y: 1)])
        a.curves = [curve]
        b.curves = [curve]
        let html = HTMLReport(results: [a, b]).render()
        // a's 1-thread bar: 2 MB/s median, whisker from 1 MB/s (slowest sample) to 2.5 MB/s (fastest).
        #expect(html.contains("samples 1–2.5"), "\(html.prefix(0))")
        #expect(html.contains("×1.00~"), "b's ratio lies inside the samples' spread: noise")
        let scaling = try #require(html.range(of: "shingle words:5: scaling"))
        let scalingChart = html[scaling.lowerBound...].prefix { $0 != "/" || true }
        #expect(scalingChart.contains("stroke=\"\(SVGChart.color(0))\"") && scalingChart.contains("stroke=\"\(SVGChart.color(1))\""))
        #expect(html.components(separatedBy: "stroke=\"#7F7F7F\"").count - 1 == 2, "theory drawn once, in grey (its line and legend)")
    }

    @Test("bar lengths are proportional to values")
    func barLengths() {
        let svg = SVGChart.bars(title: "t", bars: [.init(label: "a", value: 100, series: 0), .init(label: "b", value: 25, series: 0)], seriesNames: ["x"])
        #expect(svg.contains("width=\"520.0\""))
        #expect(svg.contains("width=\"130.0\""))
    }
}
