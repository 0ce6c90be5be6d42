import OutcomeEngine

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
        let name = Markup.escape(suite)
        var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        out += #"<testsuites name="outcomed test" tests="\#(results.count)" failures="\#(failures)" errors="0">"# + "\n"
        out += #"  <testsuite name="\#(name)" tests="\#(results.count)" failures="\#(failures)" errors="0" skipped="0">"# + "\n"
        if let coverage {
            out += "    <properties>\n"
            out += #"      <property name="coverage" value="\#(coverage.covered) of \#(coverage.rules.count)"/>"# + "\n"
            for rule in coverage.uncovered {
                out += #"      <property name="uncovered" value="\#(Markup.escape(rule))"/>"# + "\n"
            }
            out += "    </properties>\n"
        }
        for result in results {
            let testcase = #"    <testcase name="\#(Markup.escape(result.name))" classname="\#(name)""#
            if result.passed {
                out += testcase + "/>\n"
            } else {
                let text = Markup.escape(result.line)
                out += testcase + ">\n"
                out += #"      <failure message="\#(text)" type="rule">\#(text)</failure>"# + "\n"
                out += "    </testcase>\n"
            }
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }
}
