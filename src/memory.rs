//! The memory of the process: the stack the command runs on, and the memory budget of an
//! evaluation (`--max-memory`). The budget is by default half of what the process may use —
//! the smallest of the memory the machine has available, the control group's limit and the
//! address space left beside the stack (`ulimit -v`) — so that a rule deriving without bound
//! stops with `resource_limit` while the allocations it still makes (a vector doubling, the
//! sort at the end of a stratum) fit in the other half.

use std::path::Path;

/// The stack wanted for the command: explanations walk a derivation recursively, one frame
/// per step, and a chain of a hundred thousand steps needs far more than the main thread's
/// 8 MiB. It is address space; only the pages a run touches become memory.
const STACK: u64 = 1 << 30;

/// The stack to run the command on: [`STACK`], or a quarter of the address-space limit when
/// that is tighter (a 1 GiB stack cannot be had under `ulimit -v 1000000`, and the main
/// thread's 8 MiB overflow on a derivation twenty thousand steps deep).
pub fn stack() -> usize {
    let limit = address_space_limit().map_or(STACK, |limit| STACK.min(limit / 4));
    limit as usize
}

/// The budget to use: `--max-memory` if given, else half of what the process may use, if
/// that can be found out.
pub fn budget(given: Option<u64>) -> Option<u64> {
    given.or_else(|| usable().map(|bytes| bytes / 2))
}

/// The memory this process may use, in bytes, as far as the system tells.
fn usable() -> Option<u64> {
    let beside_stack = address_space_limit().map(|limit| limit.saturating_sub(stack() as u64));
    [available(), cgroup_limit(), beside_stack]
        .into_iter()
        .flatten()
        .min()
}

/// `MemAvailable` of `/proc/meminfo` (Linux).
fn available() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    meminfo_field(&meminfo, "MemAvailable:")
}

fn meminfo_field(meminfo: &str, field: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with(field))?;
    let kib: u64 = line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    kib.checked_mul(1024)
}

/// The memory limit of this process's control group (v2 `memory.max`, v1
/// `memory.limit_in_bytes`); none when unlimited.
fn cgroup_limit() -> Option<u64> {
    let groups = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let mut candidates = Vec::new();
    for line in groups.lines() {
        let mut parts = line.splitn(3, ':');
        let (_, controllers, path) = (parts.next()?, parts.next()?, parts.next()?);
        let path = path.trim_start_matches('/');
        if controllers.is_empty() {
            candidates.push(Path::new("/sys/fs/cgroup").join(path).join("memory.max"));
        } else if controllers.split(',').any(|c| c == "memory") {
            let root = Path::new("/sys/fs/cgroup/memory");
            candidates.push(root.join(path).join("memory.limit_in_bytes"));
            // Inside a container the group is often mounted as the root.
            candidates.push(root.join("memory.limit_in_bytes"));
        }
    }
    candidates
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .find_map(|text| limit_value(&text))
}

/// A cgroup limit file's value; `max` and the v1 "unlimited" (close to `i64::MAX`) are none.
fn limit_value(text: &str) -> Option<u64> {
    let bytes: u64 = text.trim().parse().ok()?;
    (bytes < 1 << 60).then_some(bytes)
}

#[cfg(unix)]
fn address_space_limit() -> Option<u64> {
    use nix::sys::resource::{getrlimit, Resource, RLIM_INFINITY};
    let (soft, _) = getrlimit(Resource::RLIMIT_AS).ok()?;
    (soft != RLIM_INFINITY).then_some(soft)
}

#[cfg(not(unix))]
fn address_space_limit() -> Option<u64> {
    None
}

/// `--max-memory`: bytes, or a number with `K`, `M`, `G` or `T` (powers of 1024; `KB`,
/// `MiB`, `GiB` … read the same).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let digits = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(digits);
    let bad = || format!("`{text}` is not a size; write e.g. 2G, 500M or 1073741824");
    let number: f64 = number.parse().map_err(|_| bad())?;
    let unit = unit.trim().to_ascii_lowercase();
    let unit = unit.trim_end_matches('b').trim_end_matches('i');
    let scale: u64 = match unit {
        "" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        "t" => 1 << 40,
        _ => return Err(bad()),
    };
    let bytes = number * scale as f64;
    if !bytes.is_finite() || bytes < 1.0 || bytes > u64::MAX as f64 {
        return Err(bad());
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_units() {
        assert_eq!(parse_size("1073741824"), Ok(1 << 30));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("512MiB"), Ok(512 << 20));
        assert_eq!(parse_size("1.5 gb"), Ok(3 << 29));
        assert_eq!(parse_size("64k"), Ok(64 << 10));
        for bad in ["", "G", "-1G", "2X", "0", "1e400"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn system_figures_are_read_from_their_files() {
        let meminfo = "MemTotal:       24683584 kB\nMemAvailable:   24020996 kB\n";
        assert_eq!(
            meminfo_field(meminfo, "MemAvailable:"),
            Some(24020996 * 1024)
        );
        assert_eq!(limit_value("max\n"), None);
        assert_eq!(limit_value("9223372036854771712\n"), None);
        assert_eq!(limit_value("1073741824\n"), Some(1 << 30));
    }
}
