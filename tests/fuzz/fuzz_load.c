/*
 * fuzz_load.c: libFuzzer target for the data file readers: the input is
 * written to a file and loaded as CSV, TSV, ARFF and JSON into a fresh
 * in-memory database, with header=auto and onerror=skip, then exported
 * and loaded again; and once more as CSV with dialect options
 * (decimal=',', onerror=pad, skip=N, na=, delim=';') chosen by the bits of
 * the first byte. Input that starts as gzip does is decompressed first
 * (load_decode.c), and it is loaded once more as Latin-1 and as UTF-16
 * (iconv). Build and run: make fuzz.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/load.h"

static void
load_as(const char *path, enum load_format fmt, unsigned dialect, enum load_encoding enc)
{
    sqlite3 *db = NULL;
    struct load_opts o;
    struct load_result r;
    struct qerr e = QERR_INIT;
    sqlite3_open(":memory:", &db);
    load_opts_init(&o);
    o.path = path;
    o.table = "t";
    o.format = fmt;
    o.skip_bad = 1;
    o.decimal = dialect & 1 ? ',' : 0;
    o.pad_short = (dialect & 2) != 0;
    o.skip_bad = !o.pad_short;
    o.skip_lines = (int)(dialect >> 2 & 3);
    o.na = dialect & 16 ? "x,,-, NA " : NULL;
    o.delim = dialect & 32 ? ';' : 0;
    o.encoding = enc;
    o.stream_bytes = (size_t)64 << 20; /* a gzip bomb stops here, not at 1 GiB */
    load_result_init(&r);
    if (load_file(db, &o, &r, &e) == 0) {
        char out[64];
        long long n = 0;
        snprintf(out, sizeof out, "/tmp/quarry-fuzz-%d.out.csv", (int)getpid());
        struct qerr e2 = QERR_INIT;
        if (load_export(db, "t", out, LOAD_CSV, &n, &e2) == 0) {
            struct load_result r2;
            load_result_init(&r2);
            o.path = out;
            o.table = "t2";
            o.format = LOAD_CSV;
            o.decimal = 0;
            o.skip_lines = 0;
            o.delim = 0;
            o.encoding = LOAD_ENC_UTF8;
            load_file(db, &o, &r2, &e2);
            load_result_release(&r2);
            unlink(out);
        }
        qerr_clear(&e2);
    }
    load_result_release(&r);
    qerr_clear(&e);
    sqlite3_close(db);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/quarry-fuzz-%d.in", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    load_as(path, LOAD_CSV, 0, LOAD_ENC_UTF8);
    load_as(path, LOAD_TSV, 0, LOAD_ENC_UTF8);
    load_as(path, LOAD_ARFF, 0, LOAD_ENC_UTF8);
    if (size)
        load_as(path, LOAD_CSV, data[0], LOAD_ENC_UTF8);
    load_as(path, LOAD_JSON, 0, LOAD_ENC_UTF8);
    load_as(path, LOAD_CSV, 0, LOAD_ENC_LATIN1);
    load_as(path, LOAD_CSV, 0, LOAD_ENC_UTF16);
    unlink(path);
    return 0;
}
