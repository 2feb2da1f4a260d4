// A team: the devices that sync one workspace, sharing a random id and a 256-bit key.
// The first device creates it; others join with an invite code (the id and key as text).
// Every file a team stores on its remote is sealed here (XChaCha20-Poly1305, associated
// data = the file's name, so a file cannot be passed off as another); the remote sees only
// ciphertext, names (team id, device ids, segment numbers), times and sizes.
// The team registry file hands out the two-digit device codes of the human numbers: a
// code is given to one device only, ever, so CX/HD numbers stay unique across the team.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/workspace.h"
#include "store/page_crypto.h"
#include "sync/job.h"
#include "sync/remote.h"

namespace crm::sync {

struct Team {
    std::string id;  // 32 lowercase hex characters
    store::Key key{};
};

Team new_team();

// "CRM1-" + base32 of id || key || 2 check bytes (80 characters in groups of four), for
// typing or a QR code. parse_invite accepts any case, spaces and dashes;
// err.sync.invite_invalid when it is not one (a typo fails the check bytes).
std::string invite_code(const Team& team);
Result<Team> parse_invite(std::string_view text);

// Names of the team's files on the remote.
std::string registry_name(const Team& team);                        // <team>/team
std::string head_name(const Team& team, std::string_view device);   // <team>/heads/<device>
std::string heads_prefix(const Team& team);                         // <team>/heads/
std::string segment_name(const Team& team, std::string_view device, uint64_t number);  // <team>/seg/<device>/<10 digits>

// "CRS1" || nonce (24) || ciphertext. open: err.sync.tampered naming the file when the
// bytes were changed, truncated, sealed with another key or for another name.
Bytes seal(const Team& team, std::string_view name, std::string_view plain);
Result<std::string> open(const Team& team, std::string_view name, const Bytes& sealed);

// The registry's plain text: the team's devices and their codes.
struct Member {
    std::string device, code, user;
};
std::string registry_json(const Team& team, const std::vector<Member>& members);
Result<std::vector<Member>> parse_registry(const Team& team, const std::string& text);  // err.sync.bad_segment

// The team this workspace syncs with, kept in its settings (inside the encrypted store).
Status save_team(Workspace& ws, const Team& team);
Result<std::optional<Team>> load_team(Workspace& ws);

// Creates the team's registry with this device (keeping its code) and saves the team.
// err.sync.team_exists when the remote already has that team.
Task<Status> create_team(Workspace& ws, Team team);
// Joins: takes the lowest free device code in the registry (this device keeps its own
// when free; a device already listed keeps its entry), updates the registry with
// If-Match (re-read and retried on 412), sets the code in the workspace and saves the
// team. err.sync.team_missing, err.sync.wrong_key (the registry does not open with the
// invite's key), err.sync.team_full (99 codes), err.sync.code_taken when this workspace
// already numbered records with a code another device holds.
Task<Result<std::string>> join_team(Workspace& ws, Team team);

// The same, run to their end over a C++ Remote.
Status create_team(Workspace& ws, Remote& remote, const Team& team);
Result<std::string> join_team(Workspace& ws, Remote& remote, const Team& team);

}  // namespace crm::sync
