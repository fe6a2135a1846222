#pragma once
/// Compares what seam prints at a probe stop with what the fixture recorded there.
#include <string>
#include <vector>

#include "tests/e2e/expectations.h"
#include "tests/e2e/session.h"

namespace seam::e2e {

struct Mismatch {
    std::string what; ///< "debug", "pretty", "fact kind", "summary", "error marker"
    std::string name; ///< the recorded local
    std::string expected;
    std::string actual;
    bool excused = false; ///< optimised out in an optimised fixture: reported, not a failure
};

struct Count {
    size_t exact = 0;
    size_t total = 0;
    void add(bool match) {
        exact += match;
        ++total;
    }
    Count& operator+=(const Count& o) {
        exact += o.exact;
        total += o.total;
        return *this;
    }
};

struct Tally {
    Count debug, pretty, facts, summaries, errors;
    size_t limitations = 0;          ///< records whose mismatch is expected (not in debug/pretty)
    size_t limitations_matching = 0; ///< of those, how many now match anyway
    size_t optimised_out = 0;        ///< mismatches excused: seam says the DWARF has no location
    Tally& operator+=(const Tally& o);
    /// `exact: N/M (debug) N/M (pretty)`
    std::string exact_line() const;
    /// facts, summaries, error markers and limitations on one line.
    std::string detail_line() const;
};

/// Runs `seam print --debug/--pretty/--json NAME` for every entry of `exp` in the session's
/// selected frame; appends every unexpected mismatch to `mismatches`. With `excuse_optimised`
/// (optimised fixtures), a command that fails because the variable is optimised out at the
/// probe is counted in `optimised_out` instead: rustc -O2 drops locations even of values that
/// black_box keeps alive, and that is the compiler's doing, not seam's.
Tally compare_stop(Session& session, const Expectations& exp, std::vector<Mismatch>& mismatches,
                   bool excuse_optimised);

/// Text shown for an expected/actual pair: long texts are cut so that a failing run stays
/// readable.
std::string clip(const std::string& text, size_t max = 4000);

} // namespace seam::e2e
