// Personal-information consent records (PIPL): what the customer agreed to, through which
// channel, when, and a separate consent for sensitive information; withdrawal is recorded,
// never erased. Every write goes through Workspace::apply*; nothing here writes SQL.
#pragma once
#include <string>
#include <vector>

#include "core/workspace.h"

namespace crm {

struct Consent {
    std::string id, customer_id, purpose, channel, given_on, scope, withdrawn_on;
    bool sensitive = false;
    bool active() const { return withdrawn_on.empty(); }
};

struct ConsentInput {
    std::string purpose;     // e.g. "marketing", "service" (required)
    std::string channel;     // how it was given: "paper", "online", "phone", ...
    std::string given_on;    // 'YYYY-MM-DD' (required)
    std::string scope;
    bool sensitive = false;  // a separate consent covering sensitive personal information
};

Result<std::string> record_consent(Workspace& ws, const std::string& customer_id, const ConsentInput& in);
// Sets withdrawn_on (not before given_on: err.consent.withdraw_before_given;
// twice: err.consent.already_withdrawn).
Status withdraw_consent(Workspace& ws, const std::string& consent_id, const std::string& withdrawn_on);
Result<std::vector<Consent>> list_consents(Workspace& ws, const std::string& customer_id);
// True when a live, not withdrawn consent for the purpose exists (sensitive ones only
// when need_sensitive).
Result<bool> has_consent(Workspace& ws, const std::string& customer_id, const std::string& purpose,
                         bool need_sensitive = false);

}  // namespace crm
