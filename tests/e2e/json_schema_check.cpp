#include "tests/e2e/json_schema_check.h"

#include <regex>
#include <set>

namespace seam::e2e {

namespace {

using json = nlohmann::json;

const std::set<std::string> k_known = {"$schema",     "$id",      "title",
                                       "description", "$defs",    "type",
                                       "properties",  "required", "additionalProperties",
                                       "items",       "enum",     "const",
                                       "pattern",     "minimum",  "oneOf",
                                       "allOf",       "$ref"};

bool has_type(const json& v, const std::string& t) {
    if (t == "null") return v.is_null();
    if (t == "boolean") return v.is_boolean();
    if (t == "integer") return v.is_number_integer();
    if (t == "number") return v.is_number();
    if (t == "string") return v.is_string();
    if (t == "array") return v.is_array();
    if (t == "object") return v.is_object();
    return false;
}

class Checker {
public:
    explicit Checker(const json& root) : m_root(root) {}

    void check(const json& schema, const json& v, const std::string& path,
               std::vector<std::string>& out) const {
        for (const auto& [key, _] : schema.items())
            if (!k_known.contains(key))
                out.push_back(path + ": schema keyword not supported: " + key);
        if (auto r = schema.find("$ref"); r != schema.end()) {
            std::string ref = *r;
            const std::string prefix = "#/$defs/";
            if (!ref.starts_with(prefix) || !m_root["$defs"].contains(ref.substr(prefix.size())))
                out.push_back(path + ": unresolvable $ref " + ref);
            else
                check(m_root["$defs"][ref.substr(prefix.size())], v, path, out);
        }
        if (auto t = schema.find("type"); t != schema.end()) {
            bool ok = false;
            if (t->is_string())
                ok = has_type(v, *t);
            else
                for (const json& one : *t) ok = ok || has_type(v, one);
            if (!ok) {
                out.push_back(path + ": expected type " + t->dump() + ", got " +
                              v.dump().substr(0, 80));
                return;
            }
        }
        if (auto c = schema.find("const"); c != schema.end() && *c != v)
            out.push_back(path + ": expected " + c->dump() + ", got " + v.dump().substr(0, 80));
        if (auto e = schema.find("enum"); e != schema.end()) {
            bool found = false;
            for (const json& one : *e) found = found || one == v;
            if (!found)
                out.push_back(path + ": " + v.dump().substr(0, 80) + " not in " + e->dump());
        }
        if (auto p = schema.find("pattern"); p != schema.end() && v.is_string())
            if (!std::regex_search(v.get<std::string>(), std::regex(p->get<std::string>())))
                out.push_back(path + ": " + v.dump() + " does not match " + p->dump());
        if (auto m = schema.find("minimum"); m != schema.end() && v.is_number())
            if (v.get<double>() < m->get<double>())
                out.push_back(path + ": " + v.dump() + " below minimum " + m->dump());
        if (v.is_object()) {
            for (const json& name : schema.value("required", json::array()))
                if (!v.contains(name.get<std::string>()))
                    out.push_back(path + ": missing required key " + name.dump());
            const json props = schema.value("properties", json::object());
            for (const auto& [key, sub] : v.items()) {
                if (props.contains(key))
                    check(props[key], sub, path + "." + key, out);
                else if (schema.value("additionalProperties", true) == false)
                    out.push_back(path + ": unexpected key " + key);
            }
        }
        if (v.is_array())
            if (auto items = schema.find("items"); items != schema.end())
                for (size_t i = 0; i < v.size(); ++i)
                    check(*items, v[i], path + "[" + std::to_string(i) + "]", out);
        if (auto all = schema.find("allOf"); all != schema.end())
            for (const json& sub : *all) check(sub, v, path, out);
        if (auto one = schema.find("oneOf"); one != schema.end()) {
            size_t matches = 0;
            std::vector<std::string> why;
            for (const json& sub : *one) {
                std::vector<std::string> errors;
                check(sub, v, path, errors);
                if (errors.empty())
                    ++matches;
                else
                    why.push_back(errors.front());
            }
            if (matches != 1)
                out.push_back(path + ": matches " + std::to_string(matches) +
                              " of oneOf's schemas" +
                              (why.empty() ? "" : " (first miss: " + why.front() + ")"));
        }
    }

private:
    const json& m_root;
};

} // namespace

std::vector<std::string> validate_json(const json& schema, const json& value) {
    std::vector<std::string> out;
    Checker(schema).check(schema, value, "$", out);
    return out;
}

} // namespace seam::e2e
