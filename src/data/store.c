/*
 * store.c: the model store's rows: put, get, list and drop entries of
 * quarry_transforms and quarry_models (layout in store.h), reading the
 * old layout of quarry_transforms and rewriting it on the first write.
 * The bytes of a state (envelope, payload helpers) are store_state.c's.
 */
#include "data/store.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>


#include "base/banned.h"

enum layout { LAYOUT_NONE, LAYOUT_STORE, LAYOUT_LEGACY };

/* Index 0 holds transforms, 1 the other models. */
static const char *const tables[2] = {STORE_TRANSFORMS, STORE_MODELS};

#define SCHEMA                                                                          \
    " (name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE, kind TEXT NOT NULL, source TEXT, " \
    "cols TEXT, created TEXT, summary TEXT, state BLOB NOT NULL)"

/*
 * The old layout held only normalize's transforms, a row per column; read
 * back, a transform's rows become the payload that prep/transform.c
 * writes as normalize state version 1: the count of columns, then per
 * column its name, method name, center, scale, lo and hi.
 */
#define LEGACY_KIND "normalize"
#define LEGACY_VERSION 1
static const char *const legacy_cols[] = {"transform", "col", "method", "center",
                                          "scale", "lo", "hi"};

const char *
store_noun(int is_transform)
{
    return is_transform ? "transform" : "model";
}

static char *
col_dup(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? xstrdup(s) : NULL;
}

static int
prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct qerr *err)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
    return 0;
}

/* The layout of table: none (no such table), the store's, or the old one. */
static int
table_layout(sqlite3 *db, const char *table, enum layout *out, struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    int n = 0, store = 0, legacy = 0;
    if (prepare(db, "SELECT name FROM pragma_table_info(?1)", &st, err) < 0)
        return -1;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);
        n++;
        store += c && (!strcasecmp(c, "name") || !strcasecmp(c, "kind") ||
                       !strcasecmp(c, "state"));
        for (size_t i = 0; c && i < sizeof legacy_cols / sizeof *legacy_cols; i++)
            legacy += !strcasecmp(c, legacy_cols[i]);
    }
    sqlite3_finalize(st);
    int n_legacy = (int)(sizeof legacy_cols / sizeof *legacy_cols);
    *out = n == 0 ? LAYOUT_NONE : store == 3 ? LAYOUT_STORE : LAYOUT_LEGACY;
    if (*out != LAYOUT_LEGACY || (strcmp(table, tables[0]) == 0 && legacy == n_legacy))
        return 0;
    qerr_set(err, QE_DATA, "the table '%s' is not in a layout quarry's model store knows "
             "(it lacks the columns name, kind and state)", table);
    qerr_hint(err, "keep it under another name (ALTER TABLE %s RENAME TO old_%s) or remove it "
              "(DROP TABLE %s)", table, table, table);
    return -1;
}

static int
layouts(sqlite3 *db, enum layout lay[2], struct qerr *err)
{
    if (table_layout(db, tables[0], &lay[0], err) < 0 ||
        table_layout(db, tables[1], &lay[1], err) < 0)
        return -1;
    return 0;
}

/* Where name is stored: its table (0 or 1), its name as stored and its kind. */
struct found {
    int t;
    char *name, *kind;
};

static void
found_release(struct found *f)
{
    free(f->name);
    free(f->kind);
}

/* 1 and *f when name is stored, 0 when not, -1 on error. */
static int
find_row(sqlite3 *db, const enum layout lay[2], const char *name, struct found *f,
         struct qerr *err)
{
    memset(f, 0, sizeof *f);
    for (int t = 0; t < 2; t++) {
        if (lay[t] == LAYOUT_NONE)
            continue;
        sqlite3_stmt *st = NULL;
        char *sql = lay[t] == LAYOUT_LEGACY
                        ? sqlite3_mprintf("SELECT transform, '" LEGACY_KIND "' FROM \"%w\" "
                                          "WHERE transform = ?1 COLLATE NOCASE LIMIT 1", tables[t])
                        : sqlite3_mprintf("SELECT name, kind FROM \"%w\" WHERE name = ?1 "
                                          "COLLATE NOCASE LIMIT 1", tables[t]);
        int rc = prepare(db, sql, &st, err);
        sqlite3_free(sql);
        if (rc < 0)
            return -1;
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            f->t = t;
            f->name = col_dup(st, 0);
            f->kind = col_dup(st, 1);
            if (!f->kind)
                f->kind = xstrdup("");
        }
        sqlite3_finalize(st);
        if (f->name)
            return 1;
    }
    return 0;
}

