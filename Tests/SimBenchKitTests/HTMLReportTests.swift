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
        #expect(html.contains("shingle: scaling"))
        #expect(html.contains("LSH S-curve b=4 r=2"))
        #expect(html.contains("precision, recall, F1"))
        #expect(svgNamespaces == 5, "throughput x2, scaling, curve, accuracy")
    }

    @Test("bar lengths are proportional to values")
    func barLengths() {
        let svg = SVGChart.bars(title: "t", bars: [.init(label: "a", value: 100, series: 0), .init(label: "b", value: 25, series: 0)], seriesNames: ["x"])
        #expect(svg.contains("width=\"520.0\""))
        #expect(svg.contains("width=\"130.0\""))
    }
}
