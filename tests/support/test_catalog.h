// The project's own data/ catalog, loaded once for every unit test that needs
// real chips, systems and models. A catalog that does not load fails the
// calling test with the loader's message and stops the test binary: every
// later test would fail the same way.
#ifndef XPUSIM_TESTS_SUPPORT_TEST_CATALOG_H_
#define XPUSIM_TESTS_SUPPORT_TEST_CATALOG_H_

#include "xpusim/catalog.h"

namespace xpusim::test_support {

const Catalog& TestCatalog();

}  // namespace xpusim::test_support

#endif  // XPUSIM_TESTS_SUPPORT_TEST_CATALOG_H_
