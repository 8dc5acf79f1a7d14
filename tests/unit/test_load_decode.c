/*
 * test_load_decode.c: load_file (src/data/load.h) on files that are not
 * plain UTF-8 (load_decode.c): Latin-1, Windows-1252 and UTF-16 text
 * converted, gzip files decompressed within the bound, and the names
 * and formats of such files.
 *
 * Plan:
 *   1. encoding=latin1 and cp1252: the bytes of "José", "München", the
 *      euro sign and curly quotes come out as their UTF-8 (written out by
 *      hand from the code charts); a byte cp1252 leaves undefined is an
 *      error naming its line
 *   2. UTF-16: with a byte order mark (LE and BE) converted without
 *      encoding=, said in the summary; without one, encoding=utf-16
 *      tells the byte order from the zero bytes
 *   3. without encoding=, invalid UTF-8 that looks like Latin-1 is an
 *      error whose advice names encoding=latin1 (cp1252 for 0x80-0x9f);
 *      in an ARFF file, the error's hint names both
 *   4. gzip: a .csv.gz and a .tsv.gz load as the plain file does (sums
 *      worked out by hand), concatenated members too; a file cut short
 *      and one that is not gzip are errors; a bomb (64 MiB of one byte
 *      in a 64 KB file) stops at the stream bound with an error; zip,
 *      bzip2, xz and zstd are refused for what they are
 *   5. names and formats: x.csv.gz is the csv table x, select.csv the
 *      table select_ (renamed), key.csv stays key (SQLite takes it)
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "data/load.h"

static char *
write_tmp(const void *s, size_t len, const char *suffix)
{
    char *path = malloc(64);
    snprintf(path, 64, "/tmp/quarry_test_XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0 || write(fd, s, len) != (ssize_t)len) {
        perror("write_tmp");
        exit(2);
    }
    close(fd);
    return path;
}

/* s gzipped (one member), written to a temporary file with suffix. */
static char *
write_gz(const char *s, size_t len, const char *suffix)
{
    uLong cap = compressBound((uLong)len) + 64;
    unsigned char *z = malloc(cap);
    z_stream st;
    memset(&st, 0, sizeof st);
    deflateInit2(&st, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
    st.next_in = (unsigned char *)s;
    st.avail_in = (unsigned)len;
    st.next_out = z;
    st.avail_out = (unsigned)cap;
    deflate(&st, Z_FINISH);
    size_t n = cap - st.avail_out;
    deflateEnd(&st);
    char *path = write_tmp(z, n, suffix);
    free(z);
    return path;
}

/* Load path as table t of a fresh database (kept in *db): 0 or -1 with err. */
static int
load(sqlite3 **db, const char *path, enum load_encoding enc, size_t bound, struct load_result *r,
     struct qerr *err)
{
    sqlite3_open(":memory:", db);
    struct load_opts o;
    load_opts_init(&o);
    o.path = path;
    o.table = "t";
    o.encoding = enc;
    o.stream_bytes = bound;
    load_result_init(r);
    return load_file(*db, &o, r, err);
}

/* The text of the first column of the first row of sql ("" for none). */
static const char *
one(sqlite3 *db, const char *sql)
{
    static char out[4096];
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_text(st, 0))
        snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
    else if (!st)
        snprintf(out, sizeof out, "error: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return out;
}

static void
done(sqlite3 *db, struct load_result *r, struct qerr *err, char *path)
{
    load_result_release(r);
    qerr_clear(err);
    sqlite3_close(db);
    unlink(path);
    free(path);
}

/* ---- 1. Latin-1 and Windows-1252 ------------------------------------------- */

static void
test_latin1_cp1252(void)
{
    sqlite3 *db;
    struct load_result r;
    struct qerr err = QERR_INIT;
    /* é = e9, ü = fc in Latin-1; U+00E9 is c3 a9 and U+00FC c3 bc in UTF-8 */
    const char latin[] = "name,city\nJos\xe9,M\xfcnchen\n";
    char *p = write_tmp(latin, sizeof latin - 1, ".csv");
    CHECK_OK(load(&db, p, LOAD_ENC_LATIN1, 0, &r, &err), err);
    CHECK_STR(one(db, "SELECT name || '|' || city FROM t"), "Jos\xc3\xa9|M\xc3\xbcnchen");
    CHECK_STR(one(db, "SELECT hex(name) FROM t"), "4A6F73C3A9");
    done(db, &r, &err, p);

    /* cp1252: 80 is the euro sign U+20AC (e2 82 ac), 93/94 the quotes U+201C/D */
    const char cp[] = "a,b\n1,\x80 \x93x\x94\n";
    p = write_tmp(cp, sizeof cp - 1, ".csv");
    CHECK_OK(load(&db, p, LOAD_ENC_CP1252, 0, &r, &err), err);
    CHECK_STR(one(db, "SELECT hex(b) FROM t"), "E282AC20E2809C78E2809D");
    done(db, &r, &err, p);
    /* the same bytes as Latin-1 are the C1 controls U+0080, U+0093 (c2 80, c2 93) */
    p = write_tmp(cp, sizeof cp - 1, ".csv");
    CHECK_OK(load(&db, p, LOAD_ENC_LATIN1, 0, &r, &err), err);
    CHECK_STR(one(db, "SELECT hex(b) FROM t"), "C28020C29378C294");
    done(db, &r, &err, p);

    /* 0x81 is not a cp1252 character: an error on its line */
    const char undef[] = "a,b\n1,x\n2,\x81\n";
    p = write_tmp(undef, sizeof undef - 1, ".csv");
    CHECK_INT(load(&db, p, LOAD_ENC_CP1252, 0, &r, &err), -1);
    CHECK_INT(err.code, QE_DATA);
    CHECK_HAS(err.msg, "line 3: byte 0x81");
    CHECK_HAS(err.msg, "is not Windows-1252 text");
    CHECK_STR(one(db, "SELECT count(*) FROM sqlite_master"), "0");
    done(db, &r, &err, p);
}

/* ---- 2. UTF-16 ------------------------------------------------------------- */

static void
test_utf16(void)
{
    sqlite3 *db;
    struct load_result r;
    struct qerr err = QERR_INIT;
    /* "a,b\n1,café\n" as UTF-16LE with its BOM: é is U+00E9 = e9 00 */
    const char le[] = "\xff\xfe" "a\0,\0b\0\n\0" "1\0,\0c\0a\0f\0\xe9\0\n\0";
    char *p = write_tmp(le, sizeof le - 1, ".csv");
    CHECK_OK(load(&db, p, LOAD_ENC_UTF8, 0, &r, &err), err);
    CHECK_STR(one(db, "SELECT hex(b) FROM t"), "636166C3A9");
    CHECK_STR(one(db, "SELECT typeof(a) FROM t"), "integer");
    CHECK_HAS(r.summary.data, "encoding: UTF-16LE (from its byte order mark)");
    done(db, &r, &err, p);

    /* the same as UTF-16BE with its BOM */
    const char be[] = "\xfe\xff" "\0a\0,\0b\0\n" "\0001\0,\0c\0a\0f\0\xe9\0\n";
    p = write_tmp(be, sizeof be - 1, ".csv");
    CHECK_OK(load(&db, p, LOAD_ENC_UTF8, 0, &r, &err), err);
    CHECK_STR(one(db, "SELECT hex(b) FROM t"), "636166C3A9");
    done(db, &r, &err, p);

    /* without a BOM: encoding=utf-16 tells BE from where the zeros are */
    p = write_tmp(be + 2, sizeof be - 3, ".csv");
    CHECK_OK(load(&db, p, LOAD_ENC_UTF16, 0, &r, &err), err);
    CHECK_STR(one(db, "SELECT hex(b) FROM t"), "636166C3A9");
    CHECK(!strstr(r.summary.data ? r.summary.data : "", "encoding:"));
    done(db, &r, &err, p);
    p = write_tmp(le + 2, sizeof le - 3, ".csv");
    CHECK_OK(load(&db, p, LOAD_ENC_UTF16, 0, &r, &err), err);
    CHECK_STR(one(db, "SELECT hex(b) FROM t"), "636166C3A9");
    done(db, &r, &err, p);

    /* an odd number of bytes ends in the middle of a character */
    p = write_tmp(le, sizeof le - 2, ".csv");
    CHECK_INT(load(&db, p, LOAD_ENC_UTF8, 0, &r, &err), -1);
    CHECK_HAS(err.msg, "ends in the middle of a UTF-16LE character");
    done(db, &r, &err, p);
}

/* ---- 3. the advice for bytes that are not UTF-8 ---------------------------- */

static void
test_utf8_advice(void)
{
    sqlite3 *db;
    struct load_result r;
    struct qerr err = QERR_INIT;
    const char latin[] = "name,n\nann,1\nJos\xe9,2\n";
    char *p = write_tmp(latin, sizeof latin - 1, ".csv");
    CHECK_INT(load(&db, p, LOAD_ENC_UTF8, 0, &r, &err), -1);
    CHECK_INT(err.code, QE_DATA);
    CHECK_HAS(err.msg, "line 3: invalid UTF-8 (byte 0xe9)");
    CHECK_HAS(err.msg, "load it with encoding=latin1");
    done(db, &r, &err, p);
    const char cp[] = "name,n\nann,1\n\x93q\x94,2\n";
    p = write_tmp(cp, sizeof cp - 1, ".csv");
    CHECK_INT(load(&db, p, LOAD_ENC_UTF8, 0, &r, &err), -1);
    CHECK_HAS(err.msg, "load it with encoding=cp1252");
    done(db, &r, &err, p);
    /* ARFF: its reader's message, and a hint naming the encodings; then José */
    const char arff[] = "@relation r\n@attribute name string\n@data\nJos\xe9\n";
    p = write_tmp(arff, sizeof arff - 1, ".arff");
    CHECK_INT(load(&db, p, LOAD_ENC_UTF8, 0, &r, &err), -1);
    CHECK_HAS(err.msg, "line 4: invalid UTF-8");
    CHECK_HAS(err.hint, "load it with encoding=latin1 or encoding=cp1252");
    done(db, &r, &err, p);
    p = write_tmp(arff, sizeof arff - 1, ".arff");
    CHECK_OK(load(&db, p, LOAD_ENC_LATIN1, 0, &r, &err), err);
    CHECK_STR(one(db, "SELECT hex(name) FROM t"), "4A6F73C3A9");
    done(db, &r, &err, p);
}

/* ---- 4. gzip ------------------------------------------------------------------ */

static void
test_gzip(void)
{
    sqlite3 *db;
    struct load_result r;
    struct qerr err = QERR_INIT;
    /* 1 + 2 + ... + 3000 = 3000 * 3001 / 2 = 4501500, in a file of several chunks */
    size_t cap = 64 << 10, len = 0;
    char *csv = malloc(cap);
    len += (size_t)snprintf(csv, cap, "n,half\n");
    for (int i = 1; i <= 3000; i++)
        len += (size_t)snprintf(csv + len, cap - len, "%d,%d.5\n", i, i);
    char *p = write_gz(csv, len, ".csv.gz");
    CHECK_OK(load(&db, p, LOAD_ENC_UTF8, 0, &r, &err), err);
    CHECK_INT(r.n_rows, 3000);
    CHECK_STR(one(db, "SELECT sum(n) FROM t"), "4501500");
    CHECK_STR(one(db, "SELECT typeof(half) FROM t"), "real");
    done(db, &r, &err, p);

    /* two members, as cat a.gz b.gz makes: both halves */
    char *p1 = write_gz("x\tw\n1\ta\n", 8, ".gz"), *p2 = write_gz("2\tb\n", 4, ".gz");
    FILE *f1 = fopen(p1, "rb"), *f2 = fopen(p2, "rb");
    char two[512];
    size_t n1 = fread(two, 1, sizeof two, f1), n2 = fread(two + n1, 1, sizeof two - n1, f2);
    fclose(f1);
    fclose(f2);
    unlink(p1);
    unlink(p2);
    free(p1);
    free(p2);
    p = write_tmp(two, n1 + n2, ".tsv.gz");
    CHECK_OK(load(&db, p, LOAD_ENC_UTF8, 0, &r, &err), err);
    CHECK_INT(r.n_rows, 2);
    CHECK_STR(one(db, "SELECT group_concat(w, '') FROM t"), "ab");
    done(db, &r, &err, p);

    /* cut short: half of a compressed file */
    p = write_gz(csv, len, ".csv.gz");
    FILE *f = fopen(p, "rb");
    char *half = malloc(cap);
    size_t n = fread(half, 1, cap, f);
    fclose(f);
    unlink(p);
    free(p);
    p = write_tmp(half, n / 2, ".csv.gz");
    CHECK_INT(load(&db, p, LOAD_ENC_UTF8, 0, &r, &err), -1);
    CHECK_INT(err.code, QE_DATA);
    CHECK_HAS(err.msg, "ends before its gzip data does");
    done(db, &r, &err, p);
    /* the magic bytes, then nonsense */
    memcpy(half + 2, "\x01\x02\x03\x04", 4);
    p = write_tmp(half, 64, ".csv.gz");
    CHECK_INT(load(&db, p, LOAD_ENC_UTF8, 0, &r, &err), -1);
    CHECK_HAS(err.msg, "is not valid gzip data");
    done(db, &r, &err, p);
    free(half);
    free(csv);

    /* a bomb: 64 MiB of one byte, bound 1 MiB: stopped with an error at the bound */
    size_t big = (size_t)64 << 20;
    char *zeros = malloc(big);
    memset(zeros, 'a', big);
    p = write_gz(zeros, big, ".csv.gz");
    free(zeros);
    CHECK_INT(load(&db, p, LOAD_ENC_UTF8, (size_t)1 << 20, &r, &err), -1);
    CHECK_INT(err.code, QE_DATA);
    CHECK_HAS(err.msg, "decompresses to more than 1 MiB");
    CHECK_STR(one(db, "SELECT count(*) FROM sqlite_master"), "0");
    done(db, &r, &err, p);

    /* other compressed forms: said for what they are (magic bytes from each format's spec) */
    static const struct {
        const char *bytes;
        size_t len;
        const char *says;
    } other[] = {
        {"PK\x03\x04\x14\0\0\0", 8, "is a zip archive"},
        {"BZh91AY&SY", 10, "is bzip2 data"},
        {"\xfd" "7zXZ\0\0\x04", 8, "is xz data"},
        {"\x28\xb5\x2f\xfd\x24\x00", 6, "is zstd data"},
    };
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        p = write_tmp(other[i].bytes, other[i].len, ".csv");
        CHECK_INT(load(&db, p, LOAD_ENC_UTF8, 0, &r, &err), -1);
        CHECK_HAS(err.msg, other[i].says);
        done(db, &r, &err, p);
    }
    /* a CSV whose header starts BZh is a CSV */
    p = write_tmp("BZhx,b\n1,2\n", 11, ".csv");
    CHECK_OK(load(&db, p, LOAD_ENC_UTF8, 0, &r, &err), err);
    done(db, &r, &err, p);

    /* gzip and Latin-1 together */
    const char latin[] = "w\nJos\xe9\n";
    p = write_gz(latin, sizeof latin - 1, ".csv.gz");
    CHECK_OK(load(&db, p, LOAD_ENC_LATIN1, 0, &r, &err), err);
    CHECK_STR(one(db, "SELECT hex(w) FROM t"), "4A6F73C3A9");
    done(db, &r, &err, p);
}

