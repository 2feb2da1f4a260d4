// The database schema (as migrations) and the field metadata every layer reads:
// validation, forms and import ask here which fields a table has, their kind, picklist,
// label key and whether they are required or user-editable. No SQL runs from here except
// inside migrations.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/validate.h"
#include "store/migrate.h"

namespace crm {

struct FieldValue {
    std::string field;
    std::optional<std::string> value;  // nullopt or "" clears the field
};

// The value given for a field in a list of FieldValues: nullopt when the field is absent
// (or given as NULL); field_text gives "" instead.
std::optional<std::string> field_value(const std::vector<FieldValue>& fields, std::string_view name);
std::string field_text(const std::vector<FieldValue>& fields, std::string_view name);

struct FieldMeta {
    std::string name;
    FieldKind kind = FieldKind::Text;
    std::string picklist;    // picklist name for Enum fields, "" otherwise
    bool required = false;   // must be non-empty on create and may not be cleared
    bool editable = true;    // offered in forms; false for system fields (id, number, ...)
    std::string label_key;   // i18n key, "field.<table>.<name>"
    std::string ref_table;   // for Ref fields: the table the id must exist in (not deleted)
};

struct TableMeta {
    std::string name;
    std::vector<FieldMeta> fields;   // every column except the log tables' bookkeeping
    bool has_created_at = false;     // set by the write path on create
    bool has_updated_at = false;     // bumped by the write path on every change
    bool has_created_by = false;     // set to the current user on create
    bool customer_scoped = false;    // has a customer_id column (history links to it)
    const FieldMeta* field(std::string_view name) const;
};

// Tables written through Workspace::apply, in dependency order.
const std::vector<TableMeta>& tables();
const TableMeta* table_meta(std::string_view table);

// A row as text values by column name (NULL = nullopt).
using Row = std::map<std::string, std::optional<std::string>, std::less<>>;

// Rules across fields of one record, checked by the write path on the merged row
// (old values overlaid with the edit) after each field passed validate_value:
//  - customers: industry required when kind = enterprise; name validated as CompanyName
//    for enterprises and Name for persons;
//  - interactions: next_action, next_action_owner and next_action_due all set or all empty.
// The customer-level rule "at least one contact method" (a live contact with a mobile,
// landline or email) spans records; the write path checks it at the end of each
// transaction for every customer touched (see workspace.h).
Status check_record(const TableMeta& table, const Row& row);

// Every problem of a draft record at once, for forms that show them inline before saving:
// each given field normalized and validated by its kind and picklist, required editable
// fields that are empty, and the record rules. The write path checks the same rules again.
std::vector<Error> draft_errors(std::string_view table, const std::vector<FieldValue>& fields);

// Migration list of the workspace database. v1 creates every table of the brief with the
// indexes of the hot queries, plus the search tables (search_schema_sql()); v2 adds the
// per-field clocks of sync (field_clocks).
std::vector<store::Migration> migrations();

}  // namespace crm
