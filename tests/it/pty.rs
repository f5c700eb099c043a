//! A program run in a pseudo-terminal, as a person at a terminal runs it: what the REPL tests
//! type and read. Written on libc (already a dependency) rather than an expect library, which
//! would bring a regular-expression engine into the test build.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// A running program whose terminal is ours.
pub struct Pty {
    child: Child,
    master: File,
    /// What it printed and no expectation has consumed yet.
    pending: Vec<u8>,
    timeout: Duration,
}

fn last_error(what: &str) -> std::io::Error {
    let err = std::io::Error::last_os_error();
    std::io::Error::new(err.kind(), format!("{what}: {err}"))
}

impl Pty {
    /// Start `command` with a new terminal as its standard input, output and error, and as
    /// its controlling terminal (so Ctrl-C at the terminal interrupts it). Each expectation
    /// waits at most `timeout`.
    pub fn spawn(mut command: Command, timeout: Duration) -> std::io::Result<Pty> {
        // SAFETY: plain calls on a file descriptor this function owns; `ptsname_r` writes at
        // most `name.len()` bytes.
        let (master, slave_name) = unsafe {
            let fd = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
            if fd < 0 {
                return Err(last_error("posix_openpt"));
            }
            let master = File::from_raw_fd(fd);
            if libc::grantpt(fd) != 0 || libc::unlockpt(fd) != 0 {
                return Err(last_error("grantpt/unlockpt"));
            }
            let mut name = [0 as libc::c_char; 128];
            if libc::ptsname_r(fd, name.as_mut_ptr(), name.len()) != 0 {
                return Err(last_error("ptsname_r"));
            }
            let name = std::ffi::CStr::from_ptr(name.as_ptr())
                .to_string_lossy()
                .into_owned();
            (master, name)
        };
        let slave = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&slave_name)?;
        command
            .stdin(slave.try_clone()?)
            .stdout(slave.try_clone()?)
            .stderr(slave);
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            command.pre_exec(|| {
                if libc::setsid() < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                if libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn()?;
        // Our copies of the terminal's other end close here, so that its end is seen.
        drop(command);
        // SAFETY: `fcntl` on the descriptor `master` owns.
        unsafe {
            let fd = master.as_raw_fd();
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) < 0 {
                return Err(last_error("fcntl"));
            }
        }
        Ok(Pty {
            child,
            master,
            pending: Vec::new(),
            timeout,
        })
    }

    /// Read what is there; false once the program's end of the terminal is closed.
    fn read_some(&mut self) -> bool {
        let mut buffer = [0u8; 4096];
        match self.master.read(&mut buffer) {
            Ok(0) => false,
            Ok(n) => {
                self.pending.extend_from_slice(&buffer[..n]);
                true
            }
            Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(5));
                true
            }
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => true,
            // EIO: every descriptor of the other end is closed.
            Err(_) => false,
        }
    }

    /// Wait until the program prints `text`; what it printed before it.
    pub fn exp_string(&mut self, text: &str) -> Result<String, String> {
        let started = Instant::now();
        loop {
            if let Some(at) = find(&self.pending, text.as_bytes()) {
                let before = String::from_utf8_lossy(&self.pending[..at]).into_owned();
                self.pending.drain(..at + text.len());
                return Ok(before);
            }
            let open = self.read_some();
            if !open || started.elapsed() > self.timeout {
                return Err(format!(
                    "`{text}` did not come ({}); printed:\n{}",
                    if open {
                        "timed out"
                    } else {
                        "the program ended"
                    },
                    String::from_utf8_lossy(&self.pending)
                ));
            }
        }
    }

    /// Wait until the program ends and closes the terminal; what it printed.
    pub fn exp_eof(&mut self) -> Result<String, String> {
        let started = Instant::now();
        while self.read_some() {
            if started.elapsed() > self.timeout {
                return Err(format!(
                    "the program did not end; printed:\n{}",
                    String::from_utf8_lossy(&self.pending)
                ));
            }
        }
        let _ = self.child.wait();
        Ok(String::from_utf8_lossy(&std::mem::take(&mut self.pending)).into_owned())
    }

    /// Type `text`.
    pub fn send(&mut self, text: &str) -> std::io::Result<()> {
        self.master.write_all(text.as_bytes())?;
        self.master.flush()
    }

    /// Make sure what was typed has reached the program (`send` already flushes).
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.master.flush()
    }

    /// Type `line` and Enter.
    pub fn send_line(&mut self, line: &str) -> std::io::Result<()> {
        self.send(&format!("{line}\n"))
    }

    /// Press Ctrl and `key` (`'c'`, `'d'`).
    pub fn send_control(&mut self, key: char) -> std::io::Result<()> {
        let byte = (key.to_ascii_lowercase() as u8) & 0x1f;
        self.master.write_all(&[byte])?;
        self.master.flush()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
