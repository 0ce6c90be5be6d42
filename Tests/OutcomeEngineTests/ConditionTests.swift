import Testing
@testable import OutcomeEngine

struct ConditionTests {
    static let call: [String: JSONValue] = [
        "is_lead": .bool(true),
        "events_count": .string("12"),
        "to_number": .number(15551234567),
        "country_id": .number(1),
        "status": .string("completed"),
        "call_outcome": .string(""),
        "deleted_at": .null,
        "tags": .array([.string("vip"), .string("solar")]),
        "vapi_ended_reason": .string("customer-ended-call"),
        "meta": .object(["score": .string("0.75")]),
        "call_outcome_logs": .array([
            .object(["status": .string("completed"), "new_call_outcome": .string("not_interested")]),
            .object(["status": .string("failed"), "new_call_outcome": .string("voicemail")]),
        ]),
    ]

    static func holds(_ path: String, _ op: FieldOperator) -> Bool {
        guard let path = FieldPath(path) else { return false }
        return holds(.field(path, op))
    }

    static func holds(_ condition: Condition) -> Bool {
        let rules = RuleSet(outcomes: ["x"], rules: [Rule(name: "r", outcome: "x", when: condition)])
        return rules.decide(Fixtures.call(call)).action == .queued
    }

    static func regex(_ source: String) -> FieldOperator {
        (try? Pattern(source)).map(FieldOperator.matches) ?? .exists(false)
    }

    @Test(arguments: [
        ("is_lead", FieldOperator.equals(.bool(true)), true),
        ("is_lead", .equals(.string("true")), false),
        ("events_count", .equals(.number(12)), true),
        ("to_number", .equals(.string("15551234567")), true),
        ("country_id", .equals(.string("1.0")), true),
        ("status", .equals(.string("Completed")), false),
        ("missing", .equals(.string("x")), false),
        ("deleted_at", .equals(.null), true),
        ("status", .notEquals(.string("failed")), true),
        ("is_lead", .notEquals(.bool(true)), false),
        ("missing", .notEquals(.string("x")), true),
        ("status", .isIn([.string("completed"), .string("x")]), true),
        ("events_count", .isIn([.number(11), .number(12)]), true),
        ("missing", .isIn([.string("x")]), false),
        ("status", .notIn([.string("a"), .string("b")]), true),
        ("status", .notIn([.string("completed")]), false),
        ("missing", .notIn([.string("x")]), true),
        ("status", .exists(true), true),
        ("call_outcome", .exists(true), false),
        ("deleted_at", .exists(false), true),
        ("missing", .exists(false), true),
        ("missing", .exists(true), false),
        ("vapi_ended_reason", .contains(.string("ENDED")), true),
        ("tags", .contains(.string("vip")), true),
        ("tags", .contains(.string("vi")), false),
        ("missing", .contains(.string("x")), false),
        ("status", regex("^comp"), true),
        ("status", regex("^COMP"), false),
        ("status", regex("(?i)^COMP"), true),
        ("country_id", regex("1"), false),
        ("missing", regex("."), false),
        ("events_count", .greaterThan(11), true),
        ("events_count", .greaterThanOrEqual(12), true),
        ("events_count", .lessThan(12), false),
        ("country_id", .lessThanOrEqual(1), true),
        ("meta.score", .greaterThan(0.5), true),
        ("status", .greaterThan(1), false),
        ("is_lead", .greaterThan(0), false),
        ("missing", .lessThan(5), false),
        ("call_outcome_logs.0.status", .equals(.string("completed")), true),
        ("call_outcome_logs.1.status", .equals(.string("completed")), false),
        ("call_outcome_logs.*.new_call_outcome", .equals(.string("voicemail")), true),
        ("call_outcome_logs.*.status", .notEquals(.string("failed")), false),
        ("call_outcome_logs.5.status", .exists(false), true),
        ("call_outcome_logs.status", .exists(true), false),
        ("meta.*", .equals(.number(0.75)), true),
    ] as [(String, FieldOperator, Bool)])
    func fieldOperators(path: String, op: FieldOperator, expected: Bool) {
        #expect(Self.holds(path, op) == expected)
    }

    static let yes = Condition.field(FieldPath("is_lead")!, .equals(.bool(true)))
    static let no = Condition.field(FieldPath("is_lead")!, .equals(.bool(false)))

    @Test(arguments: [
        (Condition.all([]), true),
        (.any([]), false),
        (.all([yes, yes]), true),
        (.all([yes, no]), false),
        (.any([no, yes]), true),
        (.any([no, no]), false),
        (.not(yes), false),
        (.not(no), true),
        (.not(.all([yes, .any([no, .not(no)])])), false),
    ])
    func combinators(condition: Condition, expected: Bool) {
        #expect(Self.holds(condition) == expected)
    }

    @Test(arguments: ["", "a..b", ".a", "a."])
    func malformedPathsAreRejected(path: String) {
        #expect(FieldPath(path) == nil)
    }
}
