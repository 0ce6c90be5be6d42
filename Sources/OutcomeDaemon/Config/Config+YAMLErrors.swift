import Foundation
import Yams

/// YAML syntax errors as FILE:LINE:COL errors that say what to look at.
extension Config {
    /// Most "not allowed" and "did not find expected" errors are a line indented one step off,
    /// and the parser notices only on the line after: name both.
    static func indentationHint(_ problem: String, line: Int, in text: String) -> String {
        guard problem.hasPrefix("mapping values are not allowed") || problem.hasPrefix("did not find expected") else { return "" }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 2, line - 1 <= lines.count else { return "" }
        let above = lines[..<(line - 1)].lastIndex { !$0.allSatisfy(\.isWhitespace) && !$0.drop { $0 == " " }.hasPrefix("#") }
        guard let above else { return "" }
        return "; check the indentation of this line and of line \(above + 1) above it"
    }

    static func composeYAML(_ text: String, file: String) throws(ConfigError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                 .composer(let context, let problem, let mark, _):
                let detail = context.map { "\(problem) (\($0.text) at line \($0.mark.line))" } ?? problem
                throw ConfigError(
                    SourceLocation(file: file, line: mark.line, column: mark.column),
                    "YAML syntax error: \(detail)\(indentationHint(problem, line: mark.line, in: text))"
                )
            case .duplicatedKeysInMapping(let duplicates, let context):
                let location = secondOccurrence(of: duplicates.first ?? "", in: text, file: file)
                    ?? SourceLocation(file: file, line: context.mark.line, column: context.mark.column)
                throw ConfigError(location, "duplicate key \"\(duplicates.joined(separator: ", "))\" in one mapping")
            default:
                throw ConfigError(SourceLocation(file: file, line: 1, column: 1), "YAML error: \(error)")
            }
        } catch {
            throw ConfigError(SourceLocation(file: file, line: 1, column: 1), "YAML error: \(error)")
        }
    }

    /// Where a key that the YAML parser reported as duplicated is written the second time.
    static func secondOccurrence(of key: String, in text: String, file: String) -> SourceLocation? {
        var seen = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let body = line.drop { $0 == " " || $0 == "-" }
            guard body.hasPrefix(key + ":") else { continue }
            seen += 1
            if seen == 2 { return SourceLocation(file: file, line: index + 1, column: line.count - body.count + 1) }
        }
        return nil
    }
}
