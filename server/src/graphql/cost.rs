//! Bounds the work a document can cause *before* anything expands it.
//!
//! async-graphql's depth and complexity limits (and its own recursion check) walk the document
//! with every fragment spread expanded, so a document of under 1 KB whose fragments spread each
//! other twice per level expands to millions of selections before any limit answers. This
//! check runs first (`executor::GuardedSchema`), on the raw text and then on the parsed
//! document without expanding it:
//!
//! 1. the text is counted in tokens (a linear scan) before the parser sees it;
//! 2. the parsed document is counted in fragments, aliases and directives;
//! 3. the expanded selection count is computed over the fragment graph, each fragment once
//!    (memoized), so the check is linear in the document's size; a fragment cycle is refused.
//!
//! The parsed document is handed on, so it is parsed once; documents that passed are kept
//! (a few dozen: the clients' own documents never change — the tracker sends the same one
//! every second from every page), so a known document is neither counted nor parsed again.
//! HTTP and WebSocket operations both go through `executor::GuardedSchema`, so both are bounded.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use async_graphql::{
    Name, Request, ServerError,
    parser::types::{ExecutableDocument, Selection, SelectionSet},
};

/// What one document may contain. Generous for any client of this API (GraphiQL's
/// introspection query, the admin panel's largest operation), tiny next to an attack.
#[derive(Clone, Copy, Debug)]
pub struct DocumentLimits {
    pub tokens: usize,
    pub fragments: usize,
    pub aliases: usize,
    pub directives: usize,
    /// Field selections once every fragment spread is expanded.
    pub expanded_selections: usize,
}

impl Default for DocumentLimits {
    fn default() -> Self {
        Self {
            tokens: 4_000,
            fragments: 50,
            aliases: 50,
            directives: 50,
            expanded_selections: 2_000,
        }
    }
}

/// Documents that passed [`check`], by their text. Bounded: when full it starts over, so
/// documents sent once (GraphiQL, a probe) cannot crowd out the clients' own for long.
#[derive(Default)]
pub struct PassedDocuments(Mutex<HashMap<String, Arc<ExecutableDocument>>>);

impl PassedDocuments {
    const MAX: usize = 64;

    /// `request` with its document parsed, when the document is within `limits` and names
    /// every variable its operation needs; refused with `GRAPHQL_VALIDATION_FAILED` if not.
    pub fn bounded(
        &self,
        mut request: Request,
        limits: &DocumentLimits,
    ) -> Result<Request, ServerError> {
        let document = match self.get(&request.query) {
            Some(document) => document,
            None => {
                let document = check(&request.query, limits).map_err(refusal)?;
                self.keep(&request.query, &document);
                document
            }
        };
        if let Some(name) = missing_variable(&document, &request) {
            return Err(refusal(Refused::MissingVariable(name)));
        }
        request.set_parsed_query(document);
        Ok(request)
    }

    /// A copy of the kept document (made outside the lock).
    fn get(&self, query: &str) -> Option<ExecutableDocument> {
        let kept = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(query)
            .cloned()?;
        Some(ExecutableDocument::clone(&kept))
    }

    fn keep(&self, query: &str, document: &ExecutableDocument) {
        let document = Arc::new(document.clone());
        let mut passed = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if passed.len() >= Self::MAX {
            passed.clear();
        }
        passed.insert(query.to_owned(), document);
    }
}

/// Why a document was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    Tokens(usize),
    Fragments(usize),
    Aliases(usize),
    Directives(usize),
    ExpandedSelections(usize),
    FragmentCycle(String),
    /// A required variable (non-null, no default) the request does not give: a request error,
    /// refused before anything runs (async-graphql would only notice while executing).
    MissingVariable(String),
    /// The parser's own message (syntax error, nesting too deep).
    Syntax(String),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Tokens(max) => write!(f, "The document is too long: at most {max} tokens"),
            Self::Fragments(max) => write!(f, "Too many fragments: at most {max}"),
            Self::Aliases(max) => write!(f, "Too many aliases: at most {max}"),
            Self::Directives(max) => write!(f, "Too many directives: at most {max}"),
            Self::ExpandedSelections(max) => write!(
                f,
                "The document selects too many fields once its fragments are expanded: at most {max}"
            ),
            Self::FragmentCycle(name) => write!(f, "Fragment \"{name}\" spreads itself"),
            Self::MissingVariable(name) => {
                write!(f, "Variable \"${name}\" is required but was not given")
            }
            Self::Syntax(message) => f.write_str(message),
        }
    }
}

fn refusal(refused: Refused) -> ServerError {
    super::error::document_refused(refused.to_string())
}

/// Counts, parses and measures `query`; the parsed document when it is within `limits`.
pub fn check(query: &str, limits: &DocumentLimits) -> Result<ExecutableDocument, Refused> {
    if count_tokens(query, limits.tokens + 1) > limits.tokens {
        return Err(Refused::Tokens(limits.tokens));
    }
    let document = async_graphql::parser::parse_query(query)
        .map_err(|err| Refused::Syntax(err.to_string()))?;
    measure(&document, limits)?;
    Ok(document)
}

