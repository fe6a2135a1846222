// Panic-message recovery and stop classification over fuzzed memory: the backtraces of real
// stops (a panic=abort panic at its SIGABRT, a panic that could not unwind through extern "C",
// a fault in C called from Rust, an unwinding panic), with the input choosing the signal, the
// panic runtime, the frames' stack pointers and whether the executable's DWARF (the crash
// fixture's, read once) is at hand; the rest of the input is the process's memory, stack and
// heap alike. The classification is rendered as seam's JSON outputs print it.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "formatters/crash/crash.h"
#include "formatters/dwarf/debug_info.h"
#include "formatters/render/json_text.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace seam;
using namespace seam::crash;

constexpr uint64_t k_base = 0x7ffd'0000'0000;

const DebugInfo* crash_fixture() {
    static std::unique_ptr<DebugInfo> info = [] {
        auto opened = DebugInfo::open(SEAM_FUZZ_CRASH_FIXTURE, 0);
        if (!opened) std::abort();
        return std::move(*opened);
    }();
    return info.get();
}

struct Named {
    const char* function;
    Lang lang;
    const char* module;
};

// Innermost first, as LLDB reports them; the input picks one stop and may cut it short.
const std::vector<std::vector<Named>> k_stops = {
    {{"abort", Lang::C, "libc.so.6"},
     {"std::sys::pal::unix::abort_internal", Lang::Rust, "app"},
     {"__rustc::__rust_start_panic", Lang::Rust, "app"},
     {"__rustc::rust_panic", Lang::Rust, "app"},
     {"std::panicking::panic_with_hook", Lang::Rust, "app"},
     {"std::panicking::panic_handler::{closure#0}", Lang::Rust, "app"},
     {"__rustc::rust_begin_unwind", Lang::Rust, "app"},
     {"core::panicking::panic_fmt", Lang::Rust, "app"},
     {"app::parse", Lang::Rust, "app"},
     {"app::main", Lang::Rust, "app"}},
    {{"abort", Lang::C, "libc.so.6"},
     {"std::process::abort", Lang::Rust, "app"},
     {"std::panicking::panic_with_hook", Lang::Rust, "app"},
     {"__rustc::rust_begin_unwind", Lang::Rust, "app"},
     {"core::panicking::panic_nounwind_fmt", Lang::Rust, "app"},
     {"core::panicking::panic_nounwind", Lang::Rust, "app"},
     {"core::panicking::panic_cannot_unwind", Lang::Rust, "app"},
     {"app::callback", Lang::Rust, "app"},
     {"c_calls_back", Lang::C, "app"},
     {"app::main", Lang::Rust, "app"}},
    {{"read_config", Lang::C, "app"},
     {"app::config::load", Lang::Rust, "app"},
     {"app::main", Lang::Rust, "app"},
     {"std::rt::lang_start_internal", Lang::Rust, "app"},
     {"__libc_start_main", Lang::C, "libc.so.6"}},
    {{"_Unwind_RaiseException", Lang::C, "libgcc_s.so.1"},
     {"__rustc::rust_panic", Lang::Rust, "app"},
     {"std::panicking::rust_panic_with_hook", Lang::Rust, "app"},
     {"std::panicking::begin_panic_handler::{{closure}}", Lang::Rust, "app"},
     {"core::panicking::panic_fmt", Lang::Rust, "app"},
     {"core::result::unwrap_failed", Lang::Rust, "app"},
     {"app::main", Lang::Rust, "app"}},
};

class Queries : public ProcessQueries {
public:
    Queries(uint64_t heap_size, uint64_t canary, uint64_t cleanup, uint64_t code)
        : m_heap_size(heap_size), m_canary(canary), m_cleanup(cleanup), m_code(code) {}
    std::vector<MemoryRegion> heap_regions() override {
        return {{k_base, k_base + m_heap_size, "[heap]"}};
    }
    std::optional<uint64_t> symbol_address(std::string_view name) override {
        if (name == "panic_unwind::imp::CANARY") return m_canary;
        if (name == "panic_unwind::imp::panic::exception_cleanup") return m_cleanup;
        return std::nullopt;
    }
    std::optional<std::pair<uint64_t, uint64_t>> function_range(uint64_t pc) override {
        if (pc >= m_code && pc - m_code <= 0x100) return std::make_pair(m_code, m_code + 0x100);
        return std::nullopt;
    }

private:
    uint64_t m_heap_size, m_canary, m_cleanup, m_code;
};

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    crash_fixture();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const int k_signals[] = {6, 11, 7, 4, 8, 15, 9, 5, 0};
    static const char* const k_runtimes[] = {"", "unwind", "abort"};
    FuzzedDataProvider in(data, size);
    const auto& stop = k_stops[in.ConsumeIntegralInRange<size_t>(0, k_stops.size() - 1)];
    StopFacts facts;
    facts.signal = in.PickValueInArray(k_signals);
    facts.signal_name = facts.signal == 11 ? "SIGSEGV" : facts.signal == 6 ? "SIGABRT" : "SIG";
    facts.description = "signal " + facts.signal_name;
    if (in.ConsumeBool()) facts.fault_address = k_base + in.ConsumeIntegral<uint16_t>();
    facts.from_core = in.ConsumeBool();
    facts.panic_runtime = in.PickValueInArray(k_runtimes);
    bt::RawThread thread;
    size_t frames = in.ConsumeIntegralInRange<size_t>(1, stop.size());
    for (size_t i = 0; i < frames; ++i) {
        bt::RawFrame f;
        f.index = uint32_t(i);
        f.function = f.symbol = stop[i].function;
        f.dwarf_lang = stop[i].lang;
        f.module = stop[i].module;
        f.file = "main.rs";
        f.line = 10 + uint32_t(i);
        f.pc = k_base + in.ConsumeIntegral<uint16_t>();
        f.sp = k_base + in.ConsumeIntegral<uint16_t>();
        f.cfa = f.sp + in.ConsumeIntegral<uint16_t>();
        thread.frames.push_back(f);
    }
    bt::Backtrace bt = bt::classify(std::move(thread));
    bool with_dwarf = in.ConsumeBool();
    bool wrapping = in.ConsumeBool();
    // The heap the exception search walks: the image, or (wrapping) far more than the image.
    uint64_t heap = wrapping ? uint64_t(1) << in.ConsumeIntegralInRange(12, 40) : size;
    Queries queries(heap, k_base + in.ConsumeIntegral<uint16_t>(),
                    k_base + in.ConsumeIntegral<uint16_t>(),
                    k_base + in.ConsumeIntegral<uint16_t>());
    bool full_names = in.ConsumeBool();
    std::vector<uint8_t> image = in.ConsumeRemainingBytes<uint8_t>();
    fuzz::ImageMemory mem(k_base, image, wrapping);
    Classification c = classify({.stop = facts,
                                 .backtrace = &bt,
                                 .memory = &mem,
                                 .debug_info = with_dwarf ? crash_fixture() : nullptr,
                                 .process = &queries,
                                 .full_names = full_names});
    json_text(to_json(c));
    return 0;
}
