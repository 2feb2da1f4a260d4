// A backup file is the vault's stored records exactly as they are, still sealed: a backup
// is as protected as the workspace it came from, and opening one needs the passphrase
// (or recovery key) that was current when it was made. Restoring writes all of it to the
// device's store in one batch, so the device holds either the old workspace or the
// backup, never a mix.
//
// Layout: "CRMBACKUP\n" | u32 header length | header JSON | pages, each
//   u32 page number | u32 length | sealed bytes          (integers little endian)
// Header: {"format":1, "created_at", "kind": "demo"|"passphrase", "page_count",
//          "meta": the vault's meta record, "checksum": BLAKE2b-256 of the page section}
// The checksum tells a damaged or cut-off file apart before any secret is asked for; the
// vault's own checks (page AEAD, manifest MAC) still apply when the backup is opened.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/page_store.h"

namespace crm::store {

struct Backup {
    std::string created_at;  // 'YYYY-MM-DDTHH:MM:SSZ'
    std::string kind;        // "demo" or "passphrase"
    MemoryPageStore pages;   // meta record + sealed pages, as the device stored them
};

// Everything `from` holds, as a backup file. err.vault.empty when it holds nothing.
Result<std::vector<uint8_t>> write_backup(PageStore& from, std::string_view created_at);

// err.backup.not_a_backup (another kind of file), err.backup.damaged (cut off or changed),
// err.backup.newer_format (made by a newer version of the app).
Result<Backup> read_backup(const uint8_t* data, size_t size);

// Replaces everything `to` holds with the backup's records, in one batch. The pages move
// out of `backup` (a big workspace is not held twice).
Status restore_backup(Backup&& backup, PageStore& to);

}  // namespace crm::store
