//! Progress bars in tqdm's format, the one the course's notebooks show, drawn by
//! [indicatif] on standard error:
//!
//! `Epoch: 0: 100%|██████████| 782/782 [01:10<00:00, 11.02it/s]`
//!
//! On a terminal a bar redraws in place (indicatif draws at most 20 times a
//! second). Anywhere else (a log file, a pipe, CI) it stays quiet while it runs
//! and prints its finished line once.

use indicatif::{ProgressDrawTarget, ProgressState, ProgressStyle, TermLike};
use std::fmt::Write;
use std::io::{IsTerminal, Write as _};
use std::time::Duration;

/// A progress bar for a counted loop (steps) or a download (bytes).
pub struct ProgressBar {
    bar: indicatif::ProgressBar,
    live: bool,
}

impl ProgressBar {
    /// A bar for `total` steps, labelled `description` (e.g. `"Epoch: 0"`).
    pub fn new(description: impl Into<String>, total: usize) -> Self {
        let template = "{prefix}: {tqdm_percent}|{bar:10}| {pos}/{len} \
                        [{tqdm_elapsed}<{tqdm_remaining}, {tqdm_rate}]";
        Self::with_template(description.into(), total as u64, template)
    }

    /// A bar counting bytes (a download), shown in MB; `total` 0 means unknown.
    pub fn bytes(description: impl Into<String>, total: u64) -> Self {
        let template = if total > 0 {
            "{prefix}: {tqdm_percent}|{bar:10}| {tqdm_megabytes} \
             [{tqdm_elapsed}, {tqdm_megabyte_rate}]"
        } else {
            "{prefix}: {tqdm_megabytes} [{tqdm_elapsed}, {tqdm_megabyte_rate}]"
        };
        Self::with_template(description.into(), total, template)
    }

