//! Production refuses introspection with an error. async-graphql's own switch only answers
//! `__schema` and `__type` with null, which reads like an empty schema rather than a refusal.

use async_graphql::{
    Request, ServerError,
    parser::types::{Selection, SelectionSet},
};

/// Refuses any document that selects `__schema` or `__type` (`__typename` stays allowed:
/// clients add it to every selection).
pub fn refuse(request: &mut Request) -> Result<(), ServerError> {
    let document = request.parsed_query()?;
    let operations = document
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set);
    let fragments = document
        .fragments
        .values()
        .map(|fragment| &fragment.node.selection_set);
    if operations
        .chain(fragments)
        .any(|set| selects_introspection(&set.node))
    {
        return Err(super::error::document_refused(
            "Introspection is disabled on this server",
        ));
    }
    Ok(())
}

/// Recursion is bounded: the parser refuses documents nested deeper than 64 levels.
fn selects_introspection(set: &SelectionSet) -> bool {
    set.items.iter().any(|item| match &item.node {
        Selection::Field(field) => {
            matches!(field.node.name.node.as_str(), "__schema" | "__type")
                || selects_introspection(&field.node.selection_set.node)
        }
        Selection::InlineFragment(fragment) => {
            selects_introspection(&fragment.node.selection_set.node)
        }
        // Named fragments are checked on their own.
        Selection::FragmentSpread(_) => false,
    })
}
