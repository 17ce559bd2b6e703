// CSV output (RFC 4180 quoting): a field containing a comma, a double quote,
// CR or LF, or leading/trailing spaces is wrapped in double quotes, and
// quotes inside are doubled. Records end in "\n" (RFC 4180 readers such as
// Python's csv module and spreadsheets accept LF; the RFC's CRLF would show
// up as ^M in terminals).
#ifndef XPUSIM_REPORT_CSV_H_
#define XPUSIM_REPORT_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "report/table.h"

namespace xpusim::report {

std::string CsvField(std::string_view field);
// One record: fields joined by commas, ending in "\n".
std::string CsvRecord(const std::vector<std::string>& fields);
// Header row (Table::CsvName of each column) and one record per row with the
// cells' raw text. The title and notes are not written.
std::string TableToCsv(const Table& table);

}  // namespace xpusim::report

#endif  // XPUSIM_REPORT_CSV_H_
