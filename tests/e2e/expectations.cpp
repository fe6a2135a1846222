#include "tests/e2e/expectations.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace seam::e2e {
namespace {

// A cursor over the file: headers are space-separated tokens ending in '\n', payloads are
// exactly LEN bytes followed by '\n' (payloads may themselves hold newlines).
class Reader {
public:
    explicit Reader(std::string_view text) : m_text(text) {}

    bool done() const { return m_pos >= m_text.size(); }
    size_t pos() const { return m_pos; }

    Result<std::vector<std::string>> header() {
        size_t end = m_text.find('\n', m_pos);
        if (end == std::string_view::npos) return err("offset {}: header without newline", m_pos);
        std::vector<std::string> tokens;
        std::string_view line = m_text.substr(m_pos, end - m_pos);
        size_t i = 0;
        while (i <= line.size()) {
            size_t sp = line.find(' ', i);
            if (sp == std::string_view::npos) sp = line.size();
            tokens.emplace_back(line.substr(i, sp - i));
            i = sp + 1;
        }
        m_pos = end + 1;
        return tokens;
    }

    Result<std::string> payload(const std::string& len_token) {
        size_t len = 0;
        auto [p, ec] = std::from_chars(len_token.data(), len_token.data() + len_token.size(), len);
        if (ec != std::errc() || p != len_token.data() + len_token.size())
            return err("offset {}: bad length {:?}", m_pos, len_token);
        if (m_pos + len >= m_text.size() || m_text[m_pos + len] != '\n')
            return err("offset {}: payload of {} bytes not followed by a newline", m_pos, len);
        std::string out(m_text.substr(m_pos, len));
        m_pos += len + 1;
        return out;
    }

private:
    std::string_view m_text;
    size_t m_pos = 0;
};

Status expect_tokens(const std::vector<std::string>& t, size_t n, size_t at) {
    if (t.size() != n)
        return err("offset {}: {} takes {} fields, found {}", at, t[0], n - 1, t.size() - 1);
    return ok_status();
}

} // namespace

Result<Expectations> parse_expectations(std::string_view text) {
    Expectations out;
    Reader r(text);
    while (!r.done()) {
        size_t at = r.pos();
        auto tokens = r.header();
        if (!tokens) return tokens.error();
        const std::vector<std::string>& t = *tokens;
        const std::string& tag = t[0];
        if (tag == "@record") {
            SEAM_TRY(expect_tokens(t, 4, at));
            auto debug = r.payload(t[2]);
            if (!debug) return debug.error();
            auto pretty = r.payload(t[3]);
            if (!pretty) return pretty.error();
            out.records.push_back({t[1], std::move(*debug), std::move(*pretty), {}});
        } else if (tag == "@limitation") {
            SEAM_TRY(expect_tokens(t, 3, at));
            auto why = r.payload(t[2]);
            if (!why) return why.error();
            if (out.records.empty() || out.records.back().name != t[1])
                return err("offset {}: @limitation {} does not follow its record", at, t[1]);
            out.records.back().limitation = why->empty() ? "(no reason given)" : std::move(*why);
        } else if (tag == "@fact") {
            SEAM_TRY(expect_tokens(t, 4, at));
            auto value = r.payload(t[3]);
            if (!value) return value.error();
            out.facts.push_back({t[1], t[2], std::move(*value)});
        } else if (tag == "@summary") {
            SEAM_TRY(expect_tokens(t, 3, at));
            auto text_ = r.payload(t[2]);
            if (!text_) return text_.error();
            out.summaries.push_back({t[1], std::move(*text_)});
        } else if (tag == "@expect-error") {
            SEAM_TRY(expect_tokens(t, 3, at));
            auto marker = r.payload(t[2]);
            if (!marker) return marker.error();
            out.errors.push_back({t[1], std::move(*marker)});
        } else if (tag == "@exact-error") {
            SEAM_TRY(expect_tokens(t, 4, at));
            auto debug = r.payload(t[2]);
            if (!debug) return debug.error();
            auto shown = r.payload(t[3]);
            if (!shown) return shown.error();
            out.errors.push_back({t[1], std::move(*debug), true, std::move(*shown)});
        } else {
            return err("offset {}: unknown entry {:?}", at, tag);
        }
    }
    return out;
}

Result<Expectations> read_expectations(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return err("cannot open {}", path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_expectations(ss.str());
}

} // namespace seam::e2e
