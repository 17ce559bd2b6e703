#include "report/csv.h"

namespace xpusim::report {

std::string CsvField(std::string_view field) {
  const bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!quote) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string CsvRecord(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += CsvField(fields[i]);
  }
  out += '\n';
  return out;
}

std::string TableToCsv(const Table& table) {
  std::vector<std::string> fields;
  for (size_t i = 0; i < table.columns().size(); ++i) fields.push_back(table.CsvName(i));
  std::string out = CsvRecord(fields);
  for (const auto& row : table.rows()) {
    fields.clear();
    for (const Cell& c : row) fields.push_back(c.raw);
    out += CsvRecord(fields);
  }
  return out;
}

}  // namespace xpusim::report
