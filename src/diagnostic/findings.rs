//! What a run found, kept in shared chunks (one per document, say) so that a
//! rebuild that changed one document reuses the other chunks as they are.

use std::sync::{Arc, OnceLock};

use super::{Diagnostic, Error, Result, Severity};

/// Diagnostics in shared chunks, flattened and sorted (errors first, then by
/// file and line) only when read.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    chunks: Vec<Arc<[Diagnostic]>>,
    /// Shared by clones, made anew when a chunk is added.
    sorted: Arc<OnceLock<Vec<Diagnostic>>>,
}

impl Findings {
    /// Add a chunk (nothing is copied).
    pub fn push_chunk(&mut self, chunk: &Arc<[Diagnostic]>) {
        if !chunk.is_empty() {
            self.chunks.push(chunk.clone());
            if self.sorted.get().is_some() {
                self.sorted = Arc::default();
            }
        }
    }

    /// Make room for `n` more chunks.
    pub fn reserve(&mut self, n: usize) {
        self.chunks.reserve(n);
    }

    /// Add diagnostics of one's own.
    pub fn extend(&mut self, diags: impl IntoIterator<Item = Diagnostic>) {
        let chunk: Arc<[Diagnostic]> = diags.into_iter().collect();
        self.push_chunk(&chunk);
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.chunks
            .iter()
            .any(|c| c.iter().any(|d| d.severity == Severity::Error))
    }

    /// Every diagnostic, errors first, then by file and line (stable otherwise).
    pub fn sorted(&self) -> &[Diagnostic] {
        self.sorted.get_or_init(|| {
            let mut all: Vec<Diagnostic> =
                self.chunks.iter().flat_map(|c| c.iter().cloned()).collect();
            all.sort_by(|a, b| (a.severity, &a.file, a.line).cmp(&(b.severity, &b.file, b.line)));
            all
        })
    }

    /// Whether `other` holds the very same chunks (cheap: no diagnostic is compared).
    pub fn same_as(&self, other: &Findings) -> bool {
        self.chunks.len() == other.chunks.len()
            && self
                .chunks
                .iter()
                .zip(&other.chunks)
                .all(|(a, b)| Arc::ptr_eq(a, b))
    }

    /// Fail with every diagnostic if any is an error; otherwise hand back the findings (warnings).
    pub fn into_result(self) -> Result<Findings> {
        if self.has_errors() {
            Err(Error::Content(self.sorted().to_vec()))
        } else {
            Ok(self)
        }
    }
}
