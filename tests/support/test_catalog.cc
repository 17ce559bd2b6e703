#include "support/test_catalog.h"

#include <cstdlib>

#include <gtest/gtest.h>

namespace xpusim::test_support {

const Catalog& TestCatalog() {
  static const Catalog* c = [] {
    Result<Catalog> r = Catalog::Load(XPUSIM_SOURCE_DATA_DIR);
    if (!r.ok()) {
      ADD_FAILURE() << "data/ catalog does not load: " << r.status().ToString();
      std::abort();
    }
    return new Catalog(std::move(r).value());
  }();
  return *c;
}

}  // namespace xpusim::test_support
