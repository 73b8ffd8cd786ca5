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
}
