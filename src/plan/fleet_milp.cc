// GLPK formulation of the fleet MILP (plan/fleet_milp.h).
//
// Scaling: money is in M USD and token rows are divided by the job's
// tokens, so coefficients stay within a few orders of magnitude of 1.
#include "plan/fleet_milp.h"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include <fmt/format.h>

namespace xpusim {
namespace {

struct GlpDeleter {
  void operator()(glp_prob* p) const { glp_delete_prob(p); }
};

// Sparse matrix rows built up before loading (GLPK arrays are 1-based).
struct Builder {
  glp_prob* lp;
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0};
  int AddRow(int bound_type, double lo, double hi) {
    const int r = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, r, bound_type, lo, hi);
    return r;
  }
  void Set(int row, int col, double v) {
    ia.push_back(row);
    ja.push_back(col);
    ar.push_back(v);
  }
  int AddCol(int kind, double lo, double hi, double obj) {
    const int c = glp_add_cols(lp, 1);
    glp_set_col_kind(lp, c, kind);
    if (kind == GLP_BV) {
      glp_set_col_bnds(lp, c, GLP_DB, 0, 1);
    } else {
      glp_set_col_bnds(lp, c, hi > lo ? GLP_DB : GLP_LO, lo, hi);
    }
    glp_set_obj_coef(lp, c, obj);
    return c;
  }
};

Status CheckProblem(const FleetProblem& p) {
  if (!(p.tokens > 0) || !std::isfinite(p.tokens)) return Status::Invalid("fleet problem: tokens must be > 0");
  if (!(p.steps > 0) || !std::isfinite(p.steps)) return Status::Invalid("fleet problem: steps must be > 0");
  for (const FleetGroup& g : p.groups)
    for (const FleetLevel& l : g.levels)
      if (!(l.tokens_per_s > 0) || !std::isfinite(l.site_mw) || !std::isfinite(l.capex_usd) ||
          !std::isfinite(l.usd_per_token) || l.sync_s < 0 || l.chips < 1 || !(l.share > 0 && l.share <= 1))
        return Status::Invalid(fmt::format("fleet problem: level of {} with {} chips has a bad number", g.id, l.chips));
  return Status::Ok();
}

}  // namespace

double FleetCost(const FleetProblem& p, const std::vector<FleetPick>& picks) {
  double c = 0;
  for (const FleetPick& k : picks) {
    const FleetLevel& l = p.groups[k.group].levels[k.level];
    c += l.capex_usd + k.tokens * l.usd_per_token;
  }
  return c;
}

