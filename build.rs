//! Links the `ecosite` binary as a position-dependent executable on Linux. minify-html's table
//! of HTML entities is 9.5 MB of pointers: in a position-independent executable the loader
//! rewrites all of it at every start, 2,800 page faults (`ecosite --version` took 8.6 ms
//! against 2.5 ms, and a 1,000-page build 197 ms against 178). The libraries it loads, its
//! heap and its stacks are still placed at random.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
