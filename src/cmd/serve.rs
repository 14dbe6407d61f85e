//! `brief serve`: the preview server lives in [`crate::serve`], a floor below; the command
//! only starts it with the checked arguments.

pub fn run(args: crate::serve::Args) -> i32 {
    crate::serve::run(args)
}
