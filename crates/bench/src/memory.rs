//! Process memory from `/proc/<pid>/status` (Linux; `None` elsewhere or when unreadable).

/// A `kB` field of `/proc/<pid>/status` (`pid` may be `self`), e.g. `VmHWM` (peak resident set)
/// or `RssAnon` (resident private memory).
pub fn status_kib(pid: &str, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Resets this process's peak resident set (`VmHWM`) to its current resident set
/// (`echo 5 > /proc/self/clear_refs`, Linux ≥ 4.0); false when the kernel refuses.
pub fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_own_status_on_linux() {
        if cfg!(target_os = "linux") {
            let rss = status_kib("self", "VmRSS").expect("VmRSS");
            assert!(rss > 0);
            assert!(status_kib("self", "VmHWM").expect("VmHWM") >= rss);
        }
    }
}
