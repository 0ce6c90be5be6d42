import OutcomeEngine
import Yams

extension TranscriptCondition {
    static let keys = ["speaker", "any", "all", "none", "matches", "negation", "min_turns"]

    init(yaml node: Node, reader: YAMLReader) throws(ConfigError) {
        let mapping = try reader.mapping(node, "transcript:", allowed: Self.keys)
        self.init()
        if let speakerNode = mapping["speaker"] {
            let name = try reader.string(speakerNode, "speaker:")
            guard let speaker = SpeakerFilter(rawValue: name) else {
                throw reader.error(speakerNode, "speaker must be customer, agent or any, not \"\(name)\"\(Suggestion.hint(for: name, in: SpeakerFilter.allCases.map(\.rawValue)))")
            }
            self.speaker = speaker
        }
        any = try Self.phrases(mapping["any"], "any:", reader)
        all = try Self.phrases(mapping["all"], "all:", reader)
        none = try Self.phrases(mapping["none"], "none:", reader)
        if let matchesNode = mapping["matches"] { matches = try Pattern(yaml: matchesNode, reader: reader) }
        if let negationNode = mapping["negation"] {
            switch try reader.string(negationNode, "negation:") {
            case "respect": respectNegation = true
            case "ignore": respectNegation = false
            case let other:
                throw reader.error(negationNode, "negation must be respect or ignore, not \"\(other)\"\(Suggestion.hint(for: other, in: ["respect", "ignore"]))")
            }
        }
        for (key, phrases, effect) in [("any", any, "never matches"), ("all", all, "always holds"), ("none", none, "always holds")] {
            if let phrases, phrases.isEmpty, let listNode = mapping[key] {
                reader.warn(listNode, "\(key): [] lists no phrases, so this part of the condition \(effect)")
            }
        }
        if let minTurnsNode = mapping["min_turns"] { minTurns = try reader.int(minTurnsNode, "min_turns:", min: 0) }
        if any == nil, all == nil, none == nil, matches == nil, minTurns == nil {
            throw reader.error(node, "transcript condition needs at least one of any, all, none, matches, min_turns")
        }
    }

    private static func phrases(_ node: Node?, _ what: String, _ reader: YAMLReader) throws(ConfigError) -> [Phrase]? {
        guard let node else { return nil }
        var phrases: [Phrase] = []
        for element in try reader.sequence(node, what) {
            let phrase = Phrase(try reader.nonEmptyString(element, "each phrase of \(what)"))
            guard !phrase.words.isEmpty else {
                throw reader.error(element, "phrase \"\(phrase.text)\" has no words (letters or digits)")
            }
            phrases.append(phrase)
        }
        return phrases
    }
}
