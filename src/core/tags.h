// The tag library (preset and proposed tags, approval) and tags on customers, with the
// conflict rule: a customer holds at most one tag of each conflict group (value, risk).
// Every write goes through Workspace::apply*; nothing here writes SQL.
#pragma once
#include <string>
#include <vector>

#include "core/workspace.h"

namespace crm {

struct Tag {
    std::string id, type, name_zh, name_en, conflict_group, state, proposed_by;
};

struct CustomerTag {
    std::string id, customer_id, tag_id, description, added_by, added_at;
    Tag tag;
};

// Inserts the preset library once (idempotent: presets have fixed ids 'preset.<type>.<code>'
// so every device seeds the same records). Types industry/need/value/risk/channel;
// value high/medium/low share conflict group "value", risk levels share "risk".
Status seed_tag_library(Workspace& ws);
Result<std::vector<Tag>> list_tags(Workspace& ws, const std::string& state = "");  // "" = all live

// A user's new tag: state proposed, unusable until approve_tag.
Result<std::string> propose_tag(Workspace& ws, const std::string& type, const std::string& name_zh,
                                const std::string& name_en, const std::string& conflict_group = "");
Status approve_tag(Workspace& ws, const std::string& tag_id);  // err.tag.not_proposed
Status reject_tag(Workspace& ws, const std::string& tag_id);   // err.tag.not_proposed

// Refuses an unapproved tag (err.tag.not_approved), the same tag twice (err.tag.duplicate)
// and a second tag of the same conflict group (err.tag.conflict, params {tag} = the
// existing tag's Chinese name, {tag_en} its English name).
Result<std::string> add_tag_to_customer(Workspace& ws, const std::string& customer_id,
                                        const std::string& tag_id, const std::string& description = "",
                                        const std::string& origin = "local");
Status remove_tag_from_customer(Workspace& ws, const std::string& customer_tag_id);
Result<std::vector<CustomerTag>> customer_tags(Workspace& ws, const std::string& customer_id);

}  // namespace crm
