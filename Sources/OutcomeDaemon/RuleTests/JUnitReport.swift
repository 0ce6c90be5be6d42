/// Rule test results as JUnit XML (`outcomed test --junit FILE`), the format CI systems read.
public struct JUnitReport: Sendable {
    /// The suite's name: the test file.
    public var suite: String
    /// The results, in the order they ran.
    public var results: [RuleTestResult]
    /// The coverage of the run, kept as suite properties.
    public var coverage: RuleCoverage?

    /// Creates a report.
    public init(suite: String, results: [RuleTestResult], coverage: RuleCoverage? = nil) {
        self.suite = suite
        self.results = results
        self.coverage = coverage
    }

    /// The XML document: one `testsuite`, one `testcase` per test, a `failure` with the FAIL text.
    public var xml: String {
        let failures = results.filter { !$0.passed }.count
        let name = Self.escape(suite)
        var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        out += #"<testsuites name="outcomed test" tests="\#(results.count)" failures="\#(failures)" errors="0">"# + "\n"
        out += #"  <testsuite name="\#(name)" tests="\#(results.count)" failures="\#(failures)" errors="0" skipped="0">"# + "\n"
        if let coverage {
            out += "    <properties>\n"
            out += #"      <property name="coverage" value="\#(coverage.covered) of \#(coverage.rules.count)"/>"# + "\n"
            for rule in coverage.uncovered {
                out += #"      <property name="uncovered" value="\#(Self.escape(rule))"/>"# + "\n"
            }
            out += "    </properties>\n"
        }
        for result in results {
            let testcase = #"    <testcase name="\#(Self.escape(result.name))" classname="\#(name)""#
            if result.passed {
                out += testcase + "/>\n"
            } else {
                let text = Self.escape(result.line)
                out += testcase + ">\n"
                out += #"      <failure message="\#(text)" type="rule">\#(text)</failure>"# + "\n"
                out += "    </testcase>\n"
            }
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    /// Escapes text for an attribute or element; characters XML 1.0 cannot hold become U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out += "&#\(scalar.value);"
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
