//! Wrong answers that the graders must reject, one per usual mistake.
//!
//! Each [`WrongAnswer`] replaces one exercise of the solved copy with a mistaken
//! version; `solutions/tests/graders.rs` checks that grading it gives *wrong*
//! and that the report's hint points at the mistake. They come in classes: the
//! usual slips of each formula, the edge inputs and non-default arguments the
//! contract allows (w·x + b = 0, a bias of None, a kernel that is not square,
//! strides and paddings above 1, hyper-parameters that are not the defaults), a
//! panic in the student's code, and calls to the library's own answer
//! ([`library`], whose files the library-call scan reads).

pub mod activations;
pub mod backprop;
pub mod cnn;
pub mod conv;
pub mod library;
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
