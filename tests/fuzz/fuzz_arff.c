/*
 * fuzz_arff.c: libFuzzer target for the ARFF reader (src/data/arff.h),
 * seeded with nominal-heavy files (tests/fuzz/corpus/fuzz_arff). The input
 * is parsed as a header and read row by row; then it is loaded as a file
 * through load_file, which must agree with the reader.
 *
 * What must hold, beside no crash, leak or undefined behaviour:
 * - a parsed header has named attributes, nominal ones with at least one
 *   value, and its data offset inside the input;
 * - in a good row every value fits its attribute: a nominal value is one
 *   of the attribute's own values (the very pointer), a number is an
 *   integer, a real that is not NaN (infinities are reals) or an integer
 *   too wide for int64 (CSV_BIGINT), a date is ISO 8601 text of the attribute's
 *   kind (date or timestamp) that the CSV rules read back as that kind;
 * - when load_file (onerror=skip) succeeds it loaded every good row the
 *   reader saw and one column per attribute.
 * Build and run: make fuzz.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/arff.h"
#include "data/load.h"

#include "base/banned.h"

static void
check_header(const struct arff_header *h, size_t size)
{
    if (h->data_offset > size)
        abort();
    for (int i = 0; i < h->n_attrs; i++) {
        const struct arff_attr *a = &h->attrs[i];
        if (!a->name)
            abort();
        if (a->type == ARFF_NOMINAL && a->n_values < 1)
            abort();
        if (a->type == ARFF_DATE && a->kind != CSV_DATE && a->kind != CSV_TIMESTAMP)
            abort();
    }
}

static void
check_value(const struct arff_attr *a, const struct arff_value *v)
{
    if (v->kind == CSV_NULL)
        return;
    switch (a->type) {
    case ARFF_NUMERIC:
        if (v->kind != CSV_INT && v->kind != CSV_BIGINT && !(v->kind == CSV_REAL && !isnan(v->d)))
            abort();
        break;
    case ARFF_NOMINAL: {
        int k = 0;
        while (k < a->n_values && a->values[k] != v->s)
            k++;
        if (v->kind != CSV_TEXT || k == a->n_values || v->len != a->value_lens[k])
            abort();
        break;
    }
    case ARFF_STRING:
        if (v->kind != CSV_TEXT || (v->len && !v->s))
            abort();
        break;
    case ARFF_DATE:
        if (v->kind != a->kind || csv_date_kind(v->s, v->len) != a->kind)
            abort();
        break;
    }
}

/* Read every row, checking each good one; returns the number of good rows. */
static long long
read_rows(const struct arff_header *h, const char *data, size_t size)
{
    struct arff_reader r;
    long long good = 0;
    arff_reader_init(&r, h, data, size);
    while (arff_read(&r) == 1) {
        if (r.bad) {
            if (!r.why.len)
                abort(); /* a bad row says why */
            continue;
        }
        good++;
        for (int i = 0; i < h->n_attrs; i++)
            check_value(&h->attrs[i], &r.vals[i]);
    }
    arff_reader_release(&r);
    return good;
}

static void
load_agrees(const unsigned char *data, size_t size, long long good, int n_attrs)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/quarry-fuzz-arff-%d.arff", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    fwrite(data, 1, size, f);
    fclose(f);
    sqlite3 *db = NULL;
    struct load_opts o;
    struct load_result r;
    struct qerr e = QERR_INIT;
    sqlite3_open(":memory:", &db);
    load_opts_init(&o);
    o.path = path;
    o.table = "t";
    o.format = LOAD_ARFF;
    o.skip_bad = 1;
    load_result_init(&r);
    if (load_file(db, &o, &r, &e) == 0 && (r.n_rows != good || r.n_cols != n_attrs))
        abort();
    load_result_release(&r);
    qerr_clear(&e);
    sqlite3_close(db);
    unlink(path);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    /* As load_file reads a file: a UTF-8 byte order mark is skipped. */
    size_t bom = size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    char *text = malloc(size + 1);
    memcpy(text, data + bom, size - bom);
    text[size - bom] = '\0';
    struct arff_header h;
    struct qerr e = QERR_INIT;
    memset(&h, 0, sizeof h);
    if (arff_header_parse(&h, text, size - bom, NULL, "fuzz.arff", &e) == 0) {
        check_header(&h, size - bom);
        long long good = read_rows(&h, text, size - bom);
        load_agrees(data, size, good, h.n_attrs);
    } else if (!e.code) {
        abort(); /* a failure says why */
    }
    arff_header_release(&h);
    qerr_clear(&e);
    free(text);
    return 0;
}