/* "no stored transform named 'x'", with the nearest stored name if one is close. */
static int
not_found(struct catalog *cat, const char *noun, const char *name, struct qerr *err)
{
    struct store_entry *e = NULL;
    int n = 0;
    struct qerr e2 = QERR_INIT;
    store_list(cat, &e, &n, &e2);
    qerr_clear(&e2);
    const char **names = xcalloc((size_t)n + 1, sizeof *names);
    for (int i = 0; i < n; i++)
        names[i] = e[i].name;
    const char *near = catalog_suggest(name, names, n);
    if (near)
        qerr_set(err, QE_NOTFOUND, "no stored %s named '%s'; did you mean '%s'?", noun, name,
                 near);
    else
        qerr_set(err, QE_NOTFOUND, "no stored %s named '%s'", noun, name);
    qerr_hint(err, "models lists what is stored; normalize stores a transform under the name "
              "of the table it writes");
    free(names);
    store_entries_free(e, n);
    return -1;
}

/* --- the old layout ---------------------------------------------------------- */

/*
 * The old rows of transform name as a payload (appended to out), its
 * columns (comma-separated) and methods; -1 with why in problem when a row
 * does not hold what the old layout did.
 */
static int
legacy_payload(sqlite3 *db, const char *name, struct buf *out, struct buf *cols,
               struct buf *methods, struct buf *problem, struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    struct buf rows = BUF_INIT;
    int64_t n = 0;
    int rc = 0;
    /* In the order stored; a workspace's table could have a column named rowid. */
    const char *rid = catalog_rowid_name(db, STORE_TRANSFORMS, NULL, 0, err);
    char *sql = rid ? sqlite3_mprintf("SELECT col, method, center, scale, lo, hi FROM "
                                      STORE_TRANSFORMS " WHERE transform = ?1 COLLATE NOCASE "
                                      "ORDER BY %s", rid)
                    : NULL;
    rc = sql ? prepare(db, sql, &st, err) : -1;
    sqlite3_free(sql);
    if (rc < 0)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        n++;
        for (int i = 0; i < 6 && rc == 0; i++) {
            int type = sqlite3_column_type(st, i);
            if (i < 2 ? type != SQLITE_TEXT : type != SQLITE_FLOAT && type != SQLITE_INTEGER) {
                buf_addf(problem, "row %lld of its old layout holds %s in %s",
                         (long long)n, type == SQLITE_NULL ? "NULL" : "the wrong type",
                         legacy_cols[i + 1]);
                rc = -1;
            }
        }
        if (rc < 0)
            break;
        const char *col = (const char *)sqlite3_column_text(st, 0);
        const char *method = (const char *)sqlite3_column_text(st, 1);
        store_add_str(&rows, col);
        store_add_str(&rows, method);
        for (int i = 2; i < 6; i++)
            store_add_f64(&rows, sqlite3_column_double(st, i));
        buf_addf(cols, "%s%s", cols->len ? "," : "", col);
        if (!strstr(methods->data, method)) /* methods are distinct words */
            buf_addf(methods, "%s%s", methods->len ? ", " : "", method);
    }
    sqlite3_finalize(st);
    if (rc == 0) {
        store_add_i64(out, n);
        buf_add(out, rows.data, rows.len);
    }
    buf_release(&rows);
    return rc;
}

