// The vault's cryptography, all libsodium: sealing pages (XChaCha20-Poly1305, associated
// data = database id, page number, commit sequence), the manifest MAC that makes an old
// page swapped back in detectable, and the keys: passphrase -> Argon2id -> key-encryption
// key wrapping a random data key; a recovery key wrapping the same data key.
// Never decides what to store or when (vault.h does).
#pragma once
#include <array>
#include <optional>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace crm::store {

using Key = std::array<uint8_t, 32>;
using DbId = std::array<uint8_t, 16>;
using Tag = std::array<uint8_t, 32>;

Key random_key();
DbId random_db_id();

// Seals and opens pages of one database with one data key. A sealed page is
// seq (8 bytes, little endian) || nonce (24) || ciphertext with its 16-byte tag.
// Nonces: a random 16-byte prefix drawn once per PageCipher, then a 64-bit counter, so
// sealing costs no call to the system RNG (about 100 us each in wasm).
class PageCipher {
public:
    PageCipher(const Key& data_key, const DbId& db_id);
    std::vector<uint8_t> seal(uint32_t page_no, uint64_t seq, const std::vector<uint8_t>& plain);
    // err.vault.tampered when the bytes were changed or belong to another page or database.
    Result<std::vector<uint8_t>> open(uint32_t page_no, const std::vector<uint8_t>& sealed) const;
    static uint64_t seq_of(const std::vector<uint8_t>& sealed);  // 0 when too short

    // Manifest: the XOR of a keyed hash of every page's (number, seq), so one commit
    // updates it in time proportional to the pages it changed; the MAC binds it to the
    // database, the commit sequence and the page count.
    Tag version_tag(uint32_t page_no, uint64_t seq) const;
    Tag manifest_mac(uint64_t seq, uint32_t page_count, const Tag& versions) const;

    uint64_t nonces_used() const { return counter_; }

private:
    Key page_key_{}, mac_key_{};
    DbId db_id_{};
    std::array<uint8_t, 16> nonce_prefix_{};
    uint64_t counter_ = 0;
};

void xor_into(Tag& acc, const Tag& t);

// ---- keys --------------------------------------------------------------------------------

struct KdfParams {
    std::vector<uint8_t> salt;  // crypto_pwhash_SALTBYTES
    uint64_t ops = 0;
    uint64_t mem = 0;
};
KdfParams new_kdf_params();  // Argon2id, libsodium's INTERACTIVE limits (~0.2 s in wasm)
Result<Key> derive_kek(std::string_view passphrase, const KdfParams& p);

// nonce || secretbox(data key). unwrap: err.vault.wrong_passphrase when the key is wrong.
std::vector<uint8_t> wrap_key(const Key& data_key, const Key& kek);
Result<Key> unwrap_key(const std::vector<uint8_t>& wrapped, const Key& kek);

// A recovery key as the user writes it down: 32 base32 characters in groups of four
// ("K7QD-3MXA-..."), 160 random bits. recovery_kek accepts it with or without dashes, in
// any case; nullopt when it is not one.
std::string new_recovery_key();
std::optional<Key> recovery_kek(std::string_view recovery_key);

// Standard base64 for the meta record.
std::string to_base64(const std::vector<uint8_t>& bytes);
std::optional<std::vector<uint8_t>> from_base64(std::string_view text);

}  // namespace crm::store
