// The sync file (remote kind 'file', docs/SYNC_FORMAT.md "The sync file"): a team's whole
// namespace as one JSON document that goes by chat, mail or USB stick. Loading one ADDS what
// it holds to the namespace this device keeps (the page's local file remote), never
// replaces it:
//   segments   create-only: a name held already must have the same bytes (else tampered);
//   heads      the copy with the higher segment number ("last") wins;
//   registry   the union of both copies' devices; two devices with one code is refused.
// Heads and the registry are sealed, so only C++ (which holds the team key) can decide.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "sync/job.h"
#include "sync/team.h"

namespace crm::sync {

struct SyncFileEntry {
    std::string name;
    Bytes bytes;  // sealed, as stored
};

// The entries of a sync file's text. err.sync.file_invalid (not JSON, another format, a
// bad name or base64) naming what is wrong.
Result<std::vector<SyncFileEntry>> parse_sync_file(std::string_view text);

struct FileMerge {
    size_t added = 0, replaced = 0, same = 0;  // entries new here, newer than here, held already
};

// Merges the loaded entries into the namespace the job's remote holds (the local one).
// Checks everything before writing anything: every entry must belong to this team
// (err.sync.file_other_team) and open with its key (err.sync.tampered naming it); a segment
// held with other bytes is err.sync.tampered; err.sync.registry_clash when the two
// registries give one code to two devices (or two codes to one). Writes segments first,
// then heads, then the registry, so a head never points at a segment the namespace lacks.
Task<Result<FileMerge>> merge_sync_file(Team team, std::vector<SyncFileEntry> entries);

}  // namespace crm::sync
