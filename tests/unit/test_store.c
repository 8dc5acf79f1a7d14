/*
 * test_store.c: the model store (data/store.h) and normalize's transforms
 * in it (prep/transform.h).
 *
 *  1. the envelope's bytes, field by field, with the CRC-32 zlib computes
 *  2. payload helpers: exact round trip (NaN, -0, extremes), then every
 *     bounds check: past the end, a NUL in a string, a count too big
 *  3. put / get / list / replace round trip, created from SOURCE_DATE_EPOCH
 *  4. a transform round trip, and a second fit merged into it
 *  5. version mismatch: newer and too old state versions, a newer store format
 *  6. truncated: every prefix of a state is an error, never a crash
 *  7. flipped: every bit flip of one bit in each byte of a state is caught
 *  8. wrong kind, a name taken by another kind
 *  9. missing name (with a suggestion); drop of a damaged entry; undo
 * 10. a payload with a valid checksum but values no fit makes
 * 11. the old quarry_transforms layout: read in place, rewritten on a put
 * 12. the frame cache never serves a store table from before a write
 * 13. a store table in a layout the store does not know
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data/frame.h"
#include "data/store.h"
#include "prep/transform.h"

#include "base/buf.h"

static struct catalog *cat;

static const struct store_kind kind_a = {.name = "testkind", .version = 2, .min_version = 1};
static const struct store_kind kind_b = {.name = "otherkind", .version = 1, .min_version = 1};

static void
sql(const char *s)
{
    char *msg = NULL;
    if (sqlite3_exec(catalog_db(cat), s, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "sql failed: %s: %s\n", s, msg);
        check_fail++;
    }
    sqlite3_free(msg);
}

static long long
count(const char *q)
{
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (sqlite3_prepare_v2(catalog_db(cat), q, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The state BLOB of name in table, into b. */
static void
state_of(const char *table, const char *name, struct buf *b)
{
    sqlite3_stmt *st = NULL;
    char *q = sqlite3_mprintf("SELECT state FROM \"%w\" WHERE name = %Q", table, name);
    buf_reset(b);
    if (sqlite3_prepare_v2(catalog_db(cat), q, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        buf_add(b, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
    sqlite3_finalize(st);
    sqlite3_free(q);
}

/* Overwrite the state of name in table with len bytes, behind the store's back. */
static void
set_state(const char *table, const char *name, const void *p, size_t len)
{
    sqlite3_stmt *st = NULL;
    char *q = sqlite3_mprintf("UPDATE \"%w\" SET state = ?1 WHERE name = %Q", table, name);
    if (sqlite3_prepare_v2(catalog_db(cat), q, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, len ? p : "", (int)len, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        check_fail++;
    sqlite3_finalize(st);
    sqlite3_free(q);
}

/* 1. */
static void
test_envelope_bytes(void)
{
    struct buf b = BUF_INIT;
    store_wrap("k", 3, "123456789", 9, &b);
    /* Hand-built: magic, format 1, version 3, kind length 1, "k", length 9, CRC, payload. */
    static const unsigned char want[] = {
        'Q', 'S', 'T', 'A', 1, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 'k', 9, 0, 0, 0, 0, 0, 0, 0,
        /* zlib.crc32(header + b"123456789") = 0x128e95f1, little-endian */
        0xf1, 0x95, 0x8e, 0x12, '1', '2', '3', '4', '5', '6', '7', '8', '9'};
    CHECK_INT(b.len, sizeof want);
    CHECK(b.len == sizeof want && memcmp(b.data, want, sizeof want) == 0);
    const unsigned char *p = NULL;
    size_t len = 0;
    uint32_t version = 0;
    int newer = 0;
    struct buf problem = BUF_INIT;
    CHECK_INT(store_unwrap("k", b.data, b.len, &p, &len, &version, &newer, &problem), 0);
    CHECK_INT(len, 9);
    CHECK_INT(version, 3);
    CHECK(p && memcmp(p, "123456789", 9) == 0);
    /* The kind must be the one the row names. */
    CHECK_INT(store_unwrap("j", b.data, b.len, &p, &len, &version, &newer, &problem), -1);
    CHECK_HAS(problem.data, "its state belongs to a 'k', not to the 'j' its row names");
    buf_release(&problem);
    buf_release(&b);
}

/* 2. */
static void
test_payload_helpers(void)
{
    struct buf b = BUF_INIT;
    const double d[] = {0.1, -0.0, INFINITY, 1e-310, -1.7976931348623157e308};
    store_add_i64(&b, INT64_MIN);
    store_add_i64(&b, -1);
    store_add_i64(&b, INT64_MAX);
    store_add_f64(&b, NAN);
    store_add_str(&b, "");
    store_add_str(&b, "h\xc3\xa9llo, world");
    store_add_f64s(&b, d, 5);
    CHECK_INT(b.len, 3 * 8 + 8 + 4 + 4 + 13 + 5 * 8);

    struct qerr err = QERR_INIT;
    struct store_reader r;
    store_reader_init(&r, b.data, b.len, 7, "model 'm'", "m");
    int64_t i1, i2, i3;
    double nan_back, back[5];
    char *s1 = NULL, *s2 = NULL;
    store_read_i64(&r, &i1, &err);
    store_read_i64(&r, &i2, &err);
    store_read_i64(&r, &i3, &err);
    store_read_f64(&r, &nan_back, &err);
    store_read_str(&r, &s1, &err);
    store_read_str(&r, &s2, &err);
    store_read_f64s(&r, back, 5, &err);
    CHECK_INT(err.code, QE_OK);
    CHECK_INT(store_read_end(&r, &err), 0);
    CHECK(i1 == INT64_MIN && i2 == -1 && i3 == INT64_MAX);
    CHECK(isnan(nan_back));
    CHECK_STR(s1, "");
    CHECK_STR(s2, "h\xc3\xa9llo, world");
    CHECK(memcmp(back, d, sizeof d) == 0); /* bit for bit: -0 stays -0 */
    CHECK(signbit(back[1]));
    free(s1);
    free(s2);

    /* Past the end: a clear error; every later read fails too. */
    double x = 42;
    CHECK_INT(store_read_f64(&r, &x, &err), -1);
    CHECK_INT(err.code, QE_DATA);
    CHECK_STR(err.msg, "model 'm' is damaged: its state ends at byte 93, in the middle of "
                       "a number");
    CHECK_STR(err.hint, "drop model m and fit it again; the rest of the workspace is intact");
    CHECK(x == 42);
    qerr_clear(&err);
    CHECK_INT(store_read_i64(&r, &i1, &err), -1);
    store_reader_release(&r);
    qerr_clear(&err);

    /* A string whose length runs past the end, and one holding a NUL. */
    struct buf bad = BUF_INIT;
    store_add_str(&bad, "abc");
    store_reader_init(&r, bad.data, bad.len - 1, 1, "model 'm'", "m");
    CHECK_INT(store_read_str(&r, &s1, &err), -1);
    CHECK(s1 == NULL);
    CHECK_HAS(err.msg, "in the middle of a text");
    store_reader_release(&r);
    qerr_clear(&err);
    bad.data[5] = '\0';
    store_reader_init(&r, bad.data, bad.len, 1, "model 'm'", "m");
    CHECK_INT(store_read_str(&r, &s1, &err), -1);
    CHECK_HAS(err.msg, "a text at byte 4 holds a NUL byte");
    store_reader_release(&r);
    qerr_clear(&err);

    /* Counts: negative, over the limit, more items than bytes left. */
    const int64_t counts[] = {-1, 1001, 3};
    const char *const msgs[] = {"a count of -1 is outside 0..1000",
                                "a count of 1001 is outside 0..1000",
                                "a count of 3 items needs more than the 16 bytes left"};
    for (int i = 0; i < 3; i++) {
        buf_reset(&bad);
        store_add_i64(&bad, counts[i]);
        store_add_f64(&bad, 1);
        store_add_f64(&bad, 2);
        int64_t n = 99;
        store_reader_init(&r, bad.data, bad.len, 1, "model 'm'", "m");
        CHECK_INT(store_read_count(&r, 8, 1000, &n, &err), -1);
        CHECK_INT(n, 0);
        CHECK_HAS(err.msg, msgs[i]);
        store_reader_release(&r);
        qerr_clear(&err);
    }
    /* Bytes left over at the end. */
    store_reader_init(&r, bad.data, bad.len, 1, "model 'm'", "m");
    store_read_i64(&r, &i1, &err);
    CHECK_INT(store_read_end(&r, &err), -1);
    CHECK_HAS(err.msg, "16 bytes are left over after its state");
    store_reader_release(&r);
    qerr_clear(&err);
    buf_release(&bad);
    buf_release(&b);
}

/* 3. */
static void
test_put_get(void)
{
    struct qerr err = QERR_INIT;
    struct store_meta meta = {.source = "orders", .cols = "a,b", .summary = "a test"};
    CHECK_INT(store_put(cat, &kind_a, "m1", &meta, "abc", 3, &err), 0);
    struct store_reader r;
    CHECK_INT(store_get(cat, &kind_a, "M1", &r, &err), 0); /* names ignore case */
    CHECK_INT(r.len, 3);
    CHECK(r.len == 3 && memcmp(r.data, "abc", 3) == 0);
    CHECK_INT(r.version, 2);
    store_reader_release(&r);
    /* Put again: replaced, still one row. */
    CHECK_INT(store_put(cat, &kind_a, "m1", &meta, "abcd", 4, &err), 0);
    CHECK_INT(count("SELECT count(*) FROM quarry_models WHERE name = 'm1'"), 1);
    CHECK_INT(store_get(cat, &kind_a, "m1", &r, &err), 0);
    CHECK_INT(r.len, 4);
    store_reader_release(&r);

    struct store_entry *e = NULL;
    int n = 0;
    CHECK_INT(store_list(cat, &e, &n, &err), 0);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_STR(e[0].name, "m1");
        CHECK_STR(e[0].kind, "testkind");
        CHECK_STR(e[0].source, "orders");
        CHECK_STR(e[0].cols, "a,b");
        CHECK_STR(e[0].created, "2025-01-01 00:00:00"); /* SOURCE_DATE_EPOCH 1735689600 */
        CHECK_STR(e[0].summary, "a test");
        CHECK_INT(e[0].version, 2);
        CHECK_INT(e[0].size, 28 + 8 + 4);
        CHECK(e[0].problem == NULL);
        CHECK_INT(e[0].is_transform, 0);
    }
    store_entries_free(e, n);
    CHECK_INT(err.code, QE_OK);
}

static struct prep_norm_params
norm(enum prep_norm m, double center, double scale, double lo, double hi)
{
    struct prep_norm_params p = {.method = m, .center = center, .scale = scale, .lo = lo,
                                 .hi = hi};
    return p;
}

/* 4. */
static void
test_transform_round_trip(void)
{
    struct qerr err = QERR_INIT;
    char *cols[] = {"x", "y"};
    struct prep_norm_params par[] = {norm(PREP_MINMAX, 1, 99, -1, 1),
                                     norm(PREP_ZSCORE, 26.75, 48.849257926809905, -1, 1)};
    CHECK_INT(transform_update(cat, "t1", "n", cols, par, 2, NULL, &err), 0);
    struct transform t;
    transform_init(&t);
    CHECK_INT(transform_load(cat, "t1", &t, &err), 0);
    CHECK_INT(t.n_cols, 2);
    const struct prep_norm_params *p = transform_find(&t, "Y");
    CHECK(p && p->method == PREP_ZSCORE && p->center == 26.75 &&
          p->scale == 48.849257926809905);
    p = transform_find(&t, "x");
    CHECK(p && p->method == PREP_MINMAX && p->center == 1 && p->scale == 99 && p->lo == -1 &&
          p->hi == 1);
    transform_release(&t);
    /* A second fit into t1: x is replaced, z added, y kept. */
    char *cols2[] = {"z", "X"};
    struct prep_norm_params par2[] = {norm(PREP_LOG, 0, 0, 0, 0), norm(PREP_ROBUST, 3, 2, 0, 0)};
    CHECK_INT(transform_update(cat, "t1", "n", cols2, par2, 2, NULL, &err), 0);
    transform_init(&t);
    CHECK_INT(transform_load(cat, "t1", &t, &err), 0);
    CHECK_INT(t.n_cols, 3);
    CHECK(t.n_cols == 3 && strcmp(t.cols[0], "x") == 0 && strcmp(t.cols[1], "y") == 0 &&
          strcmp(t.cols[2], "z") == 0);
    p = transform_find(&t, "x");
    CHECK(p && p->method == PREP_ROBUST && p->center == 3 && p->scale == 2);
    transform_release(&t);
    struct store_entry *e = NULL;
    int n = 0;
    store_list(cat, &e, &n, &err);
    for (int i = 0; i < n; i++)
        if (strcmp(e[i].name, "t1") == 0) {
            CHECK_STR(e[i].cols, "x,y,z");
            CHECK_STR(e[i].summary, "robust, zscore, log");
            CHECK_INT(e[i].is_transform, 1);
        }
    store_entries_free(e, n);
    CHECK_INT(count("SELECT count(*) FROM quarry_transforms WHERE name = 't1' AND kind = "
                    "'normalize'"), 1);
    CHECK_INT(err.code, QE_OK);
}

/* 5. */
static void
test_version_mismatch(void)
{
    struct qerr err = QERR_INIT;
    struct store_reader r;
    CHECK_INT(store_put(cat, &kind_a, "v", NULL, "xyz", 3, &err), 0); /* version 2 */
    const struct store_kind older = {.name = "testkind", .version = 1, .min_version = 1};
    CHECK_INT(store_get(cat, &older, "v", &r, &err), -1);
    store_reader_release(&r);
    CHECK_INT(err.code, QE_DATA);
    CHECK_STR(err.msg, "model 'v' holds testkind state version 2; this quarry reads versions 1 "
                       "to 1");
    CHECK_HAS(err.hint, "saved by a newer quarry");
    CHECK_HAS(err.hint, "drop model v and fit it again");
    qerr_clear(&err);
    const struct store_kind newer = {.name = "testkind", .version = 4, .min_version = 3};
    CHECK_INT(store_get(cat, &newer, "v", &r, &err), -1);
    store_reader_release(&r);
    CHECK_STR(err.msg, "model 'v' holds testkind state version 2; this quarry reads versions 3 "
                       "to 4");
    CHECK_STR(err.hint, "drop model v and fit it again");
    qerr_clear(&err);
    /* A newer store format (the envelope's own version). */
    struct buf b = BUF_INIT;
    state_of("quarry_models", "v", &b);
    b.data[4] = 2;
    set_state("quarry_models", "v", b.data, b.len);
    CHECK_INT(store_get(cat, &kind_a, "v", &r, &err), -1);
    store_reader_release(&r);
    CHECK_STR(err.msg, "model 'v' was saved by a newer quarry: its state is in store format 2; "
                       "this quarry reads format 1");
    qerr_clear(&err);
    buf_release(&b);
    store_drop(cat, "v", NULL, &err);
    CHECK_INT(err.code, QE_OK);
}

/* 6. */
static void
test_truncated(void)
{
    struct qerr err = QERR_INIT;
    struct buf full = BUF_INIT, payload = BUF_INIT;
    store_add_i64(&payload, 3);
    store_add_str(&payload, "a string");
    CHECK_INT(store_put(cat, &kind_a, "cut", NULL, payload.data, payload.len, &err), 0);
    state_of("quarry_models", "cut", &full);
    CHECK_INT(full.len, 28 + 8 + 8 + 4 + 8);
    int all_failed = 1, all_clear = 1, all_listed = 1;
    for (size_t len = 0; len < full.len; len++) {
        set_state("quarry_models", "cut", full.data, len);
        struct store_reader r;
        int rc = store_get(cat, &kind_a, "cut", &r, &err);
        store_reader_release(&r);
        all_failed &= rc == -1 && err.code == QE_DATA;
        all_clear &= err.msg && strncmp(err.msg, "model 'cut' ", 12) == 0 && err.hint &&
                     strstr(err.hint, "drop model cut and fit it again") != NULL;
        if (rc != -1 || !all_clear)
            fprintf(stderr, "  prefix of %zu bytes: %s\n", len, err.msg ? err.msg : "no error");
        qerr_clear(&err);
        struct store_entry *e = NULL;
        int n = 0;
        store_list(cat, &e, &n, &err);
        for (int i = 0; i < n; i++)
            if (strcmp(e[i].name, "cut") == 0)
                all_listed &= e[i].problem != NULL;
        store_entries_free(e, n);
    }
    CHECK(all_failed);
    CHECK(all_clear);
    CHECK(all_listed);
    /* The words for a few of them. */
    set_state("quarry_models", "cut", full.data, 40);
    struct store_reader r;
    store_get(cat, &kind_a, "cut", &r, &err);
    store_reader_release(&r);
    CHECK_STR(err.msg, "model 'cut' is damaged: its state is cut short: the header promises 20 "
                       "bytes, 4 are there");
    qerr_clear(&err);
    set_state("quarry_models", "cut", full.data, 2);
    store_get(cat, &kind_a, "cut", &r, &err);
    store_reader_release(&r);
    CHECK_STR(err.msg, "model 'cut' is damaged: its state (2 bytes) does not start with "
                       "quarry's header, so quarry did not write it there");
    qerr_clear(&err);
    set_state("quarry_models", "cut", full.data, full.len);
    CHECK_INT(store_get(cat, &kind_a, "cut", &r, &err), 0);
    store_reader_release(&r);
    store_drop(cat, "cut", NULL, &err);
    buf_release(&full);
    buf_release(&payload);
    CHECK_INT(err.code, QE_OK);
}

/* 7. */
static void
test_flipped(void)
{
    struct qerr err = QERR_INIT;
    char *cols[] = {"x"};
    struct prep_norm_params par[] = {norm(PREP_MINMAX, 1, 99, -1, 1)};
    CHECK_INT(transform_update(cat, "flip", "n", cols, par, 1, NULL, &err), 0);
    struct buf full = BUF_INIT;
    state_of("quarry_transforms", "flip", &full);
    CHECK(full.len > 40);
    int all_failed = 1;
    for (size_t i = 0; i < full.len; i++)
        for (int bit = 0; bit < 8; bit++) {
            full.data[i] ^= (char)(1 << bit);
            set_state("quarry_transforms", "flip", full.data, full.len);
            full.data[i] ^= (char)(1 << bit);
            struct transform t;
            transform_init(&t);
            int rc = transform_load(cat, "flip", &t, &err);
            transform_release(&t);
            if (rc != -1 || err.code != QE_DATA || !strstr(err.msg, "transform 'flip'")) {
                fprintf(stderr, "  byte %zu bit %d: %s\n", i, bit, err.msg ? err.msg : "read");
                all_failed = 0;
            }
            qerr_clear(&err);
        }
    CHECK(all_failed);
    /* One in the payload, in words. */
    full.data[full.len - 1] ^= 1;
    set_state("quarry_transforms", "flip", full.data, full.len);
    struct transform t;
    transform_init(&t);
    CHECK_INT(transform_load(cat, "flip", &t, &err), -1);
    transform_release(&t);
    CHECK_HAS(err.msg, "transform 'flip' is damaged: its checksum does not match (stored ");
    CHECK_HAS(err.msg, "): it was changed after quarry wrote it");
    CHECK_STR(err.hint, "drop model flip and fit it again; the rest of the workspace is intact");
    qerr_clear(&err);
    /* Drop works on a damaged entry: it is the remedy. */
    struct store_entry gone;
    CHECK_INT(store_drop(cat, "flip", &gone, &err), 0);
    CHECK_STR(gone.name, "flip");
    CHECK_STR(gone.kind, "normalize");
    CHECK_INT(gone.is_transform, 1);
    store_entry_release(&gone);
    buf_release(&full);
    CHECK_INT(err.code, QE_OK);
}

/* 8. */
static void
test_wrong_kind(void)
{
    struct qerr err = QERR_INIT;
    struct store_reader r;
    CHECK_INT(store_put(cat, &kind_a, "wk", NULL, "1", 1, &err), 0);
    CHECK_INT(store_get(cat, &kind_b, "wk", &r, &err), -1);
    store_reader_release(&r);
    CHECK_INT(err.code, QE_ARG);
    CHECK_STR(err.msg, "'wk' is a testkind model, not a otherkind model");
    CHECK_STR(err.hint, "models lists each stored name with its kind");
    qerr_clear(&err);
    struct transform t;
    transform_init(&t);
    CHECK_INT(transform_load(cat, "wk", &t, &err), -1);
    transform_release(&t);
    CHECK_STR(err.msg, "'wk' is a testkind model, not a normalize transform");
    qerr_clear(&err);
    /* A name is one entry across both tables: another kind cannot take it. */
    char *cols[] = {"x"};
    struct prep_norm_params par[] = {norm(PREP_LOG, 0, 0, 0, 0)};
    CHECK_INT(transform_update(cat, "wk", "n", cols, par, 1, NULL, &err), -1);
    CHECK_INT(err.code, QE_ARG);
    CHECK_STR(err.msg, "'wk' already names a testkind model");
    CHECK_STR(err.hint, "drop model wk first, or choose another name");
    qerr_clear(&err);
    CHECK_INT(store_put(cat, &kind_b, "WK", NULL, "1", 1, &err), -1);
    CHECK_STR(err.msg, "'wk' already names a testkind model");
    qerr_clear(&err);
    CHECK_INT(count("SELECT count(*) FROM quarry_transforms WHERE name = 'wk'"), 0);
    store_drop(cat, "wk", NULL, &err);
    CHECK_INT(err.code, QE_OK);
}

/* 9. */
static void
test_missing(void)
{
    struct qerr err = QERR_INIT;
    struct store_reader r;
    CHECK_INT(store_get(cat, &kind_a, "nosuch", &r, &err), -1);
    store_reader_release(&r);
    CHECK_INT(err.code, QE_NOTFOUND);
    CHECK_STR(err.msg, "no stored model named 'nosuch'");
    CHECK_HAS(err.hint, "models lists what is stored");
    qerr_clear(&err);
    struct transform t;
    transform_init(&t);
    CHECK_INT(transform_load(cat, "t2", &t, &err), -1); /* t1 is stored */
    transform_release(&t);
    CHECK_STR(err.msg, "no stored transform named 't2'; did you mean 't1'?");
    qerr_clear(&err);
    struct store_entry gone;
    CHECK_INT(store_drop(cat, "nosuch", &gone, &err), -1);
    CHECK(gone.name == NULL);
    CHECK_STR(err.msg, "no stored model or transform named 'nosuch'");
    qerr_clear(&err);
    /* Undo brings a dropped entry back. */
    CHECK_INT(catalog_begin(cat, &err), 0);
    CHECK_INT(store_drop(cat, "t1", NULL, &err), 0);
    CHECK_INT(catalog_commit(cat, 1, &err), 0);
    CHECK_INT(count("SELECT count(*) FROM quarry_transforms WHERE name = 't1'"), 0);
    CHECK_INT(catalog_undo(cat, &err), 0);
    transform_init(&t);
    CHECK_INT(transform_load(cat, "t1", &t, &err), 0);
    CHECK_INT(t.n_cols, 3);
    transform_release(&t);
    CHECK_INT(err.code, QE_OK);
}

/* Store payload (a transform's, by hand) under name with a valid envelope. */
static void
put_payload(const char *name, const struct buf *payload)
{
    struct qerr err = QERR_INIT;
    CHECK_INT(store_put(cat, &transform_kind, name, NULL, payload->data, payload->len, &err), 0);
    qerr_clear(&err);
}

/* 10. */
static void
test_decode_checks(void)
{
    struct {
        const char *method;
        double center, scale, lo, hi;
        const char *col2; /* a second column, or NULL */
        const char *want;
    } cases[] = {
        {"cubic", 0, 1, -1, 1, NULL, "column 'x' has the unknown method 'cubic'"},
        {"zscore", 5, 0, -1, 1, NULL,
         "column 'x' has a center or scale that is not a finite number with scale > 0"},
        {"zscore", NAN, 2, -1, 1, NULL,
         "column 'x' has a center or scale that is not a finite number with scale > 0"},
        {"minmax", 0, 1, 1, 1, NULL,
         "column 'x' has a range whose low end is not below its high end"},
        {"minmax", 0, 1, -1, 1, "X", "column 'X' is empty or appears twice"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct buf p = BUF_INIT;
        store_add_i64(&p, cases[i].col2 ? 2 : 1);
        for (int c = 0; c < (cases[i].col2 ? 2 : 1); c++) {
            store_add_str(&p, c ? cases[i].col2 : "x");
            store_add_str(&p, cases[i].method);
            store_add_f64(&p, cases[i].center);
            store_add_f64(&p, cases[i].scale);
            store_add_f64(&p, cases[i].lo);
            store_add_f64(&p, cases[i].hi);
        }
        put_payload("bad", &p);
        struct qerr err = QERR_INIT;
        struct transform t;
        transform_init(&t);
        CHECK_INT(transform_load(cat, "bad", &t, &err), -1);
        CHECK_INT(t.n_cols, 0); /* nothing half-read reaches the caller */
        transform_release(&t);
        CHECK_INT(err.code, QE_DATA);
        struct buf want = BUF_INIT;
        buf_addf(&want, "transform 'bad' is damaged: %s", cases[i].want);
        CHECK_STR(err.msg, want.data);
        buf_release(&want);
        qerr_clear(&err);
        buf_release(&p);
    }
    /* A count far beyond the bytes: refused before any allocation. */
    struct buf p = BUF_INIT;
    store_add_i64(&p, 30000);
    put_payload("bad", &p);
    struct qerr err = QERR_INIT;
    struct transform t;
    transform_init(&t);
    CHECK_INT(transform_load(cat, "bad", &t, &err), -1);
    transform_release(&t);
    CHECK_STR(err.msg, "transform 'bad' is damaged: a count of 30000 items needs more than the "
                       "0 bytes left");
    qerr_clear(&err);
    buf_release(&p);
    store_drop(cat, "bad", NULL, &err);
    CHECK_INT(err.code, QE_OK);
}

/* 11. */
static void
test_legacy(void)
{
    struct qerr err = QERR_INIT;
    sql("DROP TABLE quarry_transforms;"
        "CREATE TABLE quarry_transforms (transform TEXT, col TEXT, method TEXT, center REAL, "
        "scale REAL, lo REAL, hi REAL);"
        "INSERT INTO quarry_transforms VALUES ('old', 'x', 'minmax', 1.0, 99.0, -1.0, 1.0),"
        "('old', 'y', 'zscore', 25.0, 10.0, -1.0, 1.0), ('o2', 'y', 'log', 0, 0, -1.0, 1.0);");
    struct transform t;
    transform_init(&t);
    CHECK_INT(transform_load(cat, "OLD", &t, &err), 0);
    CHECK_INT(t.n_cols, 2);
    const struct prep_norm_params *p = transform_find(&t, "y");
    CHECK(p && p->method == PREP_ZSCORE && p->center == 25 && p->scale == 10);
    p = transform_find(&t, "x");
    CHECK(p && p->method == PREP_MINMAX && p->center == 1 && p->scale == 99 && p->lo == -1);
    transform_release(&t);
    struct store_reader r;
    CHECK_INT(store_get(cat, &kind_a, "old", &r, &err), -1); /* old rows are normalize's */
    store_reader_release(&r);
    CHECK_STR(err.msg, "'old' is a normalize transform, not a testkind model");
    qerr_clear(&err);
    struct store_entry *e = NULL;
    int n = 0;
    CHECK_INT(store_list(cat, &e, &n, &err), 0);
    int seen = 0;
    for (int i = 0; i < n; i++)
        if (strcmp(e[i].name, "old") == 0) {
            seen = 1;
            CHECK_STR(e[i].kind, "normalize");
            CHECK_STR(e[i].cols, "x,y");
            CHECK_STR(e[i].summary, "minmax, zscore (saved by an older quarry)");
            CHECK(e[i].created == NULL && e[i].problem == NULL);
        }
    CHECK(seen);
    store_entries_free(e, n);
    /* Reading left the old table alone; dropping one transform needs no rewrite either. */
    CHECK_INT(count("SELECT count(*) FROM pragma_table_info('quarry_transforms')"), 7);
    CHECK_INT(store_drop(cat, "o2", NULL, &err), 0);
    CHECK_INT(count("SELECT count(*) FROM quarry_transforms"), 2);
    /* The first put rewrites it into the store's layout; the old transform reads the same. */
    char *cols[] = {"x"};
    struct prep_norm_params par[] = {norm(PREP_LOG, 0, 0, 0, 0)};
    CHECK_INT(transform_update(cat, "new", "n", cols, par, 1, NULL, &err), 0);
    CHECK_INT(count("SELECT count(*) FROM pragma_table_info('quarry_transforms')"), 7);
    CHECK_INT(count("SELECT count(*) FROM pragma_table_info('quarry_transforms') WHERE name = "
                    "'state'"), 1);
    CHECK_INT(count("SELECT count(*) FROM quarry_transforms"), 2);
    transform_init(&t);
    CHECK_INT(transform_load(cat, "old", &t, &err), 0);
    p = transform_find(&t, "y");
    CHECK(p && p->method == PREP_ZSCORE && p->center == 25 && p->scale == 10);
    transform_release(&t);
    /* A damaged old row: a clear error, and a put refuses to rewrite around it. */
    sql("DROP TABLE quarry_transforms;"
        "CREATE TABLE quarry_transforms (transform TEXT, col TEXT, method TEXT, center REAL, "
        "scale REAL, lo REAL, hi REAL);"
        "INSERT INTO quarry_transforms VALUES ('old', 'x', 'minmax', 1.0, NULL, -1.0, 1.0);");
    transform_init(&t);
    CHECK_INT(transform_load(cat, "old", &t, &err), -1);
    transform_release(&t);
    CHECK_STR(err.msg, "transform 'old' is damaged: row 1 of its old layout holds NULL in scale");
    qerr_clear(&err);
    CHECK_INT(transform_update(cat, "new", "n", cols, par, 1, NULL, &err), -1);
    CHECK_STR(err.msg, "transform 'old' is damaged: row 1 of its old layout holds NULL in scale");
    qerr_clear(&err);
    CHECK_INT(store_drop(cat, "old", NULL, &err), 0);
    CHECK_INT(transform_update(cat, "new", "n", cols, par, 1, NULL, &err), 0);
    CHECK_INT(err.code, QE_OK);
}

/* 12. */
static void
test_cache(void)
{
    struct qerr err = QERR_INIT;
    const char *const name[] = {"name"};
    struct frame *f = NULL;
    CHECK_INT(frame_read(cat, "quarry_models", name, 1, 0, NULL, NULL, &f, &err), 0);
    long long before = f ? f->n_rows : -1;
    frame_release(f);
    CHECK_INT(store_put(cat, &kind_a, "cached", NULL, "1", 1, &err), 0);
    f = NULL;
    CHECK_INT(frame_read(cat, "quarry_models", name, 1, 0, NULL, NULL, &f, &err), 0);
    CHECK_INT(f ? f->n_rows : -1, before + 1);
    frame_release(f);
    CHECK_INT(store_drop(cat, "cached", NULL, &err), 0);
    f = NULL;
    CHECK_INT(frame_read(cat, "quarry_models", name, 1, 0, NULL, NULL, &f, &err), 0);
    CHECK_INT(f ? f->n_rows : -1, before);
    frame_release(f);
    CHECK_INT(err.code, QE_OK);
}

/* 13. */
static void
test_unknown_layout(void)
{
    struct qerr err = QERR_INIT;
    sql("DROP TABLE quarry_models; CREATE TABLE quarry_models (a TEXT, b BLOB);");
    struct store_entry *e = NULL;
    int n = 0;
    CHECK_INT(store_list(cat, &e, &n, &err), -1);
    CHECK_STR(err.msg, "the table 'quarry_models' is not in a layout quarry's model store knows "
                       "(it lacks the columns name, kind and state)");
    CHECK_HAS(err.hint, "DROP TABLE quarry_models");
    qerr_clear(&err);
    CHECK_INT(store_put(cat, &kind_a, "x", NULL, "1", 1, &err), -1);
    CHECK_INT(err.code, QE_DATA);
    qerr_clear(&err);
    sql("DROP TABLE quarry_models;");
    CHECK_INT(store_put(cat, &kind_a, "x", NULL, "1", 1, &err), 0);
}

int
main(void)
{
    struct qerr err = QERR_INIT;
    setenv("SOURCE_DATE_EPOCH", "1735689600", 1);
    if (catalog_open(&cat, &err) < 0) {
        fprintf(stderr, "catalog_open: %s\n", err.msg);
        return 1;
    }
    test_envelope_bytes();
    test_payload_helpers();
    test_put_get();
    test_transform_round_trip();
    test_version_mismatch();
    test_truncated();
    test_flipped();
    test_wrong_kind();
    test_missing();
    test_decode_checks();
    test_legacy();
    test_cache();
    test_unknown_layout();
    catalog_free(cat);
    return check_done("test_store");
}