/// The first required variable of the operation to run that `request` does not give.
fn missing_variable(document: &ExecutableDocument, request: &Request) -> Option<String> {
    let operation = match &request.operation_name {
        Some(name) => document
            .operations
            .iter()
            .find(|(op_name, _)| op_name.is_some_and(|n| n.as_str() == name))?,
        None => {
            let mut operations = document.operations.iter();
            let only = operations.next()?;
            if operations.next().is_some() {
                return None;
            }
            only
        }
    };
    operation
        .1
        .node
        .variable_definitions
        .iter()
        .map(|definition| &definition.node)
        .find(|definition| {
            !definition.var_type.node.nullable
                && definition.default_value.is_none()
                && request
                    .variables
                    .get(definition.name.node.as_str())
                    .is_none_or(|value| *value == async_graphql::Value::Null)
        })
        .map(|definition| definition.name.node.to_string())
}

/// Lexical tokens of a GraphQL document (punctuators, names, numbers, strings), stopping once
/// `stop_at` is reached. Whitespace, commas and comments are not tokens. A malformed document
/// is counted roughly: the parser refuses it next anyway.
fn count_tokens(text: &str, stop_at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut tokens = 0;
    while i < bytes.len() && tokens < stop_at {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                i += 1;
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 3;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => i += 3,
            c if c == b'_' || c == b'-' || c.is_ascii_alphanumeric() => {
                i += 1;
                while i < bytes.len()
                    && (bytes[i] == b'_'
                        || bytes[i] == b'.'
                        || bytes[i] == b'+'
                        || bytes[i].is_ascii_alphanumeric())
                {
                    i += 1;
                }
            }
            // Punctuators and anything else: one token per byte.
            _ => i += 1,
        }
        tokens += 1;
    }
    tokens
}

/// Checks the counts that need the parsed document, without expanding any fragment.
fn measure(document: &ExecutableDocument, limits: &DocumentLimits) -> Result<(), Refused> {
    if document.fragments.len() > limits.fragments {
        return Err(Refused::Fragments(limits.fragments));
    }
    let mut shape = Shape::default();
    for (_, operation) in document.operations.iter() {
        shape.directives += operation.node.directives.len();
        shape.add(&operation.node.selection_set.node);
    }
    for fragment in document.fragments.values() {
        shape.directives += fragment.node.directives.len();
        shape.add(&fragment.node.selection_set.node);
    }
    if shape.aliases > limits.aliases {
        return Err(Refused::Aliases(limits.aliases));
    }
    if shape.directives > limits.directives {
        return Err(Refused::Directives(limits.directives));
    }
    let mut expanded = Expanded {
        document,
        cap: limits.expanded_selections,
        memo: HashMap::new(),
    };
    let total = document
        .operations
        .iter()
        .try_fold(0usize, |sum, (_, op)| {
            Ok(sum.saturating_add(expanded.of_set(&op.node.selection_set.node)?))
        })?;
    if total > limits.expanded_selections {
        return Err(Refused::ExpandedSelections(limits.expanded_selections));
    }
    Ok(())
}

/// Aliases and directives as written (each fragment once).
#[derive(Default)]
struct Shape {
    aliases: usize,
    directives: usize,
}

impl Shape {
    /// Recursion is bounded: the parser refuses documents nested deeper than 64 levels.
    fn add(&mut self, set: &SelectionSet) {
        for item in &set.items {
            self.directives += item.node.directives().len();
            match &item.node {
                Selection::Field(field) => {
                    self.aliases += usize::from(field.node.alias.is_some());
                    self.add(&field.node.selection_set.node);
                }
                Selection::InlineFragment(fragment) => self.add(&fragment.node.selection_set.node),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
}

/// Expanded selection counts, each named fragment computed once.
struct Expanded<'a> {
    document: &'a ExecutableDocument,
    /// Counts past this are refused anyway; saturating at it keeps the arithmetic small.
    cap: usize,
    /// `None` while a fragment is being computed: meeting it again is a cycle.
    memo: HashMap<&'a Name, Option<usize>>,
}

impl<'a> Expanded<'a> {
    fn of_set(&mut self, set: &'a SelectionSet) -> Result<usize, Refused> {
        let mut count = 0usize;
        for item in &set.items {
            let here = match &item.node {
                Selection::Field(field) => 1 + self.of_set(&field.node.selection_set.node)?,
                Selection::InlineFragment(fragment) => {
                    self.of_set(&fragment.node.selection_set.node)?
                }
                Selection::FragmentSpread(spread) => {
                    self.of_fragment(&spread.node.fragment_name.node)?
                }
            };
            count = count.saturating_add(here).min(self.cap.saturating_add(1));
        }
        Ok(count)
    }

    fn of_fragment(&mut self, name: &'a Name) -> Result<usize, Refused> {
        match self.memo.get(name) {
            Some(Some(count)) => return Ok(*count),
            Some(None) => return Err(Refused::FragmentCycle(name.to_string())),
            None => {}
        }
        // An unknown fragment is the validator's to name; it expands to nothing here.
        let Some(fragment) = self.document.fragments.get(name) else {
            return Ok(0);
        };
        self.memo.insert(name, None);
        let count = self.of_set(&fragment.node.selection_set.node)?;
        self.memo.insert(name, Some(count));
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Documents built from GraphQL's own pieces, so many of them parse.
    fn document() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("{".to_owned()),
            Just("}".to_owned()),
            Just("...F".to_owned()),
            Just("fragment F on Query".to_owned()),
            Just("a: adminExists".to_owned()),
            Just("@skip(if: true)".to_owned()),
            Just("\"str\"".to_owned()),
            Just("# comment\n".to_owned()),
            "[a-zA-Z_]{1,8}",
            any::<String>(),
        ];
        proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.join(" "))
    }

