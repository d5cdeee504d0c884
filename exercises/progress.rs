//! `cargo run -p exercises --bin progress`: every exercise of every section,
//! done / wrong / not started, with the command that grades it.

fn main() {
    print!("{}", grader::progress_table(&exercises::sections()));
}
