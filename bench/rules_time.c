/*
 * rules_time.c: where the time of `rules` goes, in one process, phase by
 * phase (bench/sections/rules.sh):
 *
 *   rules_time FILE MINSUP [ROUNDS] [METHOD] [MINCONF] [rows|columns]
 *
 * FILE is loaded once into an in-memory catalog as `load` does (a .csv is
 * the long form with columns tid and item; anything else, such as an
 * ARFF market basket, the one-hot form) and read once as a frame; then,
 * ROUNDS times (default 5), the statement's steps are timed apart:
 *   db     the transaction database from the frame (fim_db.h)
 *   mine   the frequent itemsets (fim_mine: the mining kernel)
 *   rules  the rules from them (assoc_rules: splits, measures, sort by lift)
 *   cols   the result tables' columns (arules_cols: the item names joined)
 *   write  the three tables into SQLite (frame_write_replace), each timed;
 *          with `columns` as column tables (frame_write_columns, set columns=on)
 * with maxlen=30, no itemset limit, as the section's statement. METHOD is
 * declat (default), eclat, fpgrowth or apriori; MINCONF 0.9.
 * Times are CPU seconds of the one thread that runs them (the load's
 * parsing thread aside), so other work on a shared machine does not count.
 * Prints one line per round and the medians as key=value words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "data/catalog.h"
#include "data/frame.h"
#include "data/load.h"
#include "rules/arules.h"

enum { P_LOAD, P_READ, P_DB, P_MINE, P_RULES, P_COLS, P_SETS, P_RULESW, P_ITEMS, P_N };
static const char *const phase[P_N] = {"load",  "read", "db",          "mine",       "rules",
                                       "cols",  "write_itemsets", "write_rules", "write_items"};

/* CPU seconds of this thread: the phases run on it alone, and the machine is shared. */
static double
cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void
check(int rc, const struct qerr *e)
{
    if (rc < 0)
        bench_die("rules_time: %s", e->msg);
}

int
main(int argc, char **argv)
{
    if (argc < 3)
        bench_die("usage: rules_time FILE MINSUP [ROUNDS] [METHOD] [MINCONF] [rows|columns]");
    const char *path = argv[1];
    double minsup = atof(argv[2]);
    int rounds = argc > 3 ? atoi(argv[3]) : 5;
    const char *method = argc > 4 ? argv[4] : "declat";
    double minconf = argc > 5 ? atof(argv[5]) : 0.9;
    int columns = argc > 6 && strcmp(argv[6], "columns") == 0;
    rounds = rounds < 1 ? 1 : rounds > 64 ? 64 : rounds;
    size_t len = strlen(path);
    int is_long = len > 4 && strcmp(path + len - 4, ".csv") == 0;
    struct qerr e = QERR_INIT;
    struct catalog *cat;
    check(catalog_open(&cat, &e), &e);
    double t[64][P_N] = {{0}};

    double t0 = cpu_now();
    struct load_opts lo;
    struct load_result lr;
    load_opts_init(&lo);
    load_result_init(&lr);
    lo.path = path;
    lo.table = "t";
    check(catalog_begin(cat, &e), &e);
    check(load_file(catalog_db(cat), &lo, &lr, &e), &e);
    check(catalog_commit(cat, 0, &e), &e);
    load_result_release(&lr);
    double load_s = cpu_now() - t0;

    t0 = cpu_now();
    static const char *const cols[2] = {"tid", "item"};
    struct frame *f = NULL;
    check(frame_read(cat, "t", is_long ? cols : NULL, is_long ? 2 : 0, 0, NULL, NULL, &f, &e),
          &e);
    double read_s = cpu_now() - t0;

    struct arules_opts o = {.form = is_long ? ARULES_LONG : ARULES_ONEHOT,
                            .tid_col = 0, .item_col = 1, .minsup = minsup, .maxlen = 30,
                            .limit = 0, .filter = FIM_ALL, .minconf = minconf};
    o.method = strcmp(method, "eclat") == 0      ? FIM_ECLAT
               : strcmp(method, "fpgrowth") == 0 ? FIM_FPGROWTH
               : strcmp(method, "apriori") == 0  ? FIM_APRIORI
                                                 : FIM_DECLAT;
    long long n_sets = 0, n_rules = 0, n_items = 0;
    for (int r = 0; r < rounds; r++) {
        struct arules a = {0};
        struct arules_cols c = {0};
        t[r][P_LOAD] = load_s;
        t[r][P_READ] = read_s;
        t0 = cpu_now();
        check(arules_db(f, &o, &a, &e), &e);
        t[r][P_DB] = cpu_now() - t0;
        check(arules_mine(&o, &a, &e), &e);
        t[r][P_MINE] = a.mine_s;
        t[r][P_RULES] = a.rules_s;
        t0 = cpu_now();
        arules_cols(&a, &c);
        t[r][P_COLS] = cpu_now() - t0;
        check(catalog_begin(cat, &e), &e);
        const struct frame_out *outs[3] = {c.sets, c.rules, c.items};
        const int n_outs[3] = {4, 8, 3};
        const long long n_rows[3] = {c.n_sets, c.n_rules, c.n_items};
        static const char *const names[3] = {"r_itemsets", "r", "r_items"};
        for (int k = 0; k < 3; k++) {
            t0 = cpu_now();
            /* as kit_side_table: a column table, or rows where one is not taken */
            int rc = columns ? frame_write_columns(cat, names[k], outs[k], n_outs[k], n_rows[k],
                                                   1, &e)
                             : 1;
            check(rc == 1 ? frame_write_replace(cat, names[k], outs[k], n_outs[k], n_rows[k],
                                                NULL, NULL, &e)
                          : rc,
                  &e);
            t[r][P_SETS + k] = cpu_now() - t0;
        }
        check(catalog_commit(cat, 0, &e), &e);
        n_sets = c.n_sets;
        n_rules = c.n_rules;
        n_items = c.n_items;
        arules_cols_release(&c);
        arules_release(&a);
        printf("round %d", r + 1);
        for (int p = P_DB; p < P_N; p++)
            printf(" %s=%.4f", phase[p], t[r][p]);
        printf("\n");
    }
    printf("n_itemsets=%lld n_rules=%lld n_item_rows=%lld method=%s tables=%s", n_sets, n_rules,
           n_items, method, columns ? "columns" : "rows");
    double v[64], total = 0;
    for (int p = 0; p < P_N; p++) {
        for (int r = 0; r < rounds; r++)
            v[r] = t[r][p];
        double m = bench_median(v, rounds);
        total += p >= P_DB ? m : 0;
        printf(" %s=%.4f", phase[p], m);
    }
    printf(" statement=%.4f\n", total);
    frame_release(f);
    catalog_free(cat);
    return 0;
}
