// Recipe files read with toml++ (Debian's libtomlplusplus-dev). The only file that includes it:
// header-only, and without exceptions, so that a bad file is an error value like any other.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "formatters/recipes/recipe.h"

namespace seam::recipes {
namespace {

// Reads one `[[kind]]` table: every key it has must be one the kind knows, each a string.
class Entry {
public:
    Entry(const toml::table& t, const std::string& file, std::string_view kind, size_t index)
        : m_t(t), m_file(file), m_kind(kind), m_index(index) {}

    uint32_t line() const { return m_t.source().begin.line; }
    Origin origin() const { return {m_file, line()}; }

    Error error(std::string_view what, uint32_t at = 0) const {
        return err("{}:{}: [[{}]] #{}: {}", m_file, at ? at : line(), m_kind, m_index + 1, what);
    }

    /// The string at `key`; required unless `optional`.
    Result<std::string> text(std::string_view key, bool optional = false) {
        m_known.insert(std::string(key));
        const toml::node* n = m_t.get(key);
        if (!n) {
            if (optional) return std::string();
            return error(fmt::format("missing \"{}\"", key));
        }
        auto s = n->value<std::string>();
        if (!s || s->empty())
            return error(fmt::format("\"{}\" must be a non-empty string", key),
                         n->source().begin.line);
        return *s;
    }
    /// A field path: dotted names, none empty.
    Result<std::string> path(std::string_view key, bool optional = false) {
        auto s = text(key, optional);
        if (!s || s->empty()) return s;
        if (auto p = split_path(*s); !p)
            return error(fmt::format("\"{}\": {}", key, p.error().message),
                         m_t.get(key)->source().begin.line);
        return s;
    }
    /// Keys the kind does not know: a typo must not pass silently.
    Status check_unknown() const {
        for (auto&& [k, v] : m_t)
            if (!m_known.count(std::string(k.str())))
                return error(fmt::format("unknown key \"{}\" (known: {})", k.str(), known()),
                             v.source().begin.line);
        return ok_status();
    }

private:
    std::string known() const {
        std::string out;
        for (const auto& k : m_known) out += (out.empty() ? "" : ", ") + k;
        return out;
    }
    const toml::table& m_t;
    const std::string& m_file;
    std::string_view m_kind;
    size_t m_index;
    std::set<std::string> m_known;
};

// `Box<own::Node>` → (Box, own::Node).
Result<std::pair<HeldKind, std::string>> parse_held(const std::string& text) {
    for (HeldKind kind :
         {HeldKind::Box, HeldKind::Arc, HeldKind::Rc, HeldKind::KBox, HeldKind::KernelArc}) {
        std::string p = std::string(held_kind_name(kind)) + "<";
        if (text.starts_with(p) && text.size() > p.size() + 1 && text.back() == '>')
            return std::pair{kind, text.substr(p.size(), text.size() - p.size() - 1)};
    }
    return err("\"holds\" must be Box<T>, Arc<T>, Rc<T>, KBox<T> or kernel::sync::Arc<T>, got "
               "\"{}\"",
               text);
}

template <typename Rule, typename Fill>
Status read_kind(const toml::table& root, const std::string& file, std::string_view kind,
                 std::vector<Rule>& out, Fill fill) {
    const toml::node* n = root.get(kind);
    if (!n) return ok_status();
    const toml::array* arr = n->as_array();
    if (!arr)
        return err("{}:{}: \"{}\" must be an array of tables: write [[{}]]", file,
                   n->source().begin.line, kind, kind);
    for (size_t i = 0; i < arr->size(); ++i) {
        const toml::table* t = arr->get(i)->as_table();
        if (!t)
            return err("{}:{}: [[{}]] #{}: must be a table", file, arr->get(i)->source().begin.line,
                       kind, i + 1);
        Entry e(*t, file, kind, i);
        Rule r;
        r.origin = e.origin();
        if (Status st = fill(e, r); !st) return st;
        if (Status st = e.check_unknown(); !st) return st;
        out.push_back(std::move(r));
    }
    return ok_status();
}

#define SEAM_TAKE(dst, expr)                                                                       \
    do {                                                                                           \
        auto v_ = (expr);                                                                          \
        if (!v_) return v_.error();                                                                \
        dst = std::move(*v_);                                                                      \
    } while (0)

} // namespace

Result<std::vector<std::string>> split_path(std::string_view path) {
    std::vector<std::string> out;
    size_t start = 0;
    for (;;) {
        size_t dot = path.find('.', start);
        std::string_view step =
            path.substr(start, dot == std::string_view::npos ? dot : dot - start);
        if (step.empty()) return err("empty step in field path \"{}\"", path);
        out.emplace_back(step);
        if (dot == std::string_view::npos) return out;
        start = dot + 1;
    }
}

void RecipeSet::merge(RecipeSet o) {
    auto append = [](auto& to, auto& from) {
        for (auto& r : from) to.push_back(std::move(r));
    };
    append(owns, o.owns);
    append(shared, o.shared);
    append(lists, o.lists);
    append(list_heads, o.list_heads);
    append(holds, o.holds);
    append(files, o.files);
}

Result<RecipeSet> parse_recipes(std::string_view text, const std::string& file) {
    toml::parse_result parsed = toml::parse(text, file);
    if (!parsed) {
        const auto& e = parsed.error();
        return err("{}:{}: {}", file, e.source().begin.line, e.description());
    }
    const toml::table& root = parsed.table();
    static const std::set<std::string, std::less<>> k_top = {"version", "owns",      "shared",
                                                             "list",    "list_head", "holds"};
    for (auto&& [k, v] : root)
        if (!k_top.count(k.str()))
            return err("{}:{}: unknown table or key \"{}\" (known: version, owns, shared, list, "
                       "list_head, holds)",
                       file, v.source().begin.line, k.str());
    const toml::node* version = root.get("version");
    if (!version) return err("{}:1: missing \"version = {}\"", file, kRecipeVersion);
    auto v = version->value<int64_t>();
    if (!v || *v != kRecipeVersion)
        return err("{}:{}: \"version\" must be {} (this seam reads recipe version {})", file,
                   version->source().begin.line, kRecipeVersion, kRecipeVersion);

    RecipeSet set;
    set.files.push_back(file);
    Status st = read_kind(root, file, "owns", set.owns, [](Entry& e, OwnsRule& r) -> Status {
        SEAM_TAKE(r.type, e.text("type"));
        SEAM_TAKE(r.field, e.path("field"));
        SEAM_TAKE(r.release, e.text("release"));
        return ok_status();
    });
    if (!st) return st.error();
    st = read_kind(root, file, "shared", set.shared, [](Entry& e, SharedRule& r) -> Status {
        SEAM_TAKE(r.type, e.text("type"));
        SEAM_TAKE(r.count, e.path("count"));
        SEAM_TAKE(r.value, e.path("value", true));
        return ok_status();
    });
    if (!st) return st.error();
    st = read_kind(root, file, "list", set.lists, [](Entry& e, ListRule& r) -> Status {
        SEAM_TAKE(r.type, e.text("type"));
        SEAM_TAKE(r.next, e.text("next"));
        return ok_status();
    });
    if (!st) return st.error();
    st =
        read_kind(root, file, "list_head", set.list_heads, [](Entry& e, ListHeadRule& r) -> Status {
            SEAM_TAKE(r.owner, e.text("owner", true));
            SEAM_TAKE(r.field, e.text("field"));
            SEAM_TAKE(r.element, e.text("element"));
            SEAM_TAKE(r.link, e.text("link"));
            return ok_status();
        });
    if (!st) return st.error();
    st = read_kind(root, file, "holds", set.holds, [](Entry& e, HoldsRule& r) -> Status {
        SEAM_TAKE(r.type, e.text("type"));
        SEAM_TAKE(r.field, e.text("field"));
        std::string held;
        SEAM_TAKE(held, e.text("holds"));
        auto h = parse_held(held);
        if (!h) return e.error(h.error().message);
        r.kind = h->first;
        r.target = h->second;
        return ok_status();
    });
    if (!st) return st.error();
    return set;
}

Result<RecipeSet> load_recipe_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return err("cannot read recipe file {}", path);
    std::ostringstream ss;
    ss << in.rdbuf();
    // A recipe is a few lines; a huge file is a mistake, not a recipe.
    if (ss.str().size() > (1u << 20)) return err("{}: larger than 1 MiB: not a recipe file", path);
    return parse_recipes(ss.str(), path);
}

} // namespace seam::recipes