    proptest! {
        #[test]
        fn any_document_is_measured_without_panicking(doc in document()) {
            let _ = check(&doc, &DocumentLimits::default());
        }

        #[test]
        fn token_counting_never_panics_and_stops_at_its_limit(text in any::<String>(), stop in 0usize..50) {
            prop_assert!(count_tokens(&text, stop) <= stop);
        }
    }

    fn limits() -> DocumentLimits {
        DocumentLimits::default()
    }

    /// `levels` fragments, each spreading the next one `width` times: width^levels selections.
    fn fragment_bomb(levels: usize, width: usize) -> String {
        let mut doc = String::from("query { ...F0 }\n");
        for level in 0..levels {
            let spreads = format!("...F{} ", level + 1).repeat(width);
            doc.push_str(&format!("fragment F{level} on Query {{ {spreads} }}\n"));
        }
        doc.push_str(&format!(
            "fragment F{levels} on Query {{ adminExists services {{ id }} }}\n"
        ));
        doc
    }

    #[test]
    fn an_ordinary_document_passes() {
        let doc = "query Leads($first: Int) { leads(first: $first) { edges { node { id name \
                   ...Parts } } pageInfo { hasNextPage } } } fragment Parts on Lead { score priority }";
        assert!(check(doc, &limits()).is_ok());
    }

    #[test]
    fn a_small_fragment_bomb_is_refused_without_expanding_it() {
        // 23 levels of 2 spreads: 2^23 (8 million) selections from under 1 KB (the test would
        // not end if anything expanded it).
        let doc = fragment_bomb(23, 2);
        assert!(doc.len() < 1024, "{}", doc.len());
        assert_eq!(
            check(&doc, &limits()).unwrap_err(),
            Refused::ExpandedSelections(limits().expanded_selections)
        );
        // Counting saturates instead of overflowing, however wide.
        let doc = fragment_bomb(20, 40);
        assert!(matches!(
            check(&doc, &limits()),
            Err(Refused::ExpandedSelections(_) | Refused::Tokens(_))
        ));
    }

    #[test]
    fn cycles_are_refused() {
        let doc = "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
        assert_eq!(
            check(doc, &limits()).unwrap_err(),
            Refused::FragmentCycle("A".into())
        );
    }

    #[test]
    fn counts_of_aliases_directives_fragments_and_tokens() {
        let aliases = (0..51)
            .map(|i| format!("a{i}: adminExists "))
            .collect::<String>();
        assert_eq!(
            check(&format!("{{ {aliases} }}"), &limits()).unwrap_err(),
            Refused::Aliases(50)
        );
        let directives = "@skip(if: false) ".repeat(51);
        assert_eq!(
            check(&format!("{{ adminExists {directives} }}"), &limits()).unwrap_err(),
            Refused::Directives(50)
        );
        let fragments = (0..51)
            .map(|i| format!("fragment F{i} on Query {{ adminExists }} "))
            .collect::<String>();
        assert_eq!(
            check(&format!("{{ ...F0 }} {fragments}"), &limits()).unwrap_err(),
            Refused::Fragments(50)
        );
        let long = format!("{{ {} }}", "adminExists ".repeat(5_000));
        assert_eq!(check(&long, &limits()).unwrap_err(), Refused::Tokens(4_000));
    }

    #[test]
    fn tokens_are_counted_like_the_grammar_reads_them() {
        assert_eq!(count_tokens("{ a(b: \"x, y # z\") }", 100), 8);
        assert_eq!(count_tokens("# only a comment\n", 100), 0);
        assert_eq!(count_tokens("query { ...F }", 100), 5);
        assert_eq!(count_tokens("{ a(f: -1.5e+3) }", 100), 8);
        assert_eq!(count_tokens("\"\"\"block \"\" string\"\"\" query", 100), 2);
        assert_eq!(count_tokens(&"{".repeat(10_000), 50), 50);
    }
}
