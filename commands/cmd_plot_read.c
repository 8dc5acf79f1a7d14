/*
 * cmd_plot_read.c: the plot command's data: columns of a table read through
 * the frame module (src/data/frame.h) as numbers (dates as seconds since
 * 1970), text kept for categories; the rows of a sample and the distinct
 * values of a column.
 */
#include "plot_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kit.h"
#include "base/tick.h"
#include "base/banned.h"

void
pcols_free(struct pcol *c, int n)
{
    for (int j = 0; j < n; j++) {
        free(c[j].name);
        free(c[j].v);
        free(c[j].text);
        if (c[j].frame)
            frame_release(c[j].frame);
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

/* A number as SQLite would store it from text: the whole string, finite. */
static int
text_number(const char *s, double *out)
{
    char *end;
    double x = strtod(s, &end);
    if (end == s || *end || !isfinite(x))
        return -1;
    *out = x;
    return 0;
}

int
pcols_read(struct cmd_ctx *ctx, const char *table, const char *const *names, int n,
           struct pcol *out, long long *n_rows, struct qerr *err)
{
    struct frame *f = NULL;
    memset(out, 0, (size_t)n * sizeof *out);
    *n_rows = 0;
    if (kit_read(ctx, table, names, n, 0, &f, err) < 0)
        return -1;
    long long r = f->n_rows;
    size_t cells = (size_t)(r ? r : 1);
    struct tick tk;
    tick_init(&tk, kit_progress, ctx);
    for (int j = 0; j < n; j++) {
        struct pcol *c = &out[j];
        c->name = xstrdup(f->names[j]);
        c->n = r;
        c->v = xmalloc(cells * sizeof *c->v);
        if (f->kind[j] == FRAME_NUM) {
            memcpy(c->v, frame_col(f, j), (size_t)r * sizeof *c->v);
            continue;
        }
        /*
         * Text (dictionary codes): each level is looked at once. An
         * untyped column (made by SQL) whose values are all numbers is a
         * numeric column; text that reads as dates (at least 90% of the
         * values: a few bad dates are common in raw data) is a date
         * column; the rest are categories.
         */
        int n_lev = f->n_levels[j];
        double *num = xmalloc((size_t)(n_lev ? n_lev : 1) * sizeof *num);
        double *when = xmalloc((size_t)(n_lev ? n_lev : 1) * sizeof *when);
        int all_num = f->decl[j] == CATALOG_OTHER;
        for (int l = 0; l < n_lev; l++) {
            if (tick_row(&tk, l, n_lev)) { /* a parse per distinct value: millions of them */
                free(num);
                free(when);
                pcols_free(out, n);
                frame_release(f);
                return tick_fail(err);
            }
            if (all_num && text_number(f->levels[j][l], &num[l]) < 0)
                all_num = 0;
            when[l] = pcol_parse_time(f->levels[j][l]);
        }
        const int32_t *code = f->code[j];
        if (all_num) {
            for (long long i = 0; i < r && !tick_row(&tk, i, r); i++)
                c->v[i] = code[i] < 0 ? NAN : num[code[i]];
        } else {
            long long present = 0, dates = 0;
            c->is_text = 1;
            c->text = xmalloc(cells * sizeof *c->text);
            for (long long i = 0; i < r && !tick_row(&tk, i, r); i++) {
                c->text[i] = code[i] < 0 ? NULL : f->levels[j][code[i]];
                c->v[i] = code[i] < 0 ? NAN : when[code[i]];
                present += code[i] >= 0;
                dates += !isnan(c->v[i]);
            }
            c->is_time = dates > 0 && dates >= present - present / 10;
            for (long long i = 0; !c->is_time && i < r; i++)
                c->v[i] = NAN;
        }
        free(num);
        free(when);
        if (tk.stopped) { /* a pass above was cut short */
            pcols_free(out, n);
            frame_release(f);
            return tick_fail(err);
        }
    }
    /* The text points into the frame's levels: the first column keeps the frame. */
    if (n > 0)
        out[0].frame = f;
    else
        frame_release(f);
    *n_rows = r;
    return 0;
}

void
pcols_keep(struct pcol *c, int n, const long long *idx, long long k)
{
    for (int j = 0; j < n; j++) {
        for (long long i = 0; i < k; i++) {
            c[j].v[i] = c[j].v[idx[i]];
            if (c[j].text)
                c[j].text[i] = c[j].text[idx[i]];
        }
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
pcats_make(struct cmd_ctx *ctx, const struct pcol *c, int max, struct pcats *out, int *codes,
           struct qerr *err)
{
    long long n = c->n;
    struct cat_item *items = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *items);
    long long m = 0;
    struct buf b = BUF_INIT;
    struct tick tk; /* millions of rows: the sort and the passes report, by the clock */
    tick_init(&tk, kit_progress, ctx);
    memset(out, 0, sizeof *out);
    for (long long i = 0; i < n; i++) {
        if (tick_row(&tk, i, n)) {
            free(items);
            return tick_fail(err);
        }
        if (c->text ? c->text[i] != NULL : isfinite(c->v[i]))
            items[m++] = (struct cat_item){c->text ? c->text[i] : NULL, c->v[i]};
    }
    int text = c->text != NULL;
    if (tick_sort(items, (size_t)m, sizeof *items, text ? cmp_text : cmp_num, &tk, "plot",
                  err) < 0) {
        free(items);
        return -1;
    }
    for (long long i = 0; i < m; i++) {
        if (i > 0 && (text ? strcmp(items[i].text, items[i - 1].text) == 0
                           : items[i].v == items[i - 1].v))
            continue;
        if (out->n == max) {
            free(items);
            buf_release(&b);
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
            if (tick_row(&tk, i, n)) {
                pcats_free(out);
                return tick_fail(err);
            }
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
