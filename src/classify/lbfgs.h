/*
 * lbfgs.h: unconstrained minimisation by limited-memory BFGS, as SciPy's
 * L-BFGS-B runs when no variable has a bound (what scikit-learn's
 * LogisticRegression(solver='lbfgs') calls), so the iterates, the
 * iteration count and the stopping point follow it:
 *
 *  - the search direction is -H g by the two-loop recursion (Nocedal and
 *    Wright, algorithm 7.4) over the last m pairs s = x' - x, y = g' - g,
 *    with H0 = (s'y / y'y) I from the newest pair (I before any pair); a
 *    pair with s'y <= eps * (-g'd) * step is skipped, as L-BFGS-B skips it;
 *  - the step comes from the More-Thuente line search (MINPACK-2's dcsrch
 *    and dcstep) with ftol 1e-3, gtol 0.9, xtol 0.1; the first trial step
 *    is 1 / ||d|| on the first iteration and 1 after it; at most maxls
 *    trials; when a line search fails the memory is dropped and the
 *    iteration restarts along -g (once: a failure along -g ends the run);
 *  - it stops when max |g_i| <= gtol (the projected gradient of L-BFGS-B
 *    without bounds), or when the objective fell by no more than
 *    ftol * max(|f_old|, |f_new|, 1) in an iteration (SciPy's ftol,
 *    factr * eps), or after max_iter iterations (not converged then).
 */
#ifndef QUARRY_LBFGS_H
#define QUARRY_LBFGS_H

#include <stddef.h>

#include "base/qerr.h"
#include "base/tick.h"

/* The objective: f(x) into *f and its gradient into g (n values). 0, or -1 with err set. */
typedef int (*lbfgs_fn)(void *ctx, const double *x, double *f, double *g, struct qerr *err);

struct lbfgs_opts {
    int m;          /* pairs kept: 10 */
    int max_iter;   /* iterations: 100 */
    int maxls;      /* trial steps per line search: 20 */
    double gtol;    /* stop when max |g_i| <= gtol: 1e-5 */
    double ftol;    /* stop on a relative decrease below ftol: 1e7 * DBL_EPSILON */
};

/* Why a run stopped. */
enum lbfgs_stop {
    LBFGS_GTOL,     /* the gradient is within gtol: converged */
    LBFGS_FTOL,     /* the objective stopped falling: converged */
    LBFGS_MAXITER,  /* max_iter iterations: not converged */
    LBFGS_LINE,     /* no step along -g lowers f (rounding): not converged */
};

struct lbfgs_result {
    int iter;            /* iterations done */
    int nfev;            /* objective evaluations */
    double f;            /* the objective at the result */
    double gmax;         /* max |g_i| there */
    enum lbfgs_stop stop;
};

/* Set the defaults above (SciPy's). */
void lbfgs_opts_default(struct lbfgs_opts *o);

/*
 * Minimise fn over n variables from x (updated in place to the best point
 * found). t (may be NULL) is ticked each iteration. 0 with *res set (see
 * res->stop for convergence), or -1 with err set: fn's error, QE_NOMEM,
 * QE_INTERRUPT, or QE_NUMERIC when fn gives a value that is not finite at
 * the start.
 */
int lbfgs_minimize(size_t n, double *x, lbfgs_fn fn, void *ctx, const struct lbfgs_opts *o,
                   struct tick *t, struct lbfgs_result *res, struct qerr *err);

#endif
