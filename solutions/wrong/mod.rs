//! Wrong answers that the graders must reject, one per usual mistake.
//!
//! Each [`WrongAnswer`] replaces one exercise of the solved copy with a mistaken
//! version; `solutions/tests/graders.rs` checks that grading it gives *wrong*
//! and that the report's hint points at the mistake.

pub mod activations;
pub mod backprop;
pub mod conv;
pub mod losses;
pub mod mlp;
pub mod perceptron;
pub mod sgd;

/// A mistaken answer to one exercise, inside otherwise solved answers.
pub struct WrongAnswer<A> {
    /// The exercise it answers, e.g. `dense_backward`.
    pub exercise: &'static str,
    /// The mistake, in words.
    pub mistake: &'static str,
    /// Text the grader's report must contain (part of the hint it should give).
    pub report_mentions: &'static str,
    /// The solved answers with this one mistake.
    pub answers: A,
}
