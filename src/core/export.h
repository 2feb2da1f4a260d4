// Exporting customers, contacts, interactions and tags as CSV that Excel and WPS open
// correctly (csv::write: UTF-8 with BOM, formula cells neutralized) or as an Excel workbook
// (.xlsx, libxlsxwriter; every cell a string cell, never a formula): the columns the user
// picks, over the customers list's current filter or a selection. Phone numbers are masked
// (mask_phone) unless the caller says the user may see them, and every export is recorded
// in the history. Reads records only; the one write is that history event.
#pragma once
#include <string>
#include <vector>

#include "core/customer_query.h"
#include "core/i18n.h"

namespace crm {

enum class ExportTable { Customers, Contacts, Interactions, Tags };
const char* export_table_name(ExportTable);  // "customers", "contacts", "interactions", "tags"

// The columns that can be picked, and the ones offered ticked. Names are the table's
// fields, plus for every table but customers "customer.number" and "customer.name" (the
// customer a row belongs to), for customers the key contact's "key_contact.name",
// "key_contact.mobile", "key_contact.landline", "key_contact.email", and for tags
// "tag.type" and "tag.name".
std::vector<std::string> export_fields(ExportTable table);
std::vector<std::string> export_default_fields(ExportTable table);
std::string export_field_label(ExportTable table, const std::string& field);  // i18n key

struct ExportRequest {
    ExportTable table = ExportTable::Customers;
    std::vector<std::string> fields;        // in column order; empty = export_default_fields
    CustomerFilter filter;                  // which customers: the list's filter ...
    std::vector<std::string> customer_ids;  // ... or exactly these, in this order (wins if set)
    bool show_phones = false;               // false: 138****5678
    bool picklist_labels = true;            // "制造业" / "Manufacturing" rather than "C"
};

struct ExportResult {
    std::string bytes;     // the file's bytes
    size_t rows = 0;       // data rows (header not counted)
    size_t customers = 0;  // customers in scope
    std::string export_id; // the history event's record id
};

// Headers and labels in the translation's language. err.export.unknown_field for a field
// not in export_fields(table); err.filter.* from the filter.
Result<ExportResult> export_csv(Workspace& ws, const ExportRequest& request, const Translations& tr);
// The same rows as one worksheet of an .xlsx workbook; err.export.xlsx_failed when
// libxlsxwriter cannot write it (its reason in the detail).
Result<ExportResult> export_xlsx(Workspace& ws, const ExportRequest& request, const Translations& tr);

}  // namespace crm
