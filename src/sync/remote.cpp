// Errors of the Remote interface.
#include "sync/remote.h"

namespace crm::sync {

Error remote_error(const char* code, std::string_view name) {
    Error e = make_error(code, {}, std::string(name));
    e.with("name", std::string(name));
    return e;
}

}  // namespace crm::sync
