// The theme (templates/ and assets/) is compiled into the binary by rust-embed, which
// tracks the files it embedded but not files added later: a change anywhere under these
// folders builds brief again.
fn main() {
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=assets");
}