/* The names of the old layout's transforms, in the order first stored. */
static int
legacy_names(sqlite3 *db, char ***names, int *n, struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    *names = NULL;
    *n = 0;
    const char *rid = catalog_rowid_name(db, STORE_TRANSFORMS, NULL, 0, err);
    char *sql = rid ? sqlite3_mprintf("SELECT transform FROM " STORE_TRANSFORMS " WHERE "
                                      "transform IS NOT NULL GROUP BY transform COLLATE NOCASE "
                                      "ORDER BY min(%s)", rid)
                    : NULL;
    int rc = sql ? prepare(db, sql, &st, err) : -1;
    sqlite3_free(sql);
    if (rc < 0)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        *names = xrealloc(*names, (size_t)(*n + 1) * sizeof **names);
        (*names)[(*n)++] = col_dup(st, 0);
    }
    sqlite3_finalize(st);
    return 0;
}

static void
free_names(char **names, int n)
{
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static void
legacy_summary(struct buf *b, const char *methods)
{
    buf_addf(b, "%s (saved by an older quarry)", methods);
}

/* An old transform's problem, in the words store_get uses for a damaged one. */
static int
damaged(struct qerr *err, int is_transform, const char *name, const char *problem)
{
    qerr_set(err, QE_DATA, "%s '%s' is damaged: %s", store_noun(is_transform), name, problem);
    qerr_hint(err, "drop model %s and fit it again; the rest of the workspace is intact", name);
    return -1;
}

/*
 * Rewrite an old-layout quarry_transforms into the store's layout: the
 * same transforms, each now a row with its state in an envelope.
 */
static int
upgrade_legacy(struct catalog *cat, struct qerr *err)
{
    sqlite3 *db = catalog_db(cat);
    char **names = NULL;
    int n = 0, rc = -1;
    struct buf *blobs = NULL, *cols = NULL, *sums = NULL;
    sqlite3_stmt *st = NULL;
    if (legacy_names(db, &names, &n, err) < 0)
        return -1;
    blobs = xcalloc((size_t)n + 1, sizeof *blobs);
    cols = xcalloc((size_t)n + 1, sizeof *cols);
    sums = xcalloc((size_t)n + 1, sizeof *sums);
    for (int i = 0; i < n; i++) {
        struct buf payload = BUF_INIT, methods = BUF_INIT, problem = BUF_INIT;
        buf_init(&blobs[i]);
        buf_init(&cols[i]);
        buf_init(&sums[i]);
        int r = legacy_payload(db, names[i], &payload, &cols[i], &methods, &problem, err);
        if (r == 0) {
            store_wrap(LEGACY_KIND, LEGACY_VERSION, payload.data, payload.len, &blobs[i]);
            legacy_summary(&sums[i], methods.data);
        } else if (problem.len) {
            damaged(err, 1, names[i], problem.data);
            qerr_hint(err, "the first change to an older workspace's transforms rewrites them "
                      "all: drop model %s first, then fit it again", names[i]);
        }
        buf_release(&payload);
        buf_release(&methods);
        buf_release(&problem);
        if (r < 0)
            goto out;
    }
    if (catalog_exec(db, "DROP TABLE " STORE_TRANSFORMS "; CREATE TABLE " STORE_TRANSFORMS
                     SCHEMA, err) < 0 ||
        prepare(db, "INSERT INTO " STORE_TRANSFORMS " (name, kind, cols, summary, state) "
                "VALUES (?1, '" LEGACY_KIND "', ?2, ?3, ?4)", &st, err) < 0)
        goto out;
    for (int i = 0; i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, names[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, cols[i].data, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, sums[i].data, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 4, blobs[i].data, (int)blobs[i].len, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
            goto out;
        }
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    for (int i = 0; i < n; i++) {
        buf_release(&blobs[i]);
        buf_release(&cols[i]);
        buf_release(&sums[i]);
    }
    free(blobs);
    free(cols);
    free(sums);
    free_names(names, n);
    return rc;
}

/* --- put, get, list, drop ------------------------------------------------------ */

/* Now, UTC, as "YYYY-MM-DD HH:MM:SS"; SOURCE_DATE_EPOCH (seconds) stands in when set. */
static void
created_now(char out[32])
{
    time_t t = time(NULL);
    const char *env = getenv("SOURCE_DATE_EPOCH");
    if (env && *env) {
        char *end;
        long long v = strtoll(env, &end, 10);
        if (!*end && v >= 0)
            t = (time_t)v;
    }
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

int
store_put(struct catalog *cat, const struct store_kind *kind, const char *name,
          const struct store_meta *meta, const void *payload, size_t len, struct qerr *err)
{
    sqlite3 *db = catalog_db(cat);
    enum layout lay[2];
    struct found f = {0};
    sqlite3_stmt *st = NULL;
    struct buf blob = BUF_INIT;
    char *sql = NULL, created[32];
    int t = kind->is_transform ? 0 : 1, rc = -1;
    if (layouts(db, lay, err) < 0)
        return -1;
    if (t == 0 && lay[0] == LAYOUT_LEGACY) {
        if (upgrade_legacy(cat, err) < 0)
            return -1;
        lay[0] = LAYOUT_STORE;
    }
    int hit = find_row(db, lay, name, &f, err);
    if (hit < 0)
        goto out;
    if (hit && (f.t != t || strcmp(f.kind, kind->name) != 0)) {
        qerr_set(err, QE_ARG, "'%s' already names a %s %s", f.name, f.kind, store_noun(f.t == 0));
        qerr_hint(err, "drop model %s first, or choose another name", f.name);
        goto out;
    }
    sql = sqlite3_mprintf("CREATE TABLE IF NOT EXISTS \"%w\"" SCHEMA "; "
                          "DELETE FROM \"%w\" WHERE name = %Q COLLATE NOCASE",
                          tables[t], tables[t], name);
    if (catalog_exec(db, sql, err) < 0)
        goto out;
    sqlite3_free(sql);
    sql = sqlite3_mprintf("INSERT INTO \"%w\" (name, kind, source, cols, created, summary, "
                          "state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", tables[t]);
    if (prepare(db, sql, &st, err) < 0)
        goto out;
    store_wrap(kind->name, kind->version, payload, len, &blob);
    created_now(created);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, kind->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, meta ? meta->source : NULL, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, meta ? meta->cols : NULL, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, created, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, meta ? meta->summary : NULL, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(st, 7, blob.data, blob.len, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    sqlite3_free(sql);
    buf_release(&blob);
    found_release(&f);
    return rc;
}

/* The state of a found row, checked: the payload goes into r. */
static int
read_state(sqlite3 *db, const struct store_kind *kind, const struct found *f, enum layout lay,
           struct store_reader *r, struct qerr *err)
{
    const char *noun = store_noun(f->t == 0);
    struct buf what = BUF_INIT, problem = BUF_INIT, payload = BUF_INIT, scratch = BUF_INIT;
    sqlite3_stmt *st = NULL;
    int rc = -1, newer = 0;
    buf_addf(&what, "%s '%s'", noun, f->name);
    if (lay == LAYOUT_LEGACY) {
        if (legacy_payload(db, f->name, &payload, &scratch, &scratch, &problem, err) < 0) {
            if (problem.len)
                damaged(err, f->t == 0, f->name, problem.data);
            goto out;
        }
        store_reader_init(r, payload.data, payload.len, LEGACY_VERSION, what.data, f->name);
        rc = 0;
        goto out;
    }
    char *sql = sqlite3_mprintf("SELECT state FROM \"%w\" WHERE name = ?1 COLLATE NOCASE",
                                tables[f->t]);
    rc = prepare(db, sql, &st, err);
    sqlite3_free(sql);
    if (rc < 0)
        goto out;
    rc = -1;
    sqlite3_bind_text(st, 1, f->name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
        goto out;
    }
    int type = sqlite3_column_type(st, 0);
    const unsigned char *p = NULL;
    size_t len = 0;
    uint32_t version = 0;
    if (type != SQLITE_BLOB) {
        damaged(err, f->t == 0, f->name, type == SQLITE_NULL ? "its state is missing (NULL)"
                                                             : "its state is not a BLOB");
        goto out;
    }
    const void *blob = sqlite3_column_blob(st, 0);
    size_t size = (size_t)sqlite3_column_bytes(st, 0);
    if (store_unwrap(f->kind, blob, size, &p, &len, &version, &newer, &problem) < 0) {
        if (newer) {
            qerr_set(err, QE_DATA, "%s was saved by a newer quarry: %s", what.data,
                     problem.data);
            qerr_hint(err, "open the workspace with that quarry, or drop model %s and fit it "
                      "again", f->name);
        } else {
            damaged(err, f->t == 0, f->name, problem.data);
        }
        goto out;
    }
    if (version > kind->version || version < kind->min_version) {
        qerr_set(err, QE_DATA, "%s holds %s state version %u; this quarry reads versions %u "
                 "to %u", what.data, kind->name, version, kind->min_version, kind->version);
        if (version > kind->version)
            qerr_hint(err, "it was saved by a newer quarry: open the workspace with that "
                      "quarry, or drop model %s and fit it again", f->name);
        else
            qerr_hint(err, "drop model %s and fit it again", f->name);
        goto out;
    }
    store_reader_init(r, p, len, version, what.data, f->name);
    rc = 0;
out:
    sqlite3_finalize(st);
    buf_release(&what);
    buf_release(&problem);
    buf_release(&payload);
    buf_release(&scratch);
    return rc;
}

int
store_get(struct catalog *cat, const struct store_kind *kind, const char *name,
          struct store_reader *r, struct qerr *err)
{
    sqlite3 *db = catalog_db(cat);
    enum layout lay[2];
    struct found f;
    memset(r, 0, sizeof *r);
    if (layouts(db, lay, err) < 0)
        return -1;
    int hit = find_row(db, lay, name, &f, err);
    int rc = -1;
    if (hit == 0)
        not_found(cat, store_noun(kind->is_transform), name, err);
    else if (hit > 0 && strcmp(f.kind, kind->name) != 0) {
        qerr_set(err, QE_ARG, "'%s' is a %s %s, not a %s %s", f.name, f.kind,
                 store_noun(f.t == 0), kind->name, store_noun(kind->is_transform));
        qerr_hint(err, "models lists each stored name with its kind");
    } else if (hit > 0)
        rc = read_state(db, kind, &f, lay[f.t], r, err);
    found_release(&f);
    return rc;
}

static int
cmp_entry(const void *a, const void *b)
{
    return strcasecmp(((const struct store_entry *)a)->name,
                      ((const struct store_entry *)b)->name);
}

/* Append the old layout's transforms to *e. */
static int
list_legacy(sqlite3 *db, struct store_entry **e, int *n, struct qerr *err)
{
    char **names = NULL;
    int m = 0;
    if (legacy_names(db, &names, &m, err) < 0)
        return -1;
    int rc = 0;
    for (int i = 0; i < m && rc == 0; i++) {
        struct buf payload = BUF_INIT, cols = BUF_INIT, methods = BUF_INIT, problem = BUF_INIT;
        rc = legacy_payload(db, names[i], &payload, &cols, &methods, &problem, err);
        if (rc < 0 && problem.len)
            rc = 0;
        *e = xrealloc(*e, (size_t)(*n + 1) * sizeof **e);
        struct store_entry *x = &(*e)[(*n)++];
        memset(x, 0, sizeof *x);
        x->name = names[i];
        names[i] = NULL;
        x->kind = xstrdup(LEGACY_KIND);
        x->is_transform = 1;
        x->cols = cols.len ? buf_detach(&cols) : NULL;
        if (problem.len) {
            x->problem = buf_detach(&problem);
        } else {
            struct buf s = BUF_INIT;
            legacy_summary(&s, methods.data);
            x->summary = buf_detach(&s);
            x->version = LEGACY_VERSION;
            x->size = (long long)payload.len;
        }
        buf_release(&payload);
        buf_release(&cols);
        buf_release(&methods);
        buf_release(&problem);
    }
    free_names(names, m);
    return rc;
}

int
store_list(struct catalog *cat, struct store_entry **out, int *n, struct qerr *err)
{
    sqlite3 *db = catalog_db(cat);
    enum layout lay[2];
    struct store_entry *e = NULL;
    int m = 0, rc = 0;
    *out = NULL;
    *n = 0;
    if (layouts(db, lay, err) < 0)
        return -1;
    for (int t = 0; t < 2 && rc == 0; t++) {
        if (lay[t] == LAYOUT_LEGACY) {
            rc = list_legacy(db, &e, &m, err);
            continue;
        }
        if (lay[t] != LAYOUT_STORE)
            continue;
        sqlite3_stmt *st = NULL;
        char *sql = sqlite3_mprintf("SELECT name, kind, source, cols, created, summary, state, "
                                    "typeof(state) FROM \"%w\"", tables[t]);
        rc = prepare(db, sql, &st, err);
        sqlite3_free(sql);
        while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
            e = xrealloc(e, (size_t)(m + 1) * sizeof *e);
            struct store_entry *x = &e[m++];
            memset(x, 0, sizeof *x);
            x->name = col_dup(st, 0);
            x->kind = col_dup(st, 1);
            if (!x->name)
                x->name = xstrdup("");
            if (!x->kind)
                x->kind = xstrdup("");
            x->source = col_dup(st, 2);
            x->cols = col_dup(st, 3);
            x->created = col_dup(st, 4);
            x->summary = col_dup(st, 5);
            x->is_transform = t == 0;
            /* The type first: reading the bytes of a number would convert it. */
            int type = sqlite3_column_type(st, 6);
            const unsigned char *p = sqlite3_column_blob(st, 6);
            x->size = sqlite3_column_bytes(st, 6);
            size_t len;
            int newer;
            struct buf problem = BUF_INIT;
            if (type != SQLITE_BLOB)
                buf_addf(&problem, "its state is %s",
                         type == SQLITE_NULL ? "missing (NULL)" : "not a BLOB");
            else
                store_unwrap(x->kind, p, (size_t)x->size, &p, &len, &x->version, &newer,
                             &problem);
            if (problem.len)
                x->problem = buf_detach(&problem);
            buf_release(&problem);
        }
        sqlite3_finalize(st);
    }
    if (rc < 0) {
        store_entries_free(e, m);
        return -1;
    }
    if (m > 1)
        qsort(e, (size_t)m, sizeof *e, cmp_entry);
    *out = e;
    *n = m;
    return 0;
}

void
store_entry_release(struct store_entry *e)
{
    free(e->name);
    free(e->kind);
    free(e->source);
    free(e->cols);
    free(e->created);
    free(e->summary);
    free(e->problem);
    memset(e, 0, sizeof *e);
}

void
store_entries_free(struct store_entry *e, int n)
{
    for (int i = 0; e && i < n; i++)
        store_entry_release(&e[i]);
    free(e);
}

int
store_drop(struct catalog *cat, const char *name, struct store_entry *dropped,
           struct qerr *err)
{
    sqlite3 *db = catalog_db(cat);
    enum layout lay[2];
    struct found f;
    if (dropped)
        memset(dropped, 0, sizeof *dropped);
    if (layouts(db, lay, err) < 0)
        return -1;
    int hit = find_row(db, lay, name, &f, err);
    if (hit <= 0) {
        if (hit == 0)
            not_found(cat, "model or transform", name, err);
        return -1;
    }
    /* The old layout needs no rewrite to lose a transform: its rows go. */
    char *sql = sqlite3_mprintf("DELETE FROM \"%w\" WHERE %s = %Q COLLATE NOCASE", tables[f.t],
                                lay[f.t] == LAYOUT_LEGACY ? "transform" : "name", f.name);
    int rc = catalog_exec(db, sql, err);
    sqlite3_free(sql);
    if (rc == 0 && dropped) {
        dropped->name = f.name;
        dropped->kind = f.kind;
        dropped->is_transform = f.t == 0;
        f.name = f.kind = NULL;
    }
    found_release(&f);
    return rc;
}
