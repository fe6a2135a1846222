// seam_show FIXTURE NAME: for one recorded local, what the fixture's `{:?}` / `{:#?}` printed
// beside what `seam print --debug/--pretty` gives, at every probe that recorded it (the tool
// behind tests/e2e/show.sh). FIXTURE is a binary name (`generated-O0`), `generated` (= -O0),
// or a path.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <unistd.h>

#include "tests/e2e/compare.h"
#include "tests/e2e/expectations.h"
#include "tests/e2e/session.h"

namespace fs = std::filesystem;
using namespace seam::e2e;

namespace {

std::string resolve(const std::string& fixture) {
    if (fixture.find('/') != std::string::npos) return fixture;
    std::string dir = SEAM_E2E_FIXTURE_DIR;
    if (fs::exists(dir + "/" + fixture)) return dir + "/" + fixture;
    return dir + "/" + fixture + "-O0";
}

void show(const char* label, const std::string& text) {
    std::cout << "--- " << label << " (" << text.size() << " bytes)\n" << text << "\n";
}

bool mentions(const Expectations& exp, const std::string& name) {
    for (const Record& r : exp.records)
        if (r.name == name) return true;
    for (const Fact& f : exp.facts)
        if (f.name == name) return true;
    for (const Summary& s : exp.summaries)
        if (s.name == name) return true;
    for (const ExpectError& e : exp.errors)
        if (e.name == name) return true;
    return false;
}

int show_stop(Session& session, const Expectations& exp, const std::string& name) {
    int found = 0;
    for (const Record& r : exp.records) {
        if (r.name != name) continue;
        ++found;
        CommandOutput debug = session.run("seam print --debug " + name);
        CommandOutput pretty = session.run("seam print --pretty " + name);
        show("expected {:?}", r.debug);
        show("seam print --debug", debug.text());
        std::cout << (debug.ok && debug.output == r.debug + "\n" ? "=== debug: EXACT\n"
                                                                 : "=== debug: DIFFERENT\n");
        show("expected {:#?}", r.pretty);
        show("seam print --pretty", pretty.text());
        std::cout << (pretty.ok && pretty.output == r.pretty + "\n" ? "=== pretty: EXACT\n"
                                                                    : "=== pretty: DIFFERENT\n");
        if (!r.limitation.empty()) std::cout << "=== limitation: " << r.limitation << "\n";
    }
    for (const ExpectError& e : exp.errors) {
        if (e.name != name) continue;
        ++found;
        show("expected error marker", e.marker + "...");
        show("seam print --debug", session.run("seam print --debug " + name).text());
    }
    bool json_needed = false;
    for (const Fact& f : exp.facts)
        if (f.name == name) {
            std::cout << "--- fact ownership." << f.key << " = " << f.value << "\n";
            json_needed = true;
        }
    for (const Summary& s : exp.summaries)
        if (s.name == name) {
            std::cout << "--- summary = " << s.text << "\n";
            json_needed = true;
        }
    if (json_needed) {
        found += found == 0;
        show("seam print --json", session.run("seam print --json " + name).text());
    }
    return found;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: " << argv[0] << " FIXTURE NAME\n";
        return 2;
    }
    const std::string exe = resolve(argv[1]);
    const std::string name = argv[2];
    if (!fs::exists(exe)) {
        std::cerr << exe << ": no such fixture (build the `fixtures` target)\n";
        return 2;
    }
    std::string dir = (fs::temp_directory_path() / "seam-show-XXXXXX").string();
    if (!mkdtemp(dir.data())) return 2;

    initialize_lldb(SEAM_E2E_LLDB_BIN);
    int status = 0;
    {
        auto session = Session::create(SEAM_E2E_PLUGIN);
        if (!session) {
            std::cerr << session.error().message << "\n";
            return 1;
        }
        auto env =
            std::vector<std::pair<std::string, std::string>>{{"SEAM_EXPECT", dir + "/expect"}};
        if (const char* seed = std::getenv("SEAM_SEED")) env.emplace_back("SEAM_SEED", seed);
        auto stop = (*session)->launch(exe, env, dir + "/output");
        int found = 0;
        for (int n = 1; stop && stop->kind == StopKind::Probe; ++n) {
            auto exp = read_expectations(dir + "/expect");
            if (!exp) {
                std::cerr << "probe " << n << ": " << exp.error().message << "\n";
            } else if (mentions(*exp, name)) {
                std::cout << "=== " << exe << " probe " << n << " in " << stop->description << "\n";
                found += show_stop(**session, *exp, name);
            }
            stop = (*session)->resume();
        }
        if (!stop)
            std::cerr << stop.error().message << "\n";
        else if (stop->kind != StopKind::Exited)
            std::cerr << "stopped: " << stop->description << "\n";
        if (found == 0) {
            std::cerr << name << " is recorded at no probe of " << exe << "\n";
            status = 1;
        }
    }
    terminate_lldb();
    fs::remove_all(dir);
    return status;
}
