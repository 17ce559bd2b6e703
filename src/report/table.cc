#include "report/table.h"

#include <algorithm>
#include <cctype>

#include "report/format.h"

namespace xpusim::report {

Cell Text(std::string text) { return Cell{text, text, false}; }
Cell Num(double v, int max_decimals) { return Cell{FormatNumber(v, max_decimals), FormatRaw(v), true}; }
Cell Sig(double v, int sig) { return Cell{FormatSig(v, sig), FormatRaw(v), true}; }
Cell Int(long long v) { return Cell{FormatInt(v), std::to_string(v), true}; }

size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;  // count bytes that start a code point
  return n;
}

Table& Table::AddColumn(std::string header, std::string unit, Align align, std::string csv_name) {
  columns_.push_back(Column{std::move(header), std::move(unit), std::move(csv_name), align});
  return *this;
}

Table& Table::AddRow(std::vector<Cell> row) {
  row.resize(columns_.size());
  rows_.push_back(std::move(row));
  return *this;
}

Table& Table::AddNote(std::string note) {
  notes_.push_back(std::move(note));
  return *this;
}

std::string Table::CsvName(size_t i) const {
  const Column& c = columns_.at(i);
  if (!c.csv_name.empty()) return c.csv_name;
  std::string name;
  for (char ch : c.unit.empty() ? c.header : c.header + " " + c.unit) {
    unsigned char u = static_cast<unsigned char>(ch);
    if (std::isalnum(u)) {
      name += static_cast<char>(std::tolower(u));
    } else if (ch == '%') {
      name += "pct";
    } else if (!name.empty() && name.back() != '_') {
      name += '_';
    }
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  return name;
}

bool Table::RightAligned(size_t col) const {
  if (columns_[col].align != Align::kAuto) return columns_[col].align == Align::kRight;
  bool any = false;
  for (const auto& row : rows_) {
    const Cell& c = row[col];
    if (c.text.empty()) continue;
    if (!c.numeric) return false;
    any = true;
  }
  return any;
}

namespace {

void Pad(std::string& line, const std::string& s, size_t width, bool right) {
  const size_t w = DisplayWidth(s);
  const std::string fill(width > w ? width - w : 0, ' ');
  line += right ? fill + s : s + fill;
}

void EndLine(std::string& out, std::string line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
  out += line;
  out += '\n';
}

}  // namespace

std::string Table::Render() const {
  const size_t n = columns_.size();
  std::vector<size_t> width(n, 0);
  bool has_units = false;
  for (size_t i = 0; i < n; ++i) {
    width[i] = std::max(DisplayWidth(columns_[i].header), DisplayWidth(columns_[i].unit));
    if (!columns_[i].unit.empty()) has_units = true;
    for (const auto& row : rows_) width[i] = std::max(width[i], DisplayWidth(row[i].text));
  }
  std::vector<bool> right(n);
  for (size_t i = 0; i < n; ++i) right[i] = RightAligned(i);

  const std::string sep = "  ";
  std::string out;
  if (!title_.empty()) out += title_ + "\n";
  auto line_of = [&](auto text_of) {
    std::string line;
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) line += sep;
      Pad(line, text_of(i), width[i], right[i]);
    }
    EndLine(out, std::move(line));
  };
  line_of([&](size_t i) { return columns_[i].header; });
  if (has_units) line_of([&](size_t i) { return columns_[i].unit; });
  line_of([&](size_t i) { return std::string(width[i], '-'); });
  for (const auto& row : rows_) line_of([&](size_t i) { return row[i].text; });
  for (const auto& note : notes_) out += note + "\n";
  return out;
}

}  // namespace xpusim::report
