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
            // A sort made, or one a clone may make of its own chunks: not ours now.
            let ours_unsorted = Arc::get_mut(&mut self.sorted).is_some_and(|s| s.get().is_none());
            if !ours_unsorted {
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
        self.sorted.get_or_init(|| sort_of(&self.chunks))
    }

    /// Every diagnostic, in the order of [`Findings::sorted`], taken (copied
    /// only if a clone of these findings holds them too).
    pub fn into_sorted(self) -> Vec<Diagnostic> {
        match Arc::try_unwrap(self.sorted) {
            Ok(lock) => lock.into_inner().unwrap_or_else(|| sort_of(&self.chunks)),
            Err(shared) => (shared.get().cloned()).unwrap_or_else(|| sort_of(&self.chunks)),
        }
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

/// The diagnostics of `chunks`, copied, errors first, then by file and line (stable otherwise).
fn sort_of(chunks: &[Arc<[Diagnostic]>]) -> Vec<Diagnostic> {
    let mut all: Vec<Diagnostic> = chunks.iter().flat_map(|c| c.iter().cloned()).collect();
    all.sort_by(|a, b| (a.severity, &a.file, a.line).cmp(&(b.severity, &b.file, b.line)));
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    /// Taken findings are sorted as read ones are, whether they were sorted
    /// before or not, and whether a clone shares them or not.
    #[test]
    fn taken_findings_are_the_sorted_ones() {
        let w =
            |file: &str, line| Diagnostic::warning(Code::UncitedSource, file, "x").at_line(line);
        let made = || {
            let mut f = Findings::default();
            f.extend([w("b.md", 1), w("a.md", 2)]);
            f.extend([Diagnostic::error(Code::BadId, "c.md", "y"), w("a.md", 1)]);
            f
        };
        let f = made();
        let order = |ds: &[Diagnostic]| -> Vec<String> {
            (ds.iter())
                .map(|d| format!("{:?} {} {:?}", d.severity, d.file.display(), d.line))
                .collect()
        };
        let want = [
            "Error c.md None",
            "Warning a.md Some(1)",
            "Warning a.md Some(2)",
            "Warning b.md Some(1)",
        ];
        // Not sorted yet: by itself, and shared with a clone.
        assert_eq!(order(&made().into_sorted()), want);
        assert_eq!(order(&f.clone().into_sorted()), want);
        let shared = f.clone();
        assert_eq!(order(&shared.into_sorted()), want);
        // Sorted, then shared with a clone, then taken by itself.
        assert_eq!(order(f.sorted()), want);
        let g = f.clone();
        assert_eq!(order(&f.into_sorted()), want);
        assert_eq!(order(&g.into_sorted()), want);
    }

    /// A clone that gets a chunk of its own is not read as the other's sort,
    /// whichever of the two is sorted first.
    #[test]
    fn a_clone_given_a_chunk_has_its_own_sort() {
        let w = |file: &str| Diagnostic::warning(Code::UncitedSource, file, "x");
        let mut a = Findings::default();
        a.extend([w("a.md")]);
        let b = a.clone();
        a.extend([w("b.md")]);
        assert_eq!(b.sorted().len(), 1);
        assert_eq!(a.sorted().len(), 2);
        // The other way round: the one given a chunk sorted first.
        let mut c = b.clone();
        c.extend([w("c.md")]);
        assert_eq!(c.sorted().len(), 2);
        assert_eq!(b.sorted().len(), 1);
    }
}
