fn main() {
    std::process::exit(brief::cli::main());
}
