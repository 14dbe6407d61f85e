#![forbid(unsafe_code)]

// Rendering allocates many short-lived strings on every core; mimalloc handles that with
// far less contention than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(brief::cli::main());
}
