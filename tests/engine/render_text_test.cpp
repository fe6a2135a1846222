// Rust's Debug of char, str and OsStr, against rows printed by rustc 1.95.0:
//   rustc -O tests/engine/render_debug_oracle.rs -o /tmp/render_debug_oracle
//   /tmp/render_debug_oracle chars; /tmp/render_debug_oracle strs; /tmp/render_debug_oracle os
// The chars are all of U+0000..U+00FF, code points chosen at the edges of Unicode categories
// (combining marks, format controls, separators, private use, noncharacters, unassigned), and
// 160 more drawn at random. The escape table itself (formatters/render/unicode_escapes.cpp) is
// generated from the same std, so there is no known difference; a newer rustc with a newer
// Unicode may differ on newly assigned code points until the table is regenerated.
#include <cstdint>
#include <string_view>

#include <gtest/gtest.h>

#include "formatters/render/render.h"

namespace seam {
namespace {

using namespace std::literals;

struct CharRow {
    char32_t c;
    std::string_view debug;
};
struct StrRow {
    std::string_view bytes;
    std::string_view debug;
};

// clang-format off
const CharRow kChars[] = {
    {0x0, "'\\0'"sv}, {0x1, "'\\u{1}'"sv},
    {0x2, "'\\u{2}'"sv}, {0x3, "'\\u{3}'"sv},
    {0x4, "'\\u{4}'"sv}, {0x5, "'\\u{5}'"sv},
    {0x6, "'\\u{6}'"sv}, {0x7, "'\\u{7}'"sv},
    {0x8, "'\\u{8}'"sv}, {0x9, "'\\t'"sv},
    {0xA, "'\\n'"sv}, {0xB, "'\\u{b}'"sv},
    {0xC, "'\\u{c}'"sv}, {0xD, "'\\r'"sv},
    {0xE, "'\\u{e}'"sv}, {0xF, "'\\u{f}'"sv},
    {0x10, "'\\u{10}'"sv}, {0x11, "'\\u{11}'"sv},
    {0x12, "'\\u{12}'"sv}, {0x13, "'\\u{13}'"sv},
    {0x14, "'\\u{14}'"sv}, {0x15, "'\\u{15}'"sv},
    {0x16, "'\\u{16}'"sv}, {0x17, "'\\u{17}'"sv},
    {0x18, "'\\u{18}'"sv}, {0x19, "'\\u{19}'"sv},
    {0x1A, "'\\u{1a}'"sv}, {0x1B, "'\\u{1b}'"sv},
    {0x1C, "'\\u{1c}'"sv}, {0x1D, "'\\u{1d}'"sv},
    {0x1E, "'\\u{1e}'"sv}, {0x1F, "'\\u{1f}'"sv},
    {0x20, "' '"sv}, {0x21, "'!'"sv},
    {0x22, "'\"'"sv}, {0x23, "'#'"sv},
    {0x24, "'$'"sv}, {0x25, "'%'"sv},
    {0x26, "'&'"sv}, {0x27, "'\\''"sv},
    {0x28, "'('"sv}, {0x29, "')'"sv},
    {0x2A, "'*'"sv}, {0x2B, "'+'"sv},
    {0x2C, "','"sv}, {0x2D, "'-'"sv},
    {0x2E, "'.'"sv}, {0x2F, "'/'"sv},
    {0x30, "'0'"sv}, {0x31, "'1'"sv},
    {0x32, "'2'"sv}, {0x33, "'3'"sv},
    {0x34, "'4'"sv}, {0x35, "'5'"sv},
    {0x36, "'6'"sv}, {0x37, "'7'"sv},
    {0x38, "'8'"sv}, {0x39, "'9'"sv},
    {0x3A, "':'"sv}, {0x3B, "';'"sv},
    {0x3C, "'<'"sv}, {0x3D, "'='"sv},
    {0x3E, "'>'"sv}, {0x3F, "'\?'"sv},
    {0x40, "'@'"sv}, {0x41, "'A'"sv},
    {0x42, "'B'"sv}, {0x43, "'C'"sv},
    {0x44, "'D'"sv}, {0x45, "'E'"sv},
    {0x46, "'F'"sv}, {0x47, "'G'"sv},
    {0x48, "'H'"sv}, {0x49, "'I'"sv},
    {0x4A, "'J'"sv}, {0x4B, "'K'"sv},
    {0x4C, "'L'"sv}, {0x4D, "'M'"sv},
    {0x4E, "'N'"sv}, {0x4F, "'O'"sv},
    {0x50, "'P'"sv}, {0x51, "'Q'"sv},
    {0x52, "'R'"sv}, {0x53, "'S'"sv},
    {0x54, "'T'"sv}, {0x55, "'U'"sv},
    {0x56, "'V'"sv}, {0x57, "'W'"sv},
    {0x58, "'X'"sv}, {0x59, "'Y'"sv},
    {0x5A, "'Z'"sv}, {0x5B, "'['"sv},
    {0x5C, "'\\\\'"sv}, {0x5D, "']'"sv},
    {0x5E, "'^'"sv}, {0x5F, "'_'"sv},
    {0x60, "'`'"sv}, {0x61, "'a'"sv},
    {0x62, "'b'"sv}, {0x63, "'c'"sv},
    {0x64, "'d'"sv}, {0x65, "'e'"sv},
    {0x66, "'f'"sv}, {0x67, "'g'"sv},
    {0x68, "'h'"sv}, {0x69, "'i'"sv},
    {0x6A, "'j'"sv}, {0x6B, "'k'"sv},
    {0x6C, "'l'"sv}, {0x6D, "'m'"sv},
    {0x6E, "'n'"sv}, {0x6F, "'o'"sv},
    {0x70, "'p'"sv}, {0x71, "'q'"sv},
    {0x72, "'r'"sv}, {0x73, "'s'"sv},
    {0x74, "'t'"sv}, {0x75, "'u'"sv},
    {0x76, "'v'"sv}, {0x77, "'w'"sv},
    {0x78, "'x'"sv}, {0x79, "'y'"sv},
    {0x7A, "'z'"sv}, {0x7B, "'{'"sv},
    {0x7C, "'|'"sv}, {0x7D, "'}'"sv},
    {0x7E, "'~'"sv}, {0x7F, "'\\u{7f}'"sv},
    {0x80, "'\\u{80}'"sv}, {0x81, "'\\u{81}'"sv},
    {0x82, "'\\u{82}'"sv}, {0x83, "'\\u{83}'"sv},
    {0x84, "'\\u{84}'"sv}, {0x85, "'\\u{85}'"sv},
    {0x86, "'\\u{86}'"sv}, {0x87, "'\\u{87}'"sv},
    {0x88, "'\\u{88}'"sv}, {0x89, "'\\u{89}'"sv},
    {0x8A, "'\\u{8a}'"sv}, {0x8B, "'\\u{8b}'"sv},
    {0x8C, "'\\u{8c}'"sv}, {0x8D, "'\\u{8d}'"sv},
    {0x8E, "'\\u{8e}'"sv}, {0x8F, "'\\u{8f}'"sv},
    {0x90, "'\\u{90}'"sv}, {0x91, "'\\u{91}'"sv},
    {0x92, "'\\u{92}'"sv}, {0x93, "'\\u{93}'"sv},
    {0x94, "'\\u{94}'"sv}, {0x95, "'\\u{95}'"sv},
    {0x96, "'\\u{96}'"sv}, {0x97, "'\\u{97}'"sv},
    {0x98, "'\\u{98}'"sv}, {0x99, "'\\u{99}'"sv},
    {0x9A, "'\\u{9a}'"sv}, {0x9B, "'\\u{9b}'"sv},
    {0x9C, "'\\u{9c}'"sv}, {0x9D, "'\\u{9d}'"sv},
    {0x9E, "'\\u{9e}'"sv}, {0x9F, "'\\u{9f}'"sv},
    {0xA0, "'\\u{a0}'"sv}, {0xA1, "'\302\241'"sv},
    {0xA2, "'\302\242'"sv}, {0xA3, "'\302\243'"sv},
    {0xA4, "'\302\244'"sv}, {0xA5, "'\302\245'"sv},
    {0xA6, "'\302\246'"sv}, {0xA7, "'\302\247'"sv},
    {0xA8, "'\302\250'"sv}, {0xA9, "'\302\251'"sv},
    {0xAA, "'\302\252'"sv}, {0xAB, "'\302\253'"sv},
    {0xAC, "'\302\254'"sv}, {0xAD, "'\\u{ad}'"sv},
    {0xAE, "'\302\256'"sv}, {0xAF, "'\302\257'"sv},
    {0xB0, "'\302\260'"sv}, {0xB1, "'\302\261'"sv},
    {0xB2, "'\302\262'"sv}, {0xB3, "'\302\263'"sv},
    {0xB4, "'\302\264'"sv}, {0xB5, "'\302\265'"sv},
    {0xB6, "'\302\266'"sv}, {0xB7, "'\302\267'"sv},
    {0xB8, "'\302\270'"sv}, {0xB9, "'\302\271'"sv},
    {0xBA, "'\302\272'"sv}, {0xBB, "'\302\273'"sv},
    {0xBC, "'\302\274'"sv}, {0xBD, "'\302\275'"sv},
    {0xBE, "'\302\276'"sv}, {0xBF, "'\302\277'"sv},
    {0xC0, "'\303\200'"sv}, {0xC1, "'\303\201'"sv},
    {0xC2, "'\303\202'"sv}, {0xC3, "'\303\203'"sv},
    {0xC4, "'\303\204'"sv}, {0xC5, "'\303\205'"sv},
    {0xC6, "'\303\206'"sv}, {0xC7, "'\303\207'"sv},
    {0xC8, "'\303\210'"sv}, {0xC9, "'\303\211'"sv},
    {0xCA, "'\303\212'"sv}, {0xCB, "'\303\213'"sv},
    {0xCC, "'\303\214'"sv}, {0xCD, "'\303\215'"sv},
    {0xCE, "'\303\216'"sv}, {0xCF, "'\303\217'"sv},
    {0xD0, "'\303\220'"sv}, {0xD1, "'\303\221'"sv},
    {0xD2, "'\303\222'"sv}, {0xD3, "'\303\223'"sv},
    {0xD4, "'\303\224'"sv}, {0xD5, "'\303\225'"sv},
    {0xD6, "'\303\226'"sv}, {0xD7, "'\303\227'"sv},
    {0xD8, "'\303\230'"sv}, {0xD9, "'\303\231'"sv},
    {0xDA, "'\303\232'"sv}, {0xDB, "'\303\233'"sv},
    {0xDC, "'\303\234'"sv}, {0xDD, "'\303\235'"sv},
    {0xDE, "'\303\236'"sv}, {0xDF, "'\303\237'"sv},
    {0xE0, "'\303\240'"sv}, {0xE1, "'\303\241'"sv},
    {0xE2, "'\303\242'"sv}, {0xE3, "'\303\243'"sv},
    {0xE4, "'\303\244'"sv}, {0xE5, "'\303\245'"sv},
    {0xE6, "'\303\246'"sv}, {0xE7, "'\303\247'"sv},
    {0xE8, "'\303\250'"sv}, {0xE9, "'\303\251'"sv},
    {0xEA, "'\303\252'"sv}, {0xEB, "'\303\253'"sv},
    {0xEC, "'\303\254'"sv}, {0xED, "'\303\255'"sv},
    {0xEE, "'\303\256'"sv}, {0xEF, "'\303\257'"sv},
    {0xF0, "'\303\260'"sv}, {0xF1, "'\303\261'"sv},
    {0xF2, "'\303\262'"sv}, {0xF3, "'\303\263'"sv},
    {0xF4, "'\303\264'"sv}, {0xF5, "'\303\265'"sv},
    {0xF6, "'\303\266'"sv}, {0xF7, "'\303\267'"sv},
    {0xF8, "'\303\270'"sv}, {0xF9, "'\303\271'"sv},
    {0xFA, "'\303\272'"sv}, {0xFB, "'\303\273'"sv},
    {0xFC, "'\303\274'"sv}, {0xFD, "'\303\275'"sv},
    {0xFE, "'\303\276'"sv}, {0xFF, "'\303\277'"sv},
    {0x300, "'\\u{300}'"sv}, {0x301, "'\\u{301}'"sv},
    {0x36F, "'\\u{36f}'"sv}, {0x370, "'\315\260'"sv},
    {0x378, "'\\u{378}'"sv}, {0x483, "'\\u{483}'"sv},
    {0x488, "'\\u{488}'"sv}, {0x5BF, "'\\u{5bf}'"sv},
    {0x600, "'\\u{600}'"sv}, {0x61C, "'\\u{61c}'"sv},
    {0x6DD, "'\\u{6dd}'"sv}, {0x70F, "'\\u{70f}'"sv},
    {0x903, "'\340\244\203'"sv}, {0x93C, "'\\u{93c}'"sv},
    {0x9BE, "'\\u{9be}'"sv}, {0xE31, "'\\u{e31}'"sv},
    {0x115F, "'\341\205\237'"sv}, {0x1160, "'\341\205\240'"sv},
    {0x180E, "'\\u{180e}'"sv}, {0x200A, "'\\u{200a}'"sv},
    {0x200B, "'\\u{200b}'"sv}, {0x200C, "'\\u{200c}'"sv},
    {0x200D, "'\\u{200d}'"sv}, {0x200E, "'\\u{200e}'"sv},
    {0x200F, "'\\u{200f}'"sv}, {0x2028, "'\\u{2028}'"sv},
    {0x2029, "'\\u{2029}'"sv}, {0x202A, "'\\u{202a}'"sv},
    {0x202F, "'\\u{202f}'"sv}, {0x205F, "'\\u{205f}'"sv},
    {0x2060, "'\\u{2060}'"sv}, {0x2064, "'\\u{2064}'"sv},
    {0x206F, "'\\u{206f}'"sv}, {0x20AC, "'\342\202\254'"sv},
    {0x20D0, "'\\u{20d0}'"sv}, {0x3000, "'\\u{3000}'"sv},
    {0x3099, "'\\u{3099}'"sv}, {0x3164, "'\343\205\244'"sv},
    {0xA830, "'\352\240\260'"sv}, {0xD7FF, "'\\u{d7ff}'"sv},
    {0xE000, "'\\u{e000}'"sv}, {0xF8FF, "'\\u{f8ff}'"sv},
    {0xFE0F, "'\\u{fe0f}'"sv}, {0xFEFF, "'\\u{feff}'"sv},
    {0xFFA0, "'\357\276\240'"sv}, {0xFFF9, "'\\u{fff9}'"sv},
    {0xFFFC, "'\357\277\274'"sv}, {0xFFFD, "'\357\277\275'"sv},
    {0xFFFE, "'\\u{fffe}'"sv}, {0xFFFF, "'\\u{ffff}'"sv},
    {0x10000, "'\360\220\200\200'"sv}, {0x1D165, "'\\u{1d165}'"sv},
    {0x1D173, "'\\u{1d173}'"sv}, {0x1F1E6, "'\360\237\207\246'"sv},
    {0x1F3FB, "'\360\237\217\273'"sv}, {0x1F3FF, "'\360\237\217\277'"sv},
    {0x1F468, "'\360\237\221\250'"sv}, {0x1F600, "'\360\237\230\200'"sv},
    {0x1FAF8, "'\360\237\253\270'"sv}, {0x20000, "'\360\240\200\200'"sv},
    {0x2A6DF, "'\360\252\233\237'"sv}, {0x2FFFF, "'\\u{2ffff}'"sv},
    {0x30000, "'\360\260\200\200'"sv}, {0x3134A, "'\360\261\215\212'"sv},
    {0xE0001, "'\\u{e0001}'"sv}, {0xE0020, "'\\u{e0020}'"sv},
    {0xE007F, "'\\u{e007f}'"sv}, {0xE0100, "'\\u{e0100}'"sv},
    {0xE01EF, "'\\u{e01ef}'"sv}, {0xEFFFF, "'\\u{effff}'"sv},
    {0xF0000, "'\\u{f0000}'"sv}, {0x10FFFD, "'\\u{10fffd}'"sv},
    {0x10FFFF, "'\\u{10ffff}'"sv}, {0x1F34D, "'\360\237\215\215'"sv},
    {0x6E60, "'\346\271\240'"sv}, {0x19061, "'\\u{19061}'"sv},
    {0xF8DCC, "'\\u{f8dcc}'"sv}, {0xBC54A, "'\\u{bc54a}'"sv},
    {0x7BFB, "'\347\257\273'"sv}, {0xE8F2, "'\\u{e8f2}'"sv},
    {0xF470, "'\\u{f470}'"sv}, {0xD6E2, "'\355\233\242'"sv},
    {0x1428D, "'\360\224\212\215'"sv}, {0xE8AB, "'\\u{e8ab}'"sv},
    {0xD71F, "'\355\234\237'"sv}, {0x1A711, "'\\u{1a711}'"sv},
    {0x3B80, "'\343\256\200'"sv}, {0x15A10, "'\\u{15a10}'"sv},
    {0x5D43, "'\345\265\203'"sv}, {0xBFAE6, "'\\u{bfae6}'"sv},
    {0x185BD, "'\360\230\226\275'"sv}, {0x1714B, "'\360\227\205\213'"sv},
    {0xAE9A, "'\352\272\232'"sv}, {0x10061, "'\\u{10061}'"sv},
    {0x319A, "'\343\206\232'"sv}, {0xAA2, "'\340\252\242'"sv},
    {0x6571, "'\346\225\261'"sv}, {0x17C0C, "'\360\227\260\214'"sv},
    {0xFA7B, "'\357\251\273'"sv}, {0x1BDF6, "'\\u{1bdf6}'"sv},
    {0x1E769, "'\\u{1e769}'"sv}, {0x19308, "'\\u{19308}'"sv},
    {0x7D85, "'\347\266\205'"sv}, {0xED81, "'\\u{ed81}'"sv},
    {0x98F7, "'\351\243\267'"sv}, {0x869B, "'\350\232\233'"sv},
    {0xF6200, "'\\u{f6200}'"sv}, {0xFC92, "'\357\262\222'"sv},
    {0x1FFBF, "'\\u{1ffbf}'"sv}, {0x11B7D, "'\\u{11b7d}'"sv},
    {0xCD29, "'\354\264\251'"sv}, {0xCBCBF, "'\\u{cbcbf}'"sv},
    {0xD20E, "'\355\210\216'"sv}, {0xB3FD, "'\353\217\275'"sv},
    {0x17AA, "'\341\236\252'"sv}, {0x3DA0B, "'\\u{3da0b}'"sv},
    {0x19AD4, "'\\u{19ad4}'"sv}, {0x43AF, "'\344\216\257'"sv},
    {0x7C9C, "'\347\262\234'"sv}, {0x1B8C6, "'\\u{1b8c6}'"sv},
    {0x1EE8A, "'\\u{1ee8a}'"sv}, {0x440D9, "'\\u{440d9}'"sv},
    {0xA5A3, "'\352\226\243'"sv}, {0x29DF, "'\342\247\237'"sv},
    {0x295A, "'\342\245\232'"sv}, {0x16F41, "'\360\226\275\201'"sv},
    {0xE2F9B, "'\\u{e2f9b}'"sv}, {0xB300, "'\353\214\200'"sv},
    {0x1A6AF, "'\\u{1a6af}'"sv}, {0xF0CB, "'\\u{f0cb}'"sv},
    {0xA6D4, "'\352\233\224'"sv}, {0x2B52, "'\342\255\222'"sv},
    {0x10175, "'\360\220\205\265'"sv}, {0xEAA6F, "'\\u{eaa6f}'"sv},
    {0xEBC9, "'\\u{ebc9}'"sv}, {0xF0BB, "'\\u{f0bb}'"sv},
    {0x10D2B, "'\\u{10d2b}'"sv}, {0x258D, "'\342\226\215'"sv},
    {0x1E21F, "'\\u{1e21f}'"sv}, {0x63F4, "'\346\217\264'"sv},
    {0xE813, "'\\u{e813}'"sv}, {0xF009, "'\\u{f009}'"sv},
    {0x1805A, "'\360\230\201\232'"sv}, {0x786D, "'\347\241\255'"sv},
    {0x8AD7, "'\350\253\227'"sv}, {0xBDC4E, "'\\u{bdc4e}'"sv},
    {0x203F1, "'\360\240\217\261'"sv}, {0xF796, "'\\u{f796}'"sv},
    {0x14581, "'\360\224\226\201'"sv}, {0x6D689, "'\\u{6d689}'"sv},
    {0x86F7, "'\350\233\267'"sv}, {0x681ED, "'\\u{681ed}'"sv},
    {0x1EFA2, "'\\u{1efa2}'"sv}, {0x1B787, "'\\u{1b787}'"sv},
    {0x11AC3, "'\360\221\253\203'"sv}, {0x1F02E, "'\\u{1f02e}'"sv},
    {0x17C87, "'\360\227\262\207'"sv}, {0x12C0, "'\341\213\200'"sv},
    {0x5658, "'\345\231\230'"sv}, {0x2B679, "'\360\253\231\271'"sv},
    {0x8FC4, "'\350\277\204'"sv}, {0x19B36, "'\\u{19b36}'"sv},
    {0x1E24F, "'\\u{1e24f}'"sv}, {0x4C40F, "'\\u{4c40f}'"sv},
    {0x1E1C4, "'\\u{1e1c4}'"sv}, {0x4943, "'\344\245\203'"sv},
    {0xE8A57, "'\\u{e8a57}'"sv}, {0x504, "'\324\204'"sv},
    {0x10462, "'\360\220\221\242'"sv}, {0x15384, "'\\u{15384}'"sv},
    {0x1D1CC, "'\360\235\207\214'"sv}, {0x10FB2, "'\360\220\276\262'"sv},
    {0x1EC6, "'\341\273\206'"sv}, {0x8409, "'\350\220\211'"sv},
    {0x1B9A0, "'\\u{1b9a0}'"sv}, {0x2B446, "'\360\253\221\206'"sv},
    {0x11E1B, "'\\u{11e1b}'"sv}, {0x15BD1, "'\\u{15bd1}'"sv},
    {0x1FECD, "'\\u{1fecd}'"sv}, {0x14DC3, "'\\u{14dc3}'"sv},
    {0x2995D, "'\360\251\245\235'"sv}, {0x14F1B, "'\\u{14f1b}'"sv},
    {0x1343F, "'\\u{1343f}'"sv}, {0xFE10, "'\357\270\220'"sv},
    {0x16584, "'\\u{16584}'"sv}, {0x1B42F, "'\\u{1b42f}'"sv},
    {0x509D5, "'\\u{509d5}'"sv}, {0x9613, "'\351\230\223'"sv},
    {0x7E00, "'\347\270\200'"sv}, {0x17BCA, "'\360\227\257\212'"sv},
    {0x18E9B, "'\\u{18e9b}'"sv}, {0x66D5, "'\346\233\225'"sv},
    {0xCE36, "'\354\270\266'"sv}, {0xD6C2E, "'\\u{d6c2e}'"sv},
    {0xED9, "'\340\273\231'"sv}, {0xAC9C, "'\352\262\234'"sv},
    {0xEC81, "'\\u{ec81}'"sv}, {0x6672, "'\346\231\262'"sv},
    {0x7D14, "'\347\264\224'"sv}, {0xB1D6D, "'\\u{b1d6d}'"sv},
    {0xE2AE, "'\\u{e2ae}'"sv}, {0x13504, "'\360\223\224\204'"sv},
    {0x3A26, "'\343\250\246'"sv}, {0x4288, "'\344\212\210'"sv},
    {0x11EE4, "'\360\221\273\244'"sv}, {0x13134, "'\360\223\204\264'"sv},
    {0x1F7B9, "'\360\237\236\271'"sv}, {0x498D3, "'\\u{498d3}'"sv},
    {0x15DAB, "'\\u{15dab}'"sv}, {0x1ABB0, "'\\u{1abb0}'"sv},
    {0x179D7, "'\360\227\247\227'"sv}, {0x24E0, "'\342\223\240'"sv},
    {0xF76, "'\\u{f76}'"sv}, {0x1DD27, "'\\u{1dd27}'"sv},
    {0xFFD09, "'\\u{ffd09}'"sv}, {0x1E314, "'\\u{1e314}'"sv},
    {0xB411, "'\353\220\221'"sv}, {0xB71E0, "'\\u{b71e0}'"sv},
    {0x113B2, "'\360\221\216\262'"sv}, {0x113B4, "'\360\221\216\264'"sv},
    {0x132BB, "'\360\223\212\273'"sv}, {0x1853C, "'\360\230\224\274'"sv},
    {0x188D9, "'\360\230\243\231'"sv}, {0xF0D49, "'\\u{f0d49}'"sv},
    {0x1C9AE, "'\\u{1c9ae}'"sv}, {0x13344, "'\360\223\215\204'"sv},
    {0xF37C, "'\\u{f37c}'"sv}, {0x175F6, "'\360\227\227\266'"sv},
    {0x1BBCF, "'\\u{1bbcf}'"sv}, {0x1B181, "'\360\233\206\201'"sv},
    {0x155BC, "'\\u{155bc}'"sv}, {0x19579, "'\\u{19579}'"sv},
    {0x18263, "'\360\230\211\243'"sv},
};

const StrRow kStrs[] = {
    {""sv, "\"\""sv},
    {"hello"sv, "\"hello\""sv},
    {"it's"sv, "\"it's\""sv},
    {"say \"hi\""sv, "\"say \\\"hi\\\"\""sv},
    {"tab\011here"sv, "\"tab\\there\""sv},
    {"nl\012cr\015"sv, "\"nl\\ncr\\r\""sv},
    {"nul\000"sv, "\"nul\\0\""sv},
    {"back\\slash"sv, "\"back\\\\slash\""sv},
    {"\177\302\200\302\237"sv, "\"\\u{7f}\\u{80}\\u{9f}\""sv},
    {"e\314\201"sv, "\"e\\u{301}\""sv},
    {"\314\201e"sv, "\"\\u{301}e\""sv},
    {"a\342\200\215b"sv, "\"a\\u{200d}b\""sv},
    {"\357\273\277bom"sv, "\"\\u{feff}bom\""sv},
    {"h\303\251llo"sv, "\"h\303\251llo\""sv},
    {"\360\237\230\200 smile"sv, "\"\360\237\230\200 smile\""sv},
    {"\360\237\221\215\360\237\217\275"sv, "\"\360\237\221\215\360\237\217\275\""sv},
    {"\302\240nbsp"sv, "\"\\u{a0}nbsp\""sv},
    {"\302\255shy"sv, "\"\\u{ad}shy\""sv},
    {"zero\342\200\213width"sv, "\"zero\\u{200b}width\""sv},
    {"\342\200\250\342\200\251"sv, "\"\\u{2028}\\u{2029}\""sv},
    {"\356\200\200private"sv, "\"\\u{e000}private\""sv},
    {"\357\277\276\357\277\277"sv, "\"\\u{fffe}\\u{ffff}\""sv},
    {"\364\217\277\277"sv, "\"\\u{10ffff}\""sv},
    {"\033[0m"sv, "\"\\u{1b}[0m\""sv},
    {"mixed \316\261\316\262\316\263 \344\270\255\346\226\207 \327\220"sv, "\"mixed \316\261\316\262\316\263 \344\270\255\346\226\207 \327\220\""sv},
    {"'\"'\""sv, "\"'\\\"'\\\"\""sv},
    {"\355\237\277\356\200\200"sv, "\"\\u{d7ff}\\u{e000}\""sv},
    {"combining\342\203\235\342\203\243"sv, "\"combining\\u{20dd}\\u{20e3}\""sv},
    {"\363\240\201\201tag"sv, "\"\\u{e0041}tag\""sv},
    {"variation\357\270\217"sv, "\"variation\\u{fe0f}\""sv},
};

// OsStr on Unix: UTF-8 runs as in a str, every byte outside them as \xHH in upper case.
const StrRow kOsStrs[] = {
    {"plain"sv, "\"plain\""sv},
    {"it's \"q\""sv, "\"it's \\\"q\\\"\""sv},
    {"a\377b"sv, "\"a\\xFFb\""sv},
    {"\200"sv, "\"\\x80\""sv},
    {"\342\202c\342\202\254"sv, "\"\\xE2\\x82c\342\202\254\""sv},
    {"e\314\201\011\000"sv, "\"e\\u{301}\\t\\0\""sv},
    {"\360\237\230"sv, "\"\\xF0\\x9F\\x98\""sv},
    {"\360\237\230\200"sv, "\"\360\237\230\200\""sv},
    {"\355\240\200"sv, "\"\\xED\\xA0\\x80\""sv},
    {"\300\200"sv, "\"\\xC0\\x80\""sv},
    {"\301\277"sv, "\"\\xC1\\xBF\""sv},
    {"\364\220\200\200"sv, "\"\\xF4\\x90\\x80\\x80\""sv},
    {"\365"sv, "\"\\xF5\""sv},
    {"\376\377"sv, "\"\\xFE\\xFF\""sv},
    {"ok\340\240"sv, "\"ok\\xE0\\xA0\""sv},
    {"\340\200\200"sv, "\"\\xE0\\x80\\x80\""sv},
    {"\303\251\303"sv, "\"\303\251\\xC3\""sv},
    {"/tmp/x\372y"sv, "\"/tmp/x\\xFAy\""sv},
};
// clang-format on

TEST(RenderText, CharMatchesRustc) {
    for (const auto& row : kChars)
        EXPECT_EQ(debug_char(row.c), row.debug) << std::hex << "U+" << uint32_t(row.c);
}

TEST(RenderText, StrMatchesRustc) {
    for (const auto& row : kStrs) {
        EXPECT_TRUE(is_valid_utf8(row.bytes));
        EXPECT_EQ(debug_str(row.bytes), row.debug);
    }
}

TEST(RenderText, OsStrMatchesRustc) {
    for (const auto& row : kOsStrs) EXPECT_EQ(debug_os_str(row.bytes), row.debug);
}

TEST(RenderText, QuotesAreEscapedPerKind) {
    EXPECT_EQ(debug_char('\''), R"('\'')");
    EXPECT_EQ(debug_char('"'), R"('"')");
    EXPECT_EQ(debug_str("'\""), R"("'\"")");
}

TEST(RenderText, InvalidUtf8StrIsKeptAndMarked) {
    // What a corrupted String or &str shows: its bytes as OsStr's Debug would, then a marker,
    // so that it never passes for what the program's own `{:?}` printed.
    EXPECT_FALSE(is_valid_utf8("ab\x80"sv));
    EXPECT_EQ(debug_str("ab\x80"sv), R"("ab\x80" <invalid UTF-8>)");
    EXPECT_EQ(debug_str("\xE2\x82\xAC\xE2\x82x\xFF"sv),
              "\"\xE2\x82\xAC\\xE2\\x82x\\xFF\" <invalid UTF-8>");
    EXPECT_EQ(debug_str("\xED\xA0\x80"sv), R"("\xED\xA0\x80" <invalid UTF-8>)"); // a surrogate
    EXPECT_EQ(debug_str("\xC0\xAF\"\n"sv), R"("\xC0\xAF\"\n" <invalid UTF-8>)"); // overlong '/'
    EXPECT_EQ(debug_str("\xF4\x90\x80\x80"sv), R"("\xF4\x90\x80\x80" <invalid UTF-8>)");
    EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"sv)); // U+10FFFF
    EXPECT_TRUE(is_valid_utf8(""sv));
}

TEST(RenderText, EveryByteAtEveryPlaceOfAWord) {
    // The plain-ASCII scan reads eight bytes at a time: a byte that needs escaping must be
    // found wherever it sits in a word, and the bytes around it copied as they are. Each byte
    // value alone is the oracle (the rows above check it against Rust); around it, plain text.
    for (int b = 0; b < 256; ++b) {
        std::string alone = debug_str(std::string(1, char(b)));
        std::string marker;
        if (auto at = alone.find(" <invalid UTF-8>"); at != std::string::npos) {
            marker = alone.substr(at);
            alone.resize(at);
        }
        std::string inner = alone.substr(1, alone.size() - 2);
        for (size_t at = 0; at < 19; ++at) {
            std::string s(19, 'a');
            for (size_t i = 0; i < s.size(); ++i) s[i] = char('a' + i % 26);
            std::string before = s.substr(0, at), after = s.substr(at + 1);
            s[at] = char(b);
            EXPECT_EQ(debug_str(s), "\"" + before + inner + after + "\"" + marker)
                << "byte " << b << " at " << at;
        }
    }
}

TEST(RenderText, CharOutsideUnicodeIsMarked) {
    // Only corrupted memory holds such a char (it is undefined behaviour in Rust).
    EXPECT_EQ(debug_char(0xD800), "<invalid: char 0xd800>");
    EXPECT_EQ(debug_char(0x110000), "<invalid: char 0x110000>");
}

} // namespace
} // namespace seam