    fn with_template(description: String, total: u64, template: &str) -> Self {
        let live = std::io::stderr().is_terminal();
        let target = if live {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let style = ProgressStyle::with_template(template)
            .expect("the templates above are valid")
            // tqdm's bar: full blocks, then one eighth-step partial block.
            .progress_chars("█▉▊▋▌▍▎▏ ")
            .with_key("tqdm_percent", |s: &ProgressState, w: &mut dyn Write| {
                let _ = write!(w, "{:3.0}%", s.fraction() * 100.0);
            })
            .with_key("tqdm_elapsed", |s: &ProgressState, w: &mut dyn Write| {
                let _ = w.write_str(&clock(s.elapsed()));
            })
            .with_key("tqdm_remaining", |s: &ProgressState, w: &mut dyn Write| {
                let _ = w.write_str(&clock(remaining(s)));
            })
            .with_key("tqdm_rate", |s: &ProgressState, w: &mut dyn Write| {
                let _ = w.write_str(&rate(s.pos(), s.elapsed()));
            })
            .with_key("tqdm_megabytes", |s: &ProgressState, w: &mut dyn Write| {
                let _ = match s.len().filter(|&t| t > 0) {
                    Some(t) => write!(w, "{:.1}/{:.1} MB", mb(s.pos()), mb(t)),
                    None => write!(w, "{:.1} MB", mb(s.pos())),
                };
            })
            .with_key(
                "tqdm_megabyte_rate",
                |s: &ProgressState, w: &mut dyn Write| {
                    let secs = s.elapsed().as_secs_f64();
                    let r = if secs > 0.0 { mb(s.pos()) / secs } else { 0.0 };
                    let _ = write!(w, "{r:.2}MB/s");
                },
            );
        let bar = indicatif::ProgressBar::with_draw_target(Some(total), target)
            .with_style(style)
            .with_prefix(description);
        ProgressBar { bar, live }
    }

    /// Advances by one step and redraws if it is time to.
    pub fn inc(&mut self) {
        self.bar.inc(1);
    }

    /// Advances by `n` steps (or bytes) and redraws if it is time to.
    pub fn inc_by(&mut self, n: u64) {
        self.bar.inc(n);
    }

    /// Ends the bar, leaving its final line on standard error.
    pub fn finish(self) {
        if !self.live {
            self.bar
                .set_draw_target(ProgressDrawTarget::term_like(Box::new(
                    stderr_lines(),
                )));
        }
        // Freeze the clock where the work ended, then draw that state once.
        self.bar.abandon();
    }
}

/// Minutes and seconds (hours when needed), as tqdm shows them: `01:10`.
fn clock(d: Duration) -> String {
    let s = d.as_secs_f64().round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// The time left at the average rate so far (tqdm's estimate).
fn remaining(s: &ProgressState) -> Duration {
    let (done, secs) = (s.pos() as f64, s.elapsed().as_secs_f64());
    let left = s.len().unwrap_or(0).saturating_sub(s.pos()) as f64;
    if done > 0.0 {
        Duration::from_secs_f64(left * secs / done)
    } else {
        Duration::ZERO
    }
}

/// Steps per second, or seconds per step when slower than one a second.
fn rate(done: u64, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    let r = if secs > 0.0 { done as f64 / secs } else { 0.0 };
    if r >= 1.0 || r == 0.0 {
        format!("{r:.2}it/s")
    } else {
        format!("{:.2}s/it", 1.0 / r)
    }
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// A plain line-by-line "terminal": each line of text a frame draws goes to
/// `write` (blanks, which only clear a screen line, are skipped). It prints the
/// one final line of a bar when standard error is not a terminal, and lets the
/// tests read what a bar draws.
struct Lines<F>(F);

impl<F> std::fmt::Debug for Lines<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lines")
    }
}

impl<F: Fn(&str) + Send + Sync> TermLike for Lines<F> {
    fn width(&self) -> u16 {
        120
    }
    fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn write_line(&self, line: &str) -> std::io::Result<()> {
        self.write_str(line)
    }
    fn write_str(&self, s: &str) -> std::io::Result<()> {
        if !s.trim().is_empty() {
            (self.0)(s);
        }
        Ok(())
    }
    fn clear_line(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn flush(&self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// Lines to standard error.
fn stderr_lines() -> Lines<impl Fn(&str) + Send + Sync> {
    Lines(|line: &str| {
        let _ = writeln!(std::io::stderr(), "{line}");
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// `bar` after `steps` steps, as drawn, with its times cut off (they depend
    /// on the clock).
    fn drawn(bar: ProgressBar, steps: u64) -> String {
        // Keep the last line with text that the bar draws.
        let screen = Arc::new(Mutex::new(String::new()));
        let keep = Arc::clone(&screen);
        let lines = Lines(move |s: &str| *keep.lock().unwrap() = s.to_string());
        bar.bar
            .set_draw_target(ProgressDrawTarget::term_like(Box::new(lines)));
        bar.bar.inc(steps);
        bar.bar.abandon();
        let line = screen.lock().unwrap().clone();
        line.split(" [").next().unwrap_or_default().to_string()
    }

    #[test]
    fn draws_like_tqdm() {
        assert_eq!(
            drawn(ProgressBar::new("Epoch: 0", 782), 782),
            "Epoch: 0: 100%|██████████| 782/782"
        );
        // 3/8 = 37.5 % → 3 full cells and 6/8 of the next (▊), rounded like tqdm.
        assert_eq!(
            drawn(ProgressBar::new("Epoch: 1", 8), 3),
            "Epoch: 1:  38%|███▊      | 3/8"
        );
        // On an exact cell boundary indicatif starts the next cell with its
        // thinnest block, where tqdm leaves it blank.
        assert_eq!(
            drawn(ProgressBar::bytes("cifar", 170_000_000), 85_000_000),
            "cifar:  50%|█████▏    | 85.0/170.0 MB"
        );
        assert_eq!(
            drawn(ProgressBar::bytes("cifar", 0), 2_500_000),
            "cifar: 2.5 MB"
        );
    }

    #[test]
    fn times_and_rates_read_like_tqdm() {
        assert_eq!(clock(Duration::from_secs_f64(70.9)), "01:11");
        assert_eq!(clock(Duration::from_secs(3 * 3600 + 62)), "3:01:02");
        assert_eq!(rate(782, Duration::from_secs_f64(70.9)), "11.03it/s");
        assert_eq!(rate(1, Duration::from_secs(4)), "4.00s/it");
        assert_eq!(rate(0, Duration::ZERO), "0.00it/s");
    }
}
