/// A rule's `when:`: one condition of SPEC §3's forms.
public indirect enum Condition: Sendable, Hashable {
    /// Every condition holds (an empty list holds).
    case all([Condition])
    /// At least one condition holds (an empty list does not).
    case any([Condition])
    /// The condition does not hold.
    case not(Condition)
    /// The operator holds for the value at the path.
    case field(FieldPath, FieldOperator)
    /// A condition on the transcript.
    case transcript(TranscriptCondition)
}
