extension AgreementTally {
    /// One self-contained page (no scripts, nothing fetched, well-formed as XML too): the totals, the matrix as a grid
    /// shaded by count, and the rule table. `subtitle` says what was read (source, window).
    public func html(title: String = "outcomed report", subtitle: String) -> String {
        let categories = categories
        let largest = max(1, matrix.values.flatMap(\.values).max() ?? 0)
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(Markup.escape(title))</title>
            <style>
            body { font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2430; margin: 2rem auto; max-width: 72rem; padding: 0 1.5rem; }
            h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
            h2 { font-size: 1.1rem; margin: 2rem 0 .5rem; }
            .subtitle { color: #5b6573; margin: 0 0 1.5rem; }
            .totals { display: flex; gap: 1rem; flex-wrap: wrap; }
            .total { border: 1px solid #d6dbe2; border-radius: 8px; padding: .6rem 1rem; min-width: 9rem; }
            .total b { display: block; font-size: 1.6rem; font-variant-numeric: tabular-nums; }
            .total span { color: #5b6573; font-size: .85rem; }
            table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
            table.matrix th, table.matrix td { border: 1px solid #e3e7ec; padding: 0; }
            table.matrix th { font-weight: 600; font-size: .85rem; padding: .4rem .6rem; background: #f6f7f9; text-align: left; }
            table.matrix thead th { writing-mode: horizontal-tb; text-align: center; }
            table.matrix td { width: 5.5rem; height: 3rem; text-align: center; font-weight: 600; }
            table.matrix td.diagonal { outline: 2px solid #1f7a4d; outline-offset: -2px; }
            table.matrix td.zero { color: #b3bac4; font-weight: 400; }
            .axis { color: #5b6573; font-size: .85rem; }
            table.rules th, table.rules td { padding: .35rem .8rem; border-bottom: 1px solid #e3e7ec; text-align: left; }
            table.rules td.num { text-align: right; }
            .bar { display: inline-block; height: .6rem; background: #3b6fd4; border-radius: 2px; vertical-align: middle; margin-right: .4rem; }
            .legend { color: #5b6573; font-size: .85rem; margin-top: .5rem; }
            </style>
            </head>
            <body>
            <h1>\(Markup.escape(title))</h1>
            <p class="subtitle">\(Markup.escape(subtitle))</p>
            <section class="totals">
            <div class="total" id="calls"><b>\(calls)</b><span>calls</span></div>
            <div class="total" id="agreement"><b>\(agreement.map { Percent.format($0) } ?? "–")</b><span>agreement with the platform's label</span></div>
            <div class="total" id="kappa"><b>\(kappa.map { Self.fixed($0, 3) } ?? "–")</b><span>Cohen's kappa</span></div>
            </section>
            <h2>Confusion matrix</h2>
            <p class="axis">Rows: the platform's label when the call arrived. Columns: outcomed's outcome. Outlined: where they agree.</p>
            <table class="matrix">
            <thead><tr><th>platform \\ outcomed</th>
            """
        out += categories.map { "<th scope=\"col\">\(Markup.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for label in categories {
            out += "<tr><th scope=\"row\">\(Markup.escape(label))</th>"
            for outcome in categories {
                let count = matrix[label]?[outcome] ?? 0
                let strength = Double(count) / Double(largest)
                var classes = label == outcome ? ["diagonal"] : []
                if count == 0 { classes.append("zero") }
                let alpha = count == 0 ? 0 : 0.08 + 0.82 * strength
                let ink = count == 0 ? "#b3bac4" : alpha > 0.55 ? "#ffffff" : "#1d2430"
                let share = calls > 0 ? Percent.format(count, of: calls) : "0%"
                out += "<td class=\"\(classes.joined(separator: " "))\" style=\"background: rgba(31, 90, 190, \(Self.fixed(alpha, 3))); color: \(ink)\" "
                out += "title=\"\(Markup.escape(label)) → \(Markup.escape(outcome)): \(count) calls (\(share))\">\(count)</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n<p class=\"legend\">Darker cells hold more calls; the darkest holds \(largest).</p>\n"
        out += """
            <h2>Rules</h2>
            <table class="rules">
            <thead><tr><th>rule</th><th>calls decided</th><th>share</th><th>last match</th></tr></thead>
            <tbody>

            """
        let rows = rules
        let widest = max(rows.map(\.share).max() ?? 0, 0.000_001)
        for rule in rows {
            let width = Self.fixed(rule.share / widest * 10, 2)
            out += "<tr><td>\(Markup.escape(rule.name))</td><td class=\"num\">\(rule.matches)</td>"
            out += "<td><span class=\"bar\" style=\"width: \(width)rem\"></span>\(Percent.format(rule.share))</td>"
            out += "<td>\(rule.lastMatchAt.map { Timestamp.format(milliseconds: $0) } ?? "–")</td></tr>\n"
        }
        out += "</tbody>\n</table>\n</body>\n</html>\n"
        return out
    }
}
