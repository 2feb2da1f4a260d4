// Where a team's sync files live, seen as bytes: a flat namespace of names ("a/b/c") with
// strong ETags. Small on purpose so HTTP, WebDAV, S3-style or folder remotes can implement
// it in C++ or JS: list, get, create-only put (If-None-Match: *), put If-Match (412), and
// remove (DELETE), used only to drop what a snapshot covers (sync/prune.h).
// Knows nothing about segments, keys or the workspace.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace crm::sync {

using Bytes = std::vector<uint8_t>;

struct RemoteFile {
    std::string name;
    std::string etag;
    uint64_t size = 0;
};

struct Fetched {
    Bytes bytes;
    std::string etag;
};

// The error codes every Remote returns (and sync_once tells apart):
inline constexpr const char* kRemoteUnavailable = "err.sync.remote_unavailable";  // network, 5xx, timeout
inline constexpr const char* kRemoteMissing = "err.sync.remote_missing";          // 404 on get
inline constexpr const char* kRemoteExists = "err.sync.remote_exists";            // put_new: 412, already there
inline constexpr const char* kRemoteConflict = "err.sync.remote_conflict";        // put_if_match: 412

class Remote {
public:
    virtual ~Remote() = default;
    // Every file whose name starts with prefix, sorted by name.
    virtual Result<std::vector<RemoteFile>> list(std::string_view prefix) = 0;
    virtual Result<Fetched> get(std::string_view name) = 0;
    // Creates the file only when no file has that name; returns its ETag.
    virtual Result<std::string> put_new(std::string_view name, const Bytes& bytes) = 0;
    // Replaces the file only while its ETag still is `etag`; returns the new ETag.
    virtual Result<std::string> put_if_match(std::string_view name, const Bytes& bytes, std::string_view etag) = 0;
    // Deletes the file. A name that is not there is done already (ok): two devices may
    // remove the same file, and a retried remove whose reply was lost must not fail.
    virtual Status remove(std::string_view name) = 0;
};

Error remote_error(const char* code, std::string_view name);  // names the file in {name}

}  // namespace crm::sync
