#include "sync/invite_qr.h"

#include <qrencode.h>

#include <string>

namespace crm::sync {

Result<QrMatrix> qr_matrix(std::string_view text) {
    const std::string s(text);  // libqrencode wants a NUL-terminated string
    // Case-sensitive with an 8-bit hint: libqrencode still picks alphanumeric mode for the
    // runs that fit it (all of an invite), and keeps lower case intact for other text.
    QRcode* code = QRcode_encodeString(s.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code) return make_error("err.sync.qr_failed", {}, "QRcode_encodeString failed");
    QrMatrix m;
    m.version = code->version;
    m.size = code->width;
    m.dark.resize(static_cast<size_t>(m.size) * m.size);
    for (size_t i = 0; i < m.dark.size(); i++) m.dark[i] = code->data[i] & 1;  // bit 0 = dark
    QRcode_free(code);
    return m;
}

}  // namespace crm::sync
