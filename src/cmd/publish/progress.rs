//! Progress of an upload: a bar redrawn in place on a terminal, plain lines every tenth of the
//! way of a long upload otherwise (a log file or CI gets a handful of lines, not one a file).

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Uploads shorter than this get no plain progress lines, only the closing count.
const PLAIN_FROM: usize = 100;

pub struct Progress {
    total: usize,
    done: usize,
    bytes: u64,
    terminal: bool,
    last_drawn: Option<Instant>,
    last_tenth: usize,
}

impl Progress {
    pub fn new(total: usize) -> Progress {
        Progress {
            total,
            done: 0,
            bytes: 0,
            terminal: std::io::stderr().is_terminal(),
            last_drawn: None,
            last_tenth: 0,
        }
    }

    pub fn tick(&mut self, bytes: usize) {
        self.done += 1;
        self.bytes += bytes as u64;
        let (done, total) = (self.done, self.total.max(1));
        if self.terminal {
            // Redrawing more often than the eye follows only slows a fast upload.
            let due = self
                .last_drawn
                .is_none_or(|t| t.elapsed() >= Duration::from_millis(100));
            if due || done == total {
                self.last_drawn = Some(Instant::now());
                let filled = done * 30 / total;
                eprint!(
                    "\r[{}{}] {done}/{total} 个文件 (files) {:.1} MB",
                    "#".repeat(filled),
                    "-".repeat(30 - filled),
                    self.bytes as f64 / 1e6
                );
                let _ = std::io::stderr().flush();
            }
        } else {
            let tenth = done * 10 / total;
            // A short upload is over before a line would tell anything.
            if tenth > self.last_tenth && done < total && total >= PLAIN_FROM {
                self.last_tenth = tenth;
                eprintln!("已上传 {done}/{total} 个文件 (uploaded {done}/{total} files)");
            }
        }
    }

    /// Ends the bar's line; returns the files and bytes sent.
    pub fn finish(self) -> (usize, u64) {
        if self.terminal && self.done > 0 {
            eprintln!();
        }
        (self.done, self.bytes)
    }
}
