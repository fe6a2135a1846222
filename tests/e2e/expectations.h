#pragma once
/// The expectation file a fixture writes at each probe (tests/fixtures/README.md, "The probe
/// protocol"), parsed.
#include <string>
#include <string_view>
#include <vector>

#include "formatters/core/result.h"

namespace seam::e2e {

struct Record {
    std::string name;
    std::string debug;      ///< format!("{:?}")
    std::string pretty;     ///< format!("{:#?}")
    std::string limitation; ///< non-empty: the mismatch is expected, and this says why
};

struct Fact {
    std::string name;
    std::string key; ///< `ownership.<key>` in `seam print --json`
    std::string value;
};

struct Summary {
    std::string name;
    std::string text;
};

struct ExpectError {
    std::string name;
    std::string marker; ///< the Debug rendering must start with this (equal it, when exact)
    /// @exact-error: `marker` is the whole Debug text, and `shown` the marked error that every
    /// view of the value (frame variable, seam print, seam own) must show.
    bool exact = false;
    std::string shown;
};

struct Expectations {
    std::vector<Record> records;
    std::vector<Fact> facts;
    std::vector<Summary> summaries;
    std::vector<ExpectError> errors;
    size_t size() const { return records.size() + facts.size() + summaries.size() + errors.size(); }
};

/// Parses the byte-exact format; any deviation is an error naming the offset.
Result<Expectations> parse_expectations(std::string_view text);
Result<Expectations> read_expectations(const std::string& path);

} // namespace seam::e2e
