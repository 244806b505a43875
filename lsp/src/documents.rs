//! The open documents and what the server knows of them: their text and version.

use std::collections::BTreeMap;
use tower_lsp_server::ls_types::Uri;

#[derive(Clone, Debug)]
pub struct Document {
    pub text: String,
    pub version: i32,
    /// Bumped on every change, so a debounced task can tell whether it is still the latest.
    pub edits: u64,
}

/// Open documents by URI. A `BTreeMap` keeps iteration deterministic.
#[derive(Clone, Default, Debug)]
pub struct Documents {
    docs: BTreeMap<String, (Uri, Document)>,
}

impl Documents {
    pub fn open(&mut self, uri: Uri, text: String, version: i32) {
        self.docs.insert(uri.as_str().to_string(), (uri, Document { text, version, edits: 0 }));
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.docs.get(uri.as_str()).map(|(_, d)| d)
    }

    pub fn get_mut(&mut self, uri: &Uri) -> Option<&mut Document> {
        self.docs.get_mut(uri.as_str()).map(|(_, d)| d)
    }

    pub fn close(&mut self, uri: &Uri) {
        self.docs.remove(uri.as_str());
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Uri, &Document)> {
        self.docs.values().map(|(u, d)| (u, d))
    }
}
