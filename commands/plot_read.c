/*
 * plot_read.c: the plot command's data: columns of a table read as
 * numbers (dates as seconds since 1970), text kept for categories, seeded
 * row sampling and the distinct values of a column.
 */
#include "plot_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "banned.h"

void
pcols_free(struct pcol *c, int n)
{
    for (int j = 0; j < n; j++) {
        free(c[j].name);
        free(c[j].v);
        if (c[j].text)
            for (long long i = 0; i < c[j].n; i++)
                free(c[j].text[i]);
        free(c[j].text);
    }
    memset(c, 0, (size_t)n * sizeof *c);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Hinnant's algorithm). */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

static int
digits(const char *s, int n, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return 0;
}

double
pcol_parse_time(const char *s)
{
    unsigned y, mo, d, h = 0, mi = 0, se = 0;
    if (s && strlen(s) == 7 && !digits(s, 4, &y) && s[4] == '-' && !digits(s + 5, 2, &mo) &&
        mo >= 1 && mo <= 12)
        return (double)days_from_civil(y, mo, 1) * 86400.0; /* YYYY-MM: the month's first day */
    if (!s || strlen(s) < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
        s[7] != '-' || digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
        return NAN;
    if ((s[10] == 'T' || s[10] == ' ') && strlen(s) >= 16) {
        if (digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi))
            return NAN;
        if (s[16] == ':' && digits(s + 17, 2, &se))
            se = 0;
    }
    return (double)days_from_civil(y, mo, d) * 86400.0 + h * 3600.0 + mi * 60.0 + se;
}

int
pcols_read(struct cmd_ctx *ctx, const char *table, const char *const *names, int n,
           struct pcol *out, long long *n_rows, struct qerr *err)
{
    sqlite3 *db = catalog_db(ctx->cat);
    sqlite3_stmt *st = NULL;
    char **tn = NULL, **td = NULL;
    int ntc = 0, rc = -1;
    int *other = xcalloc((size_t)(n ? n : 1), sizeof *other);
    long long *n_words = xcalloc((size_t)(n ? n : 1), sizeof *n_words);
    memset(out, 0, (size_t)n * sizeof *out);
    *n_rows = 0;
    if (cmd_table_columns(ctx, table, &tn, &td, &ntc, err) < 0)
        return -1;
    struct buf sql = BUF_INIT;
    buf_adds(&sql, "SELECT ");
    for (int j = 0; j < n; j++) {
        int found = -1;
        for (int k = 0; k < ntc; k++)
            if (strcasecmp(tn[k], names[j]) == 0)
                found = k;
        if (found < 0) {
            qerr_set(err, QE_NOTFOUND, "unknown column '%s' in '%s'; type describe %s to list "
                                       "its columns", names[j], table, table);
            goto out;
        }
        out[j].name = xstrdup(tn[found]);
        enum catalog_kind k = catalog_kind_of_decl(td[found]);
        out[j].is_time = k == CATALOG_DATE || k == CATALOG_TIMESTAMP;
        out[j].is_text = k == CATALOG_TEXT || out[j].is_time;
        /* Untyped (SQL-made) columns keep their text until the values show what they are. */
        other[j] = k == CATALOG_OTHER;
        char *q = sqlite3_mprintf("%s\"%w\"", j ? ", " : "", tn[found]);
        buf_adds(&sql, q);
        sqlite3_free(q);
    }
    char *from = sqlite3_mprintf(" FROM \"%w\"", table);
    buf_adds(&sql, from);
    sqlite3_free(from);
    if (sqlite3_prepare_v2(db, sql.data, -1, &st, NULL) != SQLITE_OK) {
        qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
        goto out;
    }
    long long cap = 0, r = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (r == cap) {
            cap = cap ? 2 * cap : 1024;
            for (int j = 0; j < n; j++) {
                out[j].v = xrealloc(out[j].v, (size_t)cap * sizeof *out[j].v);
                if (out[j].is_text || other[j])
                    out[j].text = xrealloc(out[j].text, (size_t)cap * sizeof *out[j].text);
            }
        }
        for (int j = 0; j < n; j++) {
            int t = sqlite3_column_type(st, j);
            double v = NAN;
            if (out[j].is_text) {
                const char *s = (const char *)sqlite3_column_text(st, j);
                out[j].text[r] = t == SQLITE_NULL || !s ? NULL : xstrdup(s);
                v = out[j].is_time ? pcol_parse_time(s) : NAN;
            } else if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
                v = sqlite3_column_double(st, j);
            } else if (t == SQLITE_TEXT) {
                const char *s = (const char *)sqlite3_column_text(st, j);
                char *end;
                double x = strtod(s, &end);
                v = end != s && !*end ? x : NAN;
                n_words[j] += isnan(v);
            }
            if (other[j]) {
                const char *s = (const char *)sqlite3_column_text(st, j);
                out[j].text[r] = t == SQLITE_NULL || !s ? NULL : xstrdup(s);
            }
            out[j].v[r] = v;
        }
        r++;
        for (int j = 0; j < n; j++)
            out[j].n = r;
        if ((r & 8191) == 0 && ctx->progress && ctx->progress(ctx->pctx, -1.0)) {
            qerr_set(err, QE_INTERRUPT, "interrupted");
            goto out;
        }
    }
    if (step != SQLITE_DONE) {
        qerr_set(err, step == SQLITE_INTERRUPT ? QE_INTERRUPT : QE_SQL, "%s",
                 sqlite3_errmsg(db));
        goto out;
    }
    for (int j = 0; j < n; j++) {
        out[j].n = r;
        if (!other[j])
            continue;
        if (n_words[j] == 0) {
            /* Numbers only: a numeric column. */
            for (long long i = 0; i < r; i++)
                free(out[j].text[i]);
            free(out[j].text);
            out[j].text = NULL;
            continue;
        }
        out[j].is_text = 1;
    }
    for (int j = 0; j < n; j++) {
        if (!out[j].text || out[j].is_time)
            continue;
        /*
         * Text that reads as dates (at least 90% of the values: a few
         * bad dates are common in raw data) is a date column; the rest
         * stay categories.
         */
        long long present = 0, dates = 0;
        for (long long i = 0; i < r; i++) {
            out[j].v[i] = out[j].text[i] ? pcol_parse_time(out[j].text[i]) : NAN;
            present += out[j].text[i] != NULL;
            dates += !isnan(out[j].v[i]);
        }
        out[j].is_time = dates > 0 && dates >= present - present / 10;
        for (long long i = 0; !out[j].is_time && i < r; i++)
            out[j].v[i] = NAN;
    }
    *n_rows = r;
    rc = 0;
