// The invite code as a QR code, for a tablet's camera: the module matrix the settings screen
// draws (libqrencode, Debian's source). Not UI: it only says which modules are dark.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace crm::sync {

struct QrMatrix {
    int version = 0;             // 1-40
    int size = 0;                // modules per side, without the quiet zone (17 + 4 * version)
    std::vector<uint8_t> dark;   // size * size, row by row, 1 = dark
    bool at(int x, int y) const { return dark[static_cast<size_t>(y) * size + x] != 0; }
};

// Level M (15 % of the code may be smudged), the smallest version that holds the text; an
// invite (uppercase base32 and dashes) goes in alphanumeric mode: version 5, 37 x 37.
// err.sync.qr_failed when the text cannot be encoded (too long).
Result<QrMatrix> qr_matrix(std::string_view text);

}  // namespace crm::sync
