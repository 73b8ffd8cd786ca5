//! Threads for work that is not the longest one waiting: they run at a lower
//! priority than the rest of the process (on Linux), so that the work on the
//! critical path takes a core from them at once, while they still use every
//! core it leaves idle (nothing waits longer in all: the order changes, not
//! the amount).
//!
//! `serve` renders the pages no browser is showing this way, behind the
//! server's threads; a build renders its pages this way while the search
//! index (most of it on one core, and the longest stage) is being made.

/// A thread pool whose threads give way ([`give_way`]), named `name-<i>`.
/// `None` if no thread can be made.
pub(crate) fn pool(name: &'static str) -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .thread_name(move |i| format!("{name}-{i}"))
        .start_handler(|_| give_way())
        .build()
        .ok()
}

/// Run `op` on threads that give way ([`pool`], named `name-<i>`), unless
/// the calling thread is one of a pool's already (as `serve`'s pages no
/// browser shows are rendered): it then runs where it is called, at that
/// pool's priority, rather than giving way once more (the nice value of a
/// thread is inherited, so a pool made there would sit at the lowest), and
/// the threads of that pool keep what they hold warm. Where no thread can
/// be made, `op` runs where it is called.
pub(crate) fn giving_way<R: Send>(name: &'static str, op: impl FnOnce() -> R + Send) -> R {
    if rayon::current_thread_index().is_some() {
        return op();
    }
    match pool(name) {
        Some(pool) => pool.install(op),
        None => op(),
    }
}

/// Let go of `value` on a thread of its own, which the process need not wait
/// for (a build's site, or what linking held, is thousands of allocations:
/// milliseconds on the build's way otherwise). It only frees memory: a
/// process that ends meanwhile loses nothing. Without a thread to be had, it
/// is let go here.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("factbrief-drop".to_owned())
        .spawn(move || {
            give_way();
            drop(value);
        });
}

/// A file being written on a thread of its own that gives way (a cache file
/// a build keeps for the next one, beside the rest of the build); waited for
/// when dropped, so that a process never ends halfway through writing it.
#[derive(Debug, Default)]
pub(crate) struct Writing {
    writing: Option<std::thread::JoinHandle<std::io::Result<()>>>,
    /// Why it could not be written, once known.
    failed: Option<std::io::Error>,
}

impl Writing {
    /// Start `write`. Without a thread to be had, nothing is written, and
    /// [`Writing::wait`] says why.
    pub(crate) fn start(write: impl FnOnce() -> std::io::Result<()> + Send + 'static) -> Writing {
        let spawned = std::thread::Builder::new()
            .name("factbrief-keep".to_owned())
            .spawn(move || {
                give_way();
                write()
            });
        match spawned {
            Ok(handle) => Writing {
                writing: Some(handle),
                failed: None,
            },
            Err(e) => Writing {
                writing: None,
                failed: Some(e),
            },
        }
    }

    /// How the write went (`Ok` if there was none, or once told), when it is done.
    pub(crate) fn wait(&mut self) -> std::io::Result<()> {
        if let Some(handle) = self.writing.take() {
            return handle.join().unwrap_or_else(|_| {
                Err(std::io::Error::other("it panicked (a bug in factbrief)"))
            });
        }
        self.failed.take().map_or(Ok(()), Err)
    }
}

impl Drop for Writing {
    fn drop(&mut self) {
        let _ = self.wait();
    }
}

/// Lower the calling thread's priority (its nice value, by 10), where threads
/// have their own: on Linux. Nothing happens where it cannot be done.
pub(crate) fn give_way() {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{getpriority_process, setpriority_process};
        let me = Some(rustix::thread::gettid());
        if let Ok(nice) = getpriority_process(me) {
            let _ = setpriority_process(me, (nice + 10).min(19));
        }
    }
}

#[cfg(test)]
mod tests {
    /// The threads of the pool give way to the others, and only they do.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_pools_threads_run_at_a_lower_priority() {
        use rustix::process::getpriority_process;
        let nice = || getpriority_process(Some(rustix::thread::gettid())).unwrap();
        let before = nice();
        let pool = super::pool("test").expect("a thread pool");
        let theirs = pool.install(nice);
        assert_eq!(theirs, (before + 10).min(19));
        assert_eq!(nice(), before, "the calling thread keeps its priority");
    }

    /// Work that gives way runs a step lower than the thread asking for it,
    /// and no lower when that thread gives way already (in a pool that does).
    #[cfg(target_os = "linux")]
    #[test]
    fn giving_way_lowers_the_priority_once() {
        use rayon::prelude::*;
        use rustix::process::getpriority_process;
        let nice = || getpriority_process(Some(rustix::thread::gettid())).unwrap();
        let before = nice();
        let lowered = (before + 10).min(19);
        // Each part of a parallel step, wherever it runs.
        let all = || (0..64).into_par_iter().map(|_| nice()).collect::<Vec<_>>();
        let from_outside = super::giving_way("test-way", all);
        assert!(
            from_outside.iter().all(|&n| n == lowered),
            "{from_outside:?}"
        );
        let pool = super::pool("test-outer").expect("a thread pool");
        let nested = pool.install(|| super::giving_way("test-inner", all));
        assert!(nested.iter().all(|&n| n == lowered), "{nested:?}");
        assert_eq!(nice(), before, "the calling thread keeps its priority");
    }

    /// A file being written is there once the writing is let go (a process
    /// ending right after a failed build), and a write that failed says why
    /// when asked, once.
    #[test]
    fn a_file_being_written_is_waited_for() {
        for _ in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("kept");
            let to = file.clone();
            drop(super::Writing::start(move || std::fs::write(to, "x")));
            assert!(file.is_file());
        }
        let dir = tempfile::tempdir().unwrap();
        let not_a_folder = dir.path().join("file");
        std::fs::write(&not_a_folder, "").unwrap();
        let mut writing =
            super::Writing::start(move || std::fs::write(not_a_folder.join("kept"), "x"));
        assert!(writing.wait().is_err());
        assert!(writing.wait().is_ok(), "told once");
    }
}