out:
    if (rc < 0)
        pcols_free(out, n);
    sqlite3_finalize(st);
    buf_release(&sql);
    cmd_free_names(tn, ntc);
    cmd_free_names(td, ntc);
    free(other);
    free(n_words);
    return rc;
}

void
pcols_keep(struct pcol *c, int n, const long long *idx, long long k)
{
    for (int j = 0; j < n; j++) {
        for (long long i = 0; i < k; i++) {
            c[j].v[i] = c[j].v[idx[i]];
            if (c[j].text) {
                char *keep = c[j].text[idx[i]];
                c[j].text[idx[i]] = NULL;
                if (i != idx[i])
                    free(c[j].text[i]);
                c[j].text[i] = keep;
            }
        }
        if (c[j].text)
            for (long long i = k; i < c[j].n; i++)
                free(c[j].text[i]);
        c[j].n = k;
    }
}

/* --- categories ------------------------------------------------------------ */

struct cat_item {
    const char *text;
    double v;
};

static int
cmp_num(const void *a, const void *b)
{
    double x = ((const struct cat_item *)a)->v, y = ((const struct cat_item *)b)->v;
    return (x > y) - (x < y);
}

static int
cmp_text(const void *a, const void *b)
{
    return strcmp(((const struct cat_item *)a)->text, ((const struct cat_item *)b)->text);
}

int
pcats_make(const struct pcol *c, int max, struct pcats *out, int *codes, struct qerr *err)
{
    long long n = c->n;
    struct cat_item *items = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *items);
    long long m = 0;
    struct buf b = BUF_INIT;
    memset(out, 0, sizeof *out);
    for (long long i = 0; i < n; i++) {
        if (c->text ? c->text[i] != NULL : isfinite(c->v[i]))
            items[m++] = (struct cat_item){c->text ? c->text[i] : NULL, c->v[i]};
    }
    int text = c->text != NULL;
    qsort(items, (size_t)m, sizeof *items, text ? cmp_text : cmp_num);
    for (long long i = 0; i < m; i++) {
        if (i > 0 && (text ? strcmp(items[i].text, items[i - 1].text) == 0
                           : items[i].v == items[i - 1].v))
            continue;
        if (out->n == max) {
            free(items);
            pcats_free(out);
            return qerr_set(err, QE_ARG, "'%s' has more than %d distinct values; at most %d "
                                         "fit in this plot", c->name, max, max);
        }
        out->names = xrealloc(out->names, (size_t)(out->n + 1) * sizeof *out->names);
        out->num = xrealloc(out->num, (size_t)(out->n + 1) * sizeof *out->num);
        buf_reset(&b);
        if (text)
            buf_adds(&b, items[i].text);
        else
            buf_addf(&b, "%.10g", items[i].v);
        out->names[out->n] = xstrdup(b.data);
        out->num[out->n] = items[i].v;
        out->n++;
    }
    free(items);
    buf_release(&b);
    if (codes) {
        /* Each row's category by binary search in the sorted distinct values. */
        for (long long i = 0; i < n; i++) {
            int lo = 0, hi = out->n - 1, found = -1;
            int missing = text ? c->text[i] == NULL : !isfinite(c->v[i]);
            while (!missing && lo <= hi) {
                int mid = (lo + hi) / 2;
                int d = text ? strcmp(c->text[i], out->names[mid])
                             : (c->v[i] > out->num[mid]) - (c->v[i] < out->num[mid]);
                if (d == 0) {
                    found = mid;
                    break;
                }
                if (d < 0)
                    hi = mid - 1;
                else
                    lo = mid + 1;
            }
            codes[i] = found;
        }
    }
    return 0;
}

void
pcats_free(struct pcats *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->names[i]);
    free(c->names);
    free(c->num);
    memset(c, 0, sizeof *c);
}
