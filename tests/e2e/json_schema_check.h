#pragma once
/// A validator for the subset of JSON Schema (2020-12) that docs/report.schema.json uses:
/// `type` (a name or a list), `properties`, `required`, `additionalProperties: false`, `items`,
/// `enum`, `const`, `pattern`, `minimum`, `oneOf`, `allOf`, and `$ref` to `#/$defs/NAME`.
/// Bookworm packages no C++ JSON Schema validator; this one is small enough to trust by reading.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace seam::e2e {

/// Every violation of `schema` by `value`, as `PATH: what` lines; empty when valid. A keyword
/// outside the subset is reported as a violation too, so the schema cannot outgrow the check.
std::vector<std::string> validate_json(const nlohmann::json& schema, const nlohmann::json& value);

} // namespace seam::e2e
