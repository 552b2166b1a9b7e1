//! Child processes of the benchmarks: timed one-shot commands (`/usr/bin/time`), servers that
//! are stopped when dropped, and CPU time read from `/proc` (Linux).

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Clock ticks per second of `/proc/<pid>/stat` times (`USER_HZ`, 100 on Linux).
const TICKS_PER_S: f64 = 100.0;

/// Wall time, CPU and peak memory of one finished command.
#[derive(Debug, Clone, Copy)]
pub struct Timed {
    pub wall: Duration,
    /// User + system CPU seconds of the command and its children.
    pub cpu_s: f64,
    /// Peak resident set, KiB.
    pub max_rss_kib: u64,
}

/// Runs `cmd` under `/usr/bin/time`, failing with its stderr when it fails.
pub fn timed(cmd: &mut Command, what: &str) -> Result<Timed> {
    timed_accepting(cmd, what, &[])
}

/// [`timed`], taking the exit codes `accepted` as success too (`safeground import` exits 3
/// when it held suspected twins for review, as the generated EO finds include).
pub fn timed_accepting(cmd: &mut Command, what: &str, accepted: &[i32]) -> Result<Timed> {
    Ok(run_timed(cmd, what, accepted, false)?.0)
}

/// [`timed`], also returning what the command wrote to stdout.
pub fn timed_stdout(cmd: &mut Command, what: &str) -> Result<(Timed, String)> {
    run_timed(cmd, what, &[], true)
}

fn run_timed(
    cmd: &mut Command,
    what: &str,
    accepted: &[i32],
    capture: bool,
) -> Result<(Timed, String)> {
    let dir = std::env::temp_dir().join(format!("safeground-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let stats = dir.join("time.txt");
    let program = cmd.get_program().to_owned();
    let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
    let mut wrapped = Command::new("/usr/bin/time");
    wrapped
        .arg("-f")
        .arg("%U %S %M")
        .arg("-o")
        .arg(&stats)
        .arg(&program)
        .args(&args)
        .envs(
            cmd.get_envs()
                .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned()))),
        )
        .stdout(if capture {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let t = Instant::now();
    let out = wrapped
        .output()
        .with_context(|| format!("cannot run {what} (is /usr/bin/time installed?)"))?;
    let wall = t.elapsed();
    if !out.status.success() && !out.status.code().is_some_and(|c| accepted.contains(&c)) {
        bail!(
            "{what} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = std::fs::read_to_string(&stats)?;
    let f: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    let [user, sys, rss] = f[..] else {
        bail!("cannot read /usr/bin/time's output `{text}`");
    };
    let timed = Timed {
        wall,
        cpu_s: user + sys,
        max_rss_kib: rss as u64,
    };
    Ok((timed, String::from_utf8_lossy(&out.stdout).into_owned()))
}

/// A free loopback port (bound, then released for the server to take).
pub fn free_address() -> Result<SocketAddr> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

/// A running server, killed when dropped.
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl Server {
    /// Starts `cmd` (which must listen on `addr`), sending its output to `log`, and waits up
    /// to `patience` until `ready_path` answers 200.
    pub fn start(
        cmd: &mut Command,
        addr: SocketAddr,
        log: &Path,
        ready_path: &str,
        patience: Duration,
    ) -> Result<Server> {
        let file = std::fs::File::create(log)?;
        let child = cmd
            .stdout(file.try_clone()?)
            .stderr(file)
            .spawn()
            .with_context(|| format!("cannot start {:?}", cmd.get_program()))?;
        let mut server = Server { child, addr };
        let t = Instant::now();
        loop {
            if let Some(status) = server.child.try_wait()? {
                bail!(
                    "{:?} exited ({status}); see {}",
                    cmd.get_program(),
                    log.display()
                );
            }
            if let Ok(mut c) = crate::http::Connection::open(addr)
                && c.get(ready_path).is_ok_and(|r| r.status == 200)
            {
                return Ok(server);
            }
            if t.elapsed() > patience {
                bail!(
                    "{:?} did not answer {ready_path} within {patience:?}; see {}",
                    cmd.get_program(),
                    log.display()
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> String {
        self.child.id().to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// User + system CPU seconds of a process so far.
pub fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / TICKS_PER_S)
}

/// CPU seconds used so far by every process named `postgres` (the server and its backends).
pub fn postgres_cpu_seconds() -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    dir.filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|pid| pid.bytes().all(|b| b.is_ascii_digit()))
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| c.trim() == "postgres")
        })
        .filter_map(|pid| cpu_seconds(&pid))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_cpu_time_is_readable_on_linux() {
        if cfg!(target_os = "linux") {
            let before = cpu_seconds("self").expect("cpu");
            let mut x = 0u64;
            for i in 0..30_000_000u64 {
                x = x.wrapping_mul(31).wrapping_add(i);
            }
            std::hint::black_box(x);
            assert!(cpu_seconds("self").expect("cpu") >= before);
        }
    }
}