Result<FleetSolution> SolveFleetAt(const FleetProblem& p, double duration_s, const FleetRelax& relax) {
  XPU_RETURN_IF_ERROR(CheckProblem(p));
  if (!(duration_s > 0) || !std::isfinite(duration_s)) return Status::Invalid("fleet problem: duration must be > 0");
  FleetSolution sol;
  sol.duration_s = duration_s;
  sol.solves = 1;
  glp_term_out(GLP_OFF);
  std::unique_ptr<glp_prob, GlpDeleter> holder(glp_create_prob());
  Builder b{holder.get()};
  glp_set_obj_dir(b.lp, GLP_MIN);
  const double W = p.tokens;
  const int ngroups = static_cast<int>(p.groups.size());
  const bool het = p.heterogeneous && ngroups > 1;

  struct Cols {
    int x, z;
  };
  std::vector<std::vector<Cols>> cols(ngroups);
  const int tau = het ? b.AddCol(GLP_CV, 0, 0, 0) : 0;
  const int mixed = het ? b.AddCol(GLP_BV, 0, 1, 0) : 0;
  for (int g = 0; g < ngroups; ++g)
    for (const FleetLevel& l : p.groups[g].levels) {
      Cols c;
      c.x = b.AddCol(GLP_BV, 0, 1, (l.capex_usd + l.share * W * l.usd_per_token) / 1e6);
      c.z = het ? b.AddCol(GLP_BV, 0, 1, 0) : 0;
      cols[g].push_back(c);
    }
  // The levels bought take the whole global batch between them.
  const int all = b.AddRow(GLP_FX, 1, 1);
  // At most one level per group; at most one group unless heterogeneous.
  const int one_group = het ? 0 : b.AddRow(GLP_UP, 0, 1);
  const int mix_row = het ? b.AddRow(GLP_LO, -1, 0) : 0;  // (G-1) mixed - sum x >= -1
  if (het) b.Set(mix_row, mixed, ngroups - 1);
  for (int g = 0; g < ngroups; ++g) {
    const int per_group = b.AddRow(GLP_UP, 0, 1);
    for (size_t li = 0; li < cols[g].size(); ++li) {
      const FleetLevel& l = p.groups[g].levels[li];
      const Cols& c = cols[g][li];
      b.Set(all, c.x, l.share);
      b.Set(per_group, c.x, 1);
      if (!het) b.Set(one_group, c.x, 1);
      if (het) b.Set(mix_row, c.x, -1);
      // Its tokens within D: share W <= T D when bought.
      if (l.share * W > l.tokens_per_s * duration_s) glp_set_col_bnds(b.lp, c.x, GLP_FX, 0, 0);
      if (het) {
        // share W x + T steps tau <= T D (x = 0: tau <= D / steps, implied)
        const int paced = b.AddRow(GLP_UP, 0, l.tokens_per_s * duration_s / W);
        b.Set(paced, c.x, l.share);
        b.Set(paced, tau, l.tokens_per_s * p.steps / W);
        // z >= x + mixed - 1;  tau >= t z
        const int zr = b.AddRow(GLP_LO, -1, 0);
        b.Set(zr, c.z, 1);
        b.Set(zr, c.x, -1);
        b.Set(zr, mixed, -1);
        const int tr = b.AddRow(GLP_LO, 0, 0);
        b.Set(tr, tau, 1);
        b.Set(tr, c.z, -l.sync_s);
      }
    }
  }
  if (!relax.power && p.power_cap_mw > 0) {
    const int r = b.AddRow(GLP_UP, 0, p.power_cap_mw);
    for (int g = 0; g < ngroups; ++g)
      for (size_t li = 0; li < cols[g].size(); ++li) b.Set(r, cols[g][li].x, p.groups[g].levels[li].site_mw);
  }
  if (!relax.budget && p.budget_usd > 0) {
    const int r = b.AddRow(GLP_UP, 0, p.budget_usd / 1e6);
    for (int g = 0; g < ngroups; ++g)
      for (size_t li = 0; li < cols[g].size(); ++li) b.Set(r, cols[g][li].x, p.groups[g].levels[li].capex_usd / 1e6);
  }
  if (!relax.supply)
    for (const SupplyLimit& s : p.supply) {
      const int r = b.AddRow(GLP_UP, 0, s.chips / 1e3);
      for (int g = 0; g < ngroups; ++g)
        if (p.groups[g].chip == s.chip)
          for (size_t li = 0; li < cols[g].size(); ++li)
            b.Set(r, cols[g][li].x, static_cast<double>(p.groups[g].levels[li].chips) / 1e3);
    }
  glp_load_matrix(b.lp, static_cast<int>(b.ia.size()) - 1, b.ia.data(), b.ja.data(), b.ar.data());

  glp_iocp parm;
  glp_init_iocp(&parm);
  parm.presolve = GLP_ON;
  parm.msg_lev = GLP_MSG_OFF;
  parm.tm_lim = 20000;
  const int rc = glp_intopt(b.lp, &parm);
  if (rc == GLP_ENOPFS || rc == GLP_ENODFS) return sol;  // no feasible point
  if (rc != 0) return Status::Internal(fmt::format("GLPK glp_intopt failed with code {}", rc));
  const int st = glp_mip_status(b.lp);
  if (st == GLP_NOFEAS) return sol;
  if (st != GLP_OPT) return Status::Internal(fmt::format("GLPK stopped without an optimum (status {})", st));
  sol.feasible = true;
  for (int g = 0; g < ngroups; ++g)
    for (size_t li = 0; li < cols[g].size(); ++li)
      if (glp_mip_col_val(b.lp, cols[g][li].x) > 0.5)
        sol.picks.push_back({g, static_cast<int>(li), p.groups[g].levels[li].share * W});
  // tau as the job will see it: the slowest exchange among the groups used.
  if (sol.picks.size() > 1)
    for (const FleetPick& k : sol.picks) sol.tau_s = std::max(sol.tau_s, p.groups[k.group].levels[k.level].sync_s);
  sol.objective = FleetCost(p, sol.picks);
  return sol;
}

Result<FleetSolution> SolveFleet(const FleetProblem& p, const FleetRelax& relax) {
  XPU_RETURN_IF_ERROR(CheckProblem(p));
  const bool has_deadline = p.duration_s > 0 && !relax.deadline;
  if (!p.minimise_time) {
    // Without a deadline the cost problem has no time limit: any D works,
    // the one that makes capacity unlimited is as good as any.
    const double d = has_deadline ? p.duration_s : 1e6 * 365 * 86400.0;
    return SolveFleetAt(p, d, relax);
  }
  // Minimum time: feasibility is monotone in D (a larger D only loosens
  // w <= T D x and w <= T (D - steps tau)), so bisect.
  double rate = 0;
  for (const FleetGroup& g : p.groups) {
    double best = 0;
    for (const FleetLevel& l : g.levels) best = std::max(best, l.tokens_per_s);
    rate += best;
  }
  if (rate <= 0) return FleetSolution{};
  double hi = has_deadline ? p.duration_s : 1e4 * 365 * 86400.0;
  XPU_ASSIGN_OR_RETURN(FleetSolution best, SolveFleetAt(p, hi, relax));
  int solves = 1;
  if (!best.feasible) return best;
  double lo = 0.999 * p.tokens / rate;  // faster than every group at its largest is impossible
  while (hi / lo > 1 + 1e-5) {
    const double mid = std::sqrt(lo * hi);
    XPU_ASSIGN_OR_RETURN(FleetSolution s, SolveFleetAt(p, mid, relax));
    ++solves;
    if (s.feasible) {
      hi = mid;
      best = std::move(s);
    } else {
      lo = mid;
    }
  }
  best.solves = solves;
  best.objective = best.duration_s / 86400.0;
  return best;
}

}  // namespace xpusim