/* ---- 5. names and formats -------------------------------------------------- */

static void
test_names(void)
{
    char *n;
    int renamed = -1;
    CHECK_STR(n = load_table_name("data/orders.csv.gz", &renamed), "orders");
    CHECK_INT(renamed, 0);
    free(n);
    CHECK_STR(n = load_table_name("x/select.csv", &renamed), "select_");
    CHECK_INT(renamed, 1);
    free(n);
    CHECK_STR(n = load_default_name("Order.TSV.GZ"), "order_");
    free(n);
    CHECK_STR(n = load_table_name("key.csv", &renamed), "key"); /* SQLite takes it */
    CHECK_INT(renamed, 0);
    free(n);
    CHECK_STR(n = load_default_name("x.gz"), "x");
    free(n);
    CHECK_INT(load_name_reserved("group"), 1);
    CHECK_INT(load_name_reserved("groups"), 0);
    CHECK_INT(load_format_from_path("a.csv.gz"), LOAD_CSV);
    CHECK_INT(load_format_from_path("a.TSV.gz"), LOAD_TSV);
    CHECK_INT(load_format_from_path("a.arff.gz"), LOAD_ARFF);
    CHECK_INT(load_format_from_path("a.json"), LOAD_JSON);
    CHECK_INT(load_format_from_path("a.jsonl.gz"), LOAD_JSON);
    CHECK_INT(load_format_from_path("a.ndjson"), LOAD_JSON);
}

int
main(void)
{
    test_latin1_cp1252();
    test_utf16();
    test_utf8_advice();
    test_gzip();
    test_names();
    return check_done("test_load_decode");
}
