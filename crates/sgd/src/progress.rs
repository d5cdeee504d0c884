use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// A progress bar in tqdm's format, drawn on standard error:
///
/// `Epoch: 0: 100%|██████████| 782/782 [01:10<00:00, 11.02it/s]`
///
/// On a terminal it redraws in place at most ten times a second; otherwise (a log
/// file, CI) it prints only the finished line.
pub struct ProgressBar {
    description: String,
    total: u64,
    done: u64,
    bytes: bool,
    start: Instant,
    last_draw: Option<Instant>,
    live: bool,
}

impl ProgressBar {
    /// A bar for `total` steps, labelled `description` (e.g. `"Epoch: 0"`).
    pub fn new(description: impl Into<String>, total: usize) -> Self {
        ProgressBar {
            description: description.into(),
            total: total as u64,
            done: 0,
            bytes: false,
            start: Instant::now(),
            last_draw: None,
            live: std::io::stderr().is_terminal(),
        }
    }

    /// A bar counting bytes (a download), shown in MB; `total` 0 means unknown.
    pub fn bytes(description: impl Into<String>, total: u64) -> Self {
        ProgressBar {
            total,
            bytes: true,
            ..ProgressBar::new(description, 0)
        }
    }

    /// Advances by one step and redraws if it is time to.
    pub fn inc(&mut self) {
        self.inc_by(1);
    }

    /// Advances by `n` steps (or bytes) and redraws if it is time to.
    pub fn inc_by(&mut self, n: u64) {
        self.done += n;
        let due = self
            .last_draw
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(100));
        if self.live && (due || self.done == self.total) {
            self.last_draw = Some(Instant::now());
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{}", self.render(self.start.elapsed()));
            let _ = err.flush();
        }
    }

    /// Ends the bar: prints the final state and a newline.
    pub fn finish(self) {
        let line = self.render(self.start.elapsed());
        if self.live {
            eprintln!("\r{line}");
        } else {
            eprintln!("{line}");
        }
    }

    /// The bar's text after `elapsed`, tqdm style.
    pub fn render(&self, elapsed: Duration) -> String {
        const WIDTH: usize = 10;
        const PARTIAL: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
        let fraction = if self.total == 0 {
            if self.bytes {
                0.0
            } else {
                1.0
            }
        } else {
            (self.done as f64 / self.total as f64).min(1.0)
        };
        let eighths = (fraction * (WIDTH * 8) as f64) as usize;
        let mut bar = "█".repeat(eighths / 8);
        if eighths / 8 < WIDTH {
            bar.push(PARTIAL[eighths % 8]);
            bar.push_str(&" ".repeat(WIDTH - eighths / 8 - 1));
        }
        let secs = elapsed.as_secs_f64();
        if self.bytes {
            let mb = |b: u64| b as f64 / 1e6;
            let rate = if secs > 0.0 {
                mb(self.done) / secs
            } else {
                0.0
            };
            let of = if self.total > 0 {
                format!(
                    "{:3.0}%|{bar}| {:.1}/{:.1} MB",
                    fraction * 100.0,
                    mb(self.done),
                    mb(self.total)
                )
            } else {
                format!("{:.1} MB", mb(self.done))
            };
            return format!(
                "{}: {of} [{}, {rate:.2}MB/s]",
                self.description,
                clock(secs)
            );
        }
        let rate = if secs > 0.0 {
            self.done as f64 / secs
        } else {
            0.0
        };
        let remaining = if rate > 0.0 {
            self.total.saturating_sub(self.done) as f64 / rate
        } else {
            0.0
        };
        let speed = if rate >= 1.0 || rate == 0.0 {
            format!("{rate:.2}it/s")
        } else {
            format!("{:.2}s/it", 1.0 / rate)
        };
        format!(
            "{}: {:3.0}%|{bar}| {}/{} [{}<{}, {speed}]",
            self.description,
            fraction * 100.0,
            self.done,
            self.total,
            clock(secs),
            clock(remaining)
        )
    }
}

fn clock(secs: f64) -> String {
    let s = secs.round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_tqdm() {
        let mut bar = ProgressBar::new("Epoch: 0", 782);
        bar.live = false;
        for _ in 0..782 {
            bar.inc();
        }
        assert_eq!(
            bar.render(Duration::from_secs_f64(70.9)),
            "Epoch: 0: 100%|██████████| 782/782 [01:11<00:00, 11.03it/s]"
        );
        let mut half = ProgressBar::new("Epoch: 1", 8);
        half.live = false;
        for _ in 0..3 {
            half.inc();
        }
        // 3/8 = 37.5 % → 3 full cells and 6/8 of the next (▊); 5 steps at 1 it/s left.
        assert_eq!(
            half.render(Duration::from_secs(3)),
            "Epoch: 1:  38%|███▊      | 3/8 [00:03<00:05, 1.00it/s]"
        );
        let mut download = ProgressBar::bytes("cifar", 170_000_000);
        download.live = false;
        download.inc_by(85_000_000);
        assert_eq!(
            download.render(Duration::from_secs(10)),
            "cifar:  50%|█████     | 85.0/170.0 MB [00:10, 8.50MB/s]"
        );
    }
}
