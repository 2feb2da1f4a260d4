// The invite's QR code: the size an 80-character invite needs, the fixed patterns a camera
// looks for, the format bits (level M), and natively a real decoder (zbarimg, Debian's
// zbar-tools) reading the matrix back to the same invite.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "sync/invite_qr.h"
#include "sync/team.h"

using namespace crm::sync;

namespace {
// The 15 format bits next to the top-left finder (copy 1) and split between the other two
// (copy 2), read in the order ISO 18004 places them.
int format_bits(const QrMatrix& m, int copy) {
    int bits = 0;
    auto take = [&](int x, int y) { bits = (bits << 1) | (m.at(x, y) ? 1 : 0); };
    if (copy == 1) {
        for (int x = 0; x <= 5; ++x) take(x, 8);
        take(7, 8), take(8, 8), take(8, 7);
        for (int y = 5; y >= 0; --y) take(8, y);
    } else {
        for (int y = m.size - 1; y >= m.size - 7; --y) take(8, y);
        for (int x = m.size - 8; x < m.size; ++x) take(x, 8);
    }
    return bits;
}

bool finder_at(const QrMatrix& m, int x0, int y0) {
    for (int y = 0; y < 7; ++y)
        for (int x = 0; x < 7; ++x) {
            const bool ring = x == 0 || y == 0 || x == 6 || y == 6;
            const bool centre = x >= 2 && x <= 4 && y >= 2 && y <= 4;
            if (m.at(x0 + x, y0 + y) != (ring || centre)) return false;
        }
    return true;
}
}  // namespace

TEST_CASE("invite QR: version 5 at level M, finder and timing patterns, valid format bits") {
    const std::string invite = invite_code(new_team());
    REQUIRE(invite.size() == 104);  // "CRM1" and 20 groups of four, dashed
    auto qr = qr_matrix(invite);
    REQUIRE(qr.ok());
    CHECK(qr->version == 5);  // 104 alphanumeric characters fit 5-M (at most 122), not 4-M (90)
    CHECK(qr->size == 37);
    REQUIRE(qr->dark.size() == 37u * 37u);
    CHECK(finder_at(*qr, 0, 0));
    CHECK(finder_at(*qr, 30, 0));
    CHECK(finder_at(*qr, 0, 30));
    for (int i = 8; i < 29; ++i) {  // timing patterns: alternate, dark on even positions
        CHECK(qr->at(i, 6) == (i % 2 == 0));
        CHECK(qr->at(6, i) == (i % 2 == 0));
    }
    CHECK(qr->at(8, 4 * 5 + 9));  // the dark module every symbol has

    const int f1 = format_bits(*qr, 1), f2 = format_bits(*qr, 2);
    CHECK(f1 == f2);
    const int format = f1 ^ 0x5412;  // the fixed mask over the format bits
    int rem = (format >> 10) << 10;  // BCH(15,5) with generator 0x537 must leave the low 10 bits
    for (int bit = 14; bit >= 10; --bit)
        if (rem & (1 << bit)) rem ^= 0x537 << (bit - 10);
    CHECK(rem == (format & 0x3ff));
    CHECK((format >> 13) == 0);  // error-correction level M is 00

    // Same text, same symbol; another invite, another symbol.
    CHECK(qr_matrix(invite)->dark == qr->dark);
    CHECK(qr_matrix(invite_code(new_team()))->dark != qr->dark);
}

#ifndef __EMSCRIPTEN__
TEST_CASE("invite QR: a real decoder reads the invite back") {
    const std::string invite = invite_code(new_team());
    auto qr = qr_matrix(invite);
    REQUIRE(qr.ok());
    // 8 pixels per module, a 4-module quiet zone, as a PGM image.
    const int scale = 8, side = (qr->size + 8) * scale;
    const std::string path = "/tmp/crm_invite_qr_test.pgm";
    {
        std::ofstream out(path, std::ios::binary);
        out << "P5\n" << side << " " << side << "\n255\n";
        for (int py = 0; py < side; ++py)
            for (int px = 0; px < side; ++px) {
                const int x = px / scale - 4, y = py / scale - 4;
                const bool dark = x >= 0 && y >= 0 && x < qr->size && y < qr->size && qr->at(x, y);
                out.put(static_cast<char>(dark ? 0 : 255));
            }
    }
    FILE* p = popen(("zbarimg --raw -q " + path + " 2>/dev/null").c_str(), "r");
    REQUIRE_MESSAGE(p, "zbarimg (Debian's zbar-tools, scripts/setup.sh) is needed");
    std::string read;
    char buf[256];
    while (fgets(buf, sizeof buf, p)) read += buf;
    const int rc = pclose(p);
    REQUIRE_MESSAGE(rc == 0, "zbarimg found no code (is zbar-tools installed?)");
    while (!read.empty() && (read.back() == '\n' || read.back() == '\r')) read.pop_back();
    CHECK(read == invite);
    std::remove(path.c_str());
}
#endif
