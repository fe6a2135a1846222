#pragma once
/// `seam-report group`: the signature groups of any number of `--jsonl` files (cli/group.cpp).

namespace seam::cli {

/// argv[0] is `group`. Exit status: 0 every line read, 1 some lines were not records (the
/// others grouped), 2 usage or an input that cannot be opened.
int group_main(int argc, char** argv);

} // namespace seam::cli
