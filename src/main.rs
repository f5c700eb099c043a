fn main() {
    std::process::exit(grondslag::cli::main());
}
