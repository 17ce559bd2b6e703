// A small text table for terminal output, and the same data as CSV.
//
//   Chips (2)
//   id        vendor  bf16 TFLOPS  memory GB
//   --------  ------  -----------  ---------
//   h100-sxm  NVIDIA        989.4         80
//
// Columns have a header and an optional unit. When any column has a unit,
// headers and units are printed on two lines (units under their header);
// numeric columns are right-aligned, text columns left-aligned. Each cell
// keeps two texts: what the terminal shows (thousands separators, rounding,
// "-" for unknown) and a raw form for CSV (full precision, "" for unknown).
// Widths count UTF-8 code points, so "×" or "—" do not skew alignment.
#ifndef XPUSIM_REPORT_TABLE_H_
#define XPUSIM_REPORT_TABLE_H_

#include <string>
#include <vector>

namespace xpusim::report {

struct Cell {
  std::string text;  // shown in the terminal
  std::string raw;   // written to CSV
  bool numeric = false;
};

// A text cell (same text in both forms).
Cell Text(std::string text);
// A numeric cell: shown with FormatNumber(v, max_decimals), raw as FormatRaw(v).
Cell Num(double v, int max_decimals = 2);
// A numeric cell shown with FormatSig(v, sig).
Cell Sig(double v, int sig = 3);
// An integer cell with thousands separators.
Cell Int(long long v);

enum class Align { kAuto, kLeft, kRight };  // kAuto: right if every cell is numeric

struct Column {
  std::string header;
  std::string unit;      // "" for none
  std::string csv_name;  // "" -> derived: "bf16" + "TFLOPS" -> "bf16_tflops"
  Align align = Align::kAuto;
};

class Table {
 public:
  explicit Table(std::string title = "") : title_(std::move(title)) {}

  Table& AddColumn(std::string header, std::string unit = "", Align align = Align::kAuto,
                   std::string csv_name = "");
  // REQUIRES: row.size() == number of columns (short rows are padded with
  // empty cells, long rows truncated).
  Table& AddRow(std::vector<Cell> row);
  // A line printed under the table (not part of CSV).
  Table& AddNote(std::string note);

  const std::string& title() const { return title_; }
  const std::vector<Column>& columns() const { return columns_; }
  const std::vector<std::vector<Cell>>& rows() const { return rows_; }
  // The CSV header name of column i.
  std::string CsvName(size_t i) const;

  // The table as terminal text, ending in a newline.
  std::string Render() const;

 private:
  bool RightAligned(size_t col) const;

  std::string title_;
  std::vector<Column> columns_;
  std::vector<std::vector<Cell>> rows_;
  std::vector<std::string> notes_;
};

// Number of terminal columns `s` takes (UTF-8 code points).
size_t DisplayWidth(const std::string& s);

}  // namespace xpusim::report

#endif  // XPUSIM_REPORT_TABLE_H_
