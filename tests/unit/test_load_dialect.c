/*
 * test_load_dialect.c: the CSV dialect of load.h ("Missing-value
 * markers", "Dialect", the header rules' report): what analysts' files
 * look like rather than what RFC 4180 says.
 *
 * Plan:
 *   1. markers: the default list is NULL in columns of numbers or dates
 *      and counted; text columns keep them; na= sets the list, na="" none
 *   2. the delimiter sniffed: ; tab |, the comma preferred on a tie, a
 *      single column left alone, decimal=',' takes the comma out
 *   3. skip=N, a trailing delimiter on every line, onerror=pad
 *   4. decimal=',' reads 1,50 as 1.5
 *   5. the hint after a ragged record: skip=N, delim=, onerror=pad
 *   6. the header line names the rule that decided
 * Each runs in one thread and again with the rows parsed on a second
 * thread in batches of 3 (load_opts.batch_rows). Expected values are
 * written out by hand from the inputs.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "sqlhelp.h"
#include "data/load.h"

static int batch_rows; /* load_opts.batch_rows of every load */

/* Options for one load: the fields of load_opts a test sets. */
struct dialect {
    const char *na;
    char delim, decimal;
    int skip, pad, skip_bad, header;
};

static struct load_result res;
static struct qerr err = QERR_INIT;

/*
 * Load s as a .csv file into a fresh database's table t with d; returns
 * the database (the caller closes it) and sets *rc. res and err hold
 * what load_file said.
 */
static sqlite3 *
load_with(const char *s, const struct dialect *d, int *rc)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/quarry_dialect_XXXXXX.csv");
    int fd = mkstemps(path, 4);
    if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s))
        exit(2);
    close(fd);
    sqlite3 *db = sql_fresh();
    struct load_opts o;
    load_opts_init(&o);
    o.path = path;
    o.table = "t";
    o.batch_rows = batch_rows;
    o.na = d->na;
    o.delim = d->delim;
    o.decimal = d->decimal;
    o.skip_lines = d->skip;
    o.pad_short = d->pad;
    o.skip_bad = d->skip_bad;
    o.header = d->header ? d->header : -1;
    load_result_release(&res);
    load_result_init(&res);
    qerr_clear(&err);
    sqlite3_exec(db, "SAVEPOINT test", NULL, NULL, NULL);
    *rc = load_file(db, &o, &res, &err);
    if (*rc < 0)
        sqlite3_exec(db, "ROLLBACK TO test", NULL, NULL, NULL);
    sqlite3_exec(db, "RELEASE test", NULL, NULL, NULL);
    unlink(path);
    return db;
}

/* "name TYPE, ..." of t. */
static const char *
schema(sqlite3 *db)
{
    static char out[1024];
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    out[0] = '\0';
    sqlite3_prepare_v2(db, "SELECT name, type FROM pragma_table_info('t')", -1, &st, NULL);
    while (sqlite3_step(st) == SQLITE_ROW)
        n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s %s", n ? ", " : "",
                              sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    return out;
}

/* ---- 1. markers ------------------------------------------------------- */

static void
test_markers(void)
{
    static const struct dialect plain = {0};
    int rc;
    /* the column: n/a, NULL, -, nan among numbers; ? and NA too; empty */
    const char *s = "id,val,note\n1,3.5,a\n2,n/a,NA\n3,NULL,b\n4,-,c\n5,nan,d\n6,,e\n"
                    "7,2.5,?\n8, NA ,f\n9,?,g\n";
    sqlite3 *db = load_with(s, &plain, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(schema(db), "id INTEGER, val REAL, note TEXT");
    CHECK_STR(cell(db, "SELECT count(val) FROM t"), "integer:2");
    CHECK_STR(cell(db, "SELECT sum(val) FROM t"), "real:6");
    /* 6 markers (n/a NULL - nan NA ?); the empty field is just empty */
    CHECK_HAS(res.summary.data, "missing: 6 markers of a missing value");
    /* the text column keeps its NA and ? as text */
    CHECK_STR(cell(db, "SELECT note FROM t WHERE id = 2"), "text:NA");
    CHECK_STR(cell(db, "SELECT note FROM t WHERE id = 7"), "text:?");
    sqlite3_close(db);

    /* na= only: the markers are text again, and so is the column */
    static const struct dialect none = {.na = ""};
    db = load_with(s, &none, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(schema(db), "id INTEGER, val TEXT, note TEXT");
    CHECK_STR(cell(db, "SELECT val FROM t WHERE id = 4"), "text:-");
    CHECK(!strstr(res.summary.data, "missing:"));
    sqlite3_close(db);

    /* a list of one's own: "missing" and "-1" (a number that means missing) */
    static const struct dialect own = {.na = "missing, -1"};
    db = load_with("k,v\n1,5\n2,missing\n3,-1\n4,NA\n", &own, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(schema(db), "k INTEGER, v TEXT"); /* NA is not on this list: text */
    sqlite3_close(db);
    db = load_with("k,v\n1,5\n2,missing\n3,-1\n4,7\n", &own, &rc);
    CHECK_STR(schema(db), "k INTEGER, v INTEGER");
    CHECK_STR(cell(db, "SELECT group_concat(ifnull(v, 'null'), ' ') FROM t"),
              "text:5 null -1 7"); /* -1 is a number before it is a marker */
    CHECK_HAS(res.summary.data, "missing: 1 marker ");
    sqlite3_close(db);

    /* dates: a marker among dates is NULL, the column stays a date column */
    db = load_with("d,x\n2024-01-01,a\nN/A,b\n2024-01-03,c\n", &plain, &rc);
    CHECK_STR(schema(db), "d DATE_TEXT, x TEXT");
    CHECK_STR(cell(db, "SELECT d FROM t WHERE x = 'b'"), "null");
    sqlite3_close(db);

    /* a late marker, past the first sample: the whole-file types still hold */
    struct buf b = BUF_INIT;
    buf_adds(&b, "k,v\n");
    for (int i = 1; i <= 3000; i++)
        buf_addf(&b, i == 2999 ? "%d,n/a\n" : "%d,%d\n", i, i);
    db = load_with(b.data, &plain, &rc);
    CHECK_STR(schema(db), "k INTEGER, v INTEGER");
    CHECK_STR(cell(db, "SELECT count(*) FROM t WHERE v IS NULL"), "integer:1");
    CHECK_HAS(res.summary.data, "missing: 1 marker ");
    buf_release(&b);
    sqlite3_close(db);
}

/* ---- 2. the delimiter ------------------------------------------------- */

static void
test_sniff(void)
{
    static const struct dialect plain = {0};
    int rc;
    sqlite3 *db = load_with("a;b;c\n1;2,5;x\n3;4,5;y\n", &plain, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(schema(db), "a INTEGER, b TEXT, c TEXT");
    sqlite3_close(db);
    db = load_with("a\tb\n1\t2\n3\t4\n", &plain, &rc);
    CHECK_STR(schema(db), "a INTEGER, b INTEGER");
    sqlite3_close(db);
    db = load_with("a|b\n1|2\n3|4\n", &plain, &rc);
    CHECK_STR(schema(db), "a INTEGER, b INTEGER");
    sqlite3_close(db);
    /* , and ; split every line evenly: the comma wins the tie */
    db = load_with("a,b;c\n1,2;3\n", &plain, &rc);
    CHECK_STR(schema(db), "a INTEGER, b;c TEXT");
    sqlite3_close(db);
    /* a ; inside quotes does not split */
    db = load_with("a,b\n\"x;y\",1\n\"z;w\",2\n", &plain, &rc);
    CHECK_STR(schema(db), "a TEXT, b INTEGER");
    sqlite3_close(db);
    /* one column: nothing splits it, the comma it is */
    db = load_with("name\nann\nbob\n", &plain, &rc);
    CHECK_STR(schema(db), "name TEXT");
    CHECK_INT(res.n_rows, 2);
    sqlite3_close(db);
    /* a ; file with decimal commas: the comma would split rows 1-2 but not the header */
    db = load_with("x;y\n1,5;2\n3,25;4\n", &plain, &rc);
    CHECK_STR(schema(db), "x TEXT, y INTEGER");
    sqlite3_close(db);
    /* a delimiter given is taken as given */
    static const struct dialect semi = {.delim = ';'};
    db = load_with("a,b\n1,2\n", &semi, &rc);
    CHECK_STR(schema(db), "a,b TEXT");
    sqlite3_close(db);
}

/* ---- 3. skip, trailing delimiter, pad --------------------------------- */

static void
test_skip_trail_pad(void)
{
    int rc;
    static const struct dialect skip2 = {.skip = 2};
    sqlite3 *db = load_with("Sales report\nmade 2024-05-01, by hand\nk,v\n1,2\n3,4\n", &skip2, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(schema(db), "k INTEGER, v INTEGER");
    CHECK_INT(res.n_rows, 2);
    sqlite3_close(db);
    /* line numbers still count from the top of the file */
    db = load_with("title\nnotes\nk,v\n1,2\n3,4,5\n", &skip2, &rc);
    CHECK_INT(rc, -1);
    CHECK_HAS(err.msg, "line 5: 3 fields, expected 2");
    sqlite3_close(db);
    static const struct dialect skip9 = {.skip = 9};
    db = load_with("a\nb\n", &skip9, &rc);
    CHECK_INT(rc, -1);
    CHECK_HAS(err.msg, "has nothing left to load after skip=9 lines");
    sqlite3_close(db);

    /* every line ends in the delimiter (World Bank files): the empty last field goes */
    static const struct dialect plain = {0};
    db = load_with("a,b,\n1,2,\n3,4,\n", &plain, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(schema(db), "a INTEGER, b INTEGER");
    sqlite3_close(db);
    /* the header without it, the rows with it */
    db = load_with("a,b\n1,2,\n3,4,\n", &plain, &rc);
    CHECK_STR(schema(db), "a INTEGER, b INTEGER");
    CHECK_STR(cell(db, "SELECT sum(b) FROM t"), "integer:6");
    sqlite3_close(db);
    /* a last column that is sometimes filled is a column */
    db = load_with("a,b,c\n1,2,\n3,4,x\n", &plain, &rc);
    CHECK_STR(schema(db), "a INTEGER, b INTEGER, c TEXT");
    sqlite3_close(db);

    /* onerror=pad: a short row gets NULLs; a long one is still an error */
    static const struct dialect pad = {.pad = 1};
    db = load_with("a,b,c\n1,2,3\n4\n5,6\n7,8,9\n", &pad, &rc);
    CHECK_INT(rc, 0);
    CHECK_INT(res.n_rows, 4);
    CHECK_STR(cell(db, "SELECT count(*) FROM t WHERE c IS NULL"), "integer:2");
    CHECK_STR(cell(db, "SELECT count(*) FROM t WHERE b IS NULL"), "integer:1");
    CHECK_HAS(res.summary.data, "padded 2 short rows with NULL");
    sqlite3_close(db);
    db = load_with("a,b\n1,2\n3,4,5\n", &pad, &rc);
    CHECK_INT(rc, -1);
    CHECK_HAS(err.msg, "line 3: 3 fields, expected 2");
    sqlite3_close(db);
    /* a padded row whose value does not fit its column: the types are found again */
    struct buf b = BUF_INIT;
    buf_adds(&b, "a,b,c\n");
    for (int i = 1; i <= 3000; i++) /* past the sample */
        buf_addf(&b, "%d,%d,%d\n", i, i, i);
    buf_adds(&b, "x,2\n52,52,52\n");
    db = load_with(b.data, &pad, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(schema(db), "a TEXT, b INTEGER, c INTEGER");
    CHECK_INT(res.n_rows, 3002);
    CHECK_HAS(res.summary.data, "padded 1 short row with NULL");
    buf_release(&b);
    sqlite3_close(db);
}

/* ---- 4. decimal comma ------------------------------------------------- */

static void
test_decimal(void)
{
    int rc;
    static const struct dialect dec = {.decimal = ','};
    sqlite3 *db = load_with("x;y;z\n1,50;2;a\n-3,25;4;b\n,5;7;c\n", &dec, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(schema(db), "x REAL, y INTEGER, z TEXT");
    CHECK_STR(cell(db, "SELECT x FROM t WHERE z = 'a'"), "real:1.5");
    CHECK_STR(cell(db, "SELECT x FROM t WHERE z = 'b'"), "real:-3.25");
    CHECK_STR(cell(db, "SELECT x FROM t WHERE z = 'c'"), "real:0.5");
    sqlite3_close(db);
    /* two commas, or a comma and a point: not a number */
    db = load_with("x;y\n1,5;a\n1,000,5;b\n", &dec, &rc);
    CHECK_STR(schema(db), "x TEXT, y TEXT");
    sqlite3_close(db);
    /* the comma cannot be both */
    static const struct dialect both = {.decimal = ',', .delim = ','};
    db = load_with("x\n1\n", &both, &rc);
    CHECK_INT(rc, -1);
    CHECK_HAS(err.msg, "with decimal=',' the fields cannot be separated by ','");
    sqlite3_close(db);
}

/* ---- 5. hints --------------------------------------------------------- */

static void
test_hints(void)
{
    int rc;
    static const struct dialect plain = {0};
    /* a title of 5 fields over rows of 14 */
    struct buf b = BUF_INIT;
    buf_adds(&b, "150,4,setosa,versicolor,virginica\n");
    for (int i = 0; i < 30; i++)
        buf_addf(&b, "%d,1,2,3,4,5,6,7,8,9,10,11,12,13\n", i);
    sqlite3 *db = load_with(b.data, &plain, &rc);
    CHECK_INT(rc, -1);
    CHECK_HAS(err.msg, "line 2: 14 fields, expected 5; line 1 looks like a title or note above "
                       "the table: load with skip=1");
    CHECK(!strstr(err.msg, "onerror=skip"));
    sqlite3_close(db);
    /* onerror=skip there: most rows skipped, and the summary says why */
    static const struct dialect skip = {.skip_bad = 1};
    db = load_with(b.data, &skip, &rc);
    CHECK_INT(rc, 0);
    CHECK_INT(res.n_skipped, 30);
    CHECK_HAS(res.summary.data, "most rows were skipped: line 1 looks like a title");
    sqlite3_close(db);
    buf_release(&b);

    /* two lines of notes (and a blank one) above the table */
    db = load_with("Data Source,WDI\n\nLast Updated,2024\nk,v,w\n1,2,3\n4,5,6\n", &plain, &rc);
    CHECK_INT(rc, -1);
    CHECK_HAS(err.msg, "line 4: 3 fields, expected 2; lines 1-3 look like a title or notes "
                       "above the table: load with skip=3");
    sqlite3_close(db);

    /* a delimiter given that does not fit: the one that splits every line evenly */
    static const struct dialect comma = {.delim = ','};
    db = load_with("name;city\nSmith, Bob;Paris\nLee;Rome\nDoe, J;Oslo\n", &comma, &rc);
    CHECK_INT(rc, -1);
    CHECK_HAS(err.msg, "line 2: 2 fields, expected 1; every line has 2 fields when split at "
                       "';': load with delim=';'");
    sqlite3_close(db);

    /* the same with quotes: the comma splits after a closing quote */
    db = load_with("name;city\n\"Smith, Bob\";Paris\nLee;Rome\n\"Doe, J\";Oslo\n", &comma, &rc);
    CHECK_INT(rc, -1);
    CHECK_HAS(err.msg, "line 2: text after the closing quote of field 1; every line has 2 "
                       "fields when split at ';': load with delim=';'");
    sqlite3_close(db);

    /* a short row: onerror=pad */
    db = load_with("a,b,c\n1,2,3\n4,5\n6,7,8\n", &plain, &rc);
    CHECK_INT(rc, -1);
    CHECK_HAS(err.msg, "line 3: 2 fields, expected 3; fix that row, or load with onerror=pad");
    sqlite3_close(db);
    /* a long one: fix it */
    db = load_with("a,b\n1,2\n4,5,6\n6,7\n", &plain, &rc);
    CHECK_HAS(err.msg, "line 3: 3 fields, expected 2; fix that row or load with onerror=skip");
    sqlite3_close(db);
}

/* ---- 6. the header line ----------------------------------------------- */

static void
test_header_rules(void)
{
    int rc;
    static const struct dialect plain = {0};
    sqlite3 *db = load_with("id,name\n1,ann\n", &plain, &rc);
    CHECK_HAS(res.summary.data, "header: yes (detected: names over columns of numbers or dates;");
    sqlite3_close(db);
    db = load_with("Country,1990,1991\nChad,1,2\n", &plain, &rc);
    CHECK_HAS(res.summary.data, "header: yes (detected: names and consecutive years");
    CHECK_STR(schema(db), "Country TEXT, 1990 INTEGER, 1991 INTEGER");
    sqlite3_close(db);
    db = load_with("color,size\nred,big\nblue,small\n", &plain, &rc);
    CHECK_HAS(res.summary.data, "header: yes (detected: no value of the first row appears again");
    sqlite3_close(db);
    db = load_with("red,big\nblue,small\nred,small\n", &plain, &rc);
    CHECK_HAS(res.summary.data, "header: no (detected: a value of the first row appears again");
    sqlite3_close(db);
    db = load_with("1,2\n3,4\n", &plain, &rc);
    CHECK_HAS(res.summary.data, "header: no (detected: the first row has the columns' types;");
    sqlite3_close(db);
    /* sklearn's boston_house_prices.csv: counts, then the names, then numbers */
    db = load_with("3,2,\n\"A\",\"B\",\"C\"\n0.5,18,1\n0.25,0,2\n1.5,3,3\n", &plain, &rc);
    CHECK_HAS(res.summary.data, "header: no (detected: the first row is not all names;");
    CHECK_HAS(res.summary.data, "line 2 looks like the header, under a line of notes: load "
                                "with skip=1\n");
    sqlite3_close(db);
    db = load_with("x,y\n1,2\n3,4\n", &plain, &rc);
    CHECK(!strstr(res.summary.data, "looks like the header"));
    sqlite3_close(db);
    db = load_with("a,a,,b\n1,2,3,4\n", &plain, &rc);
    CHECK_HAS(res.summary.data, "column names made unique: 'a' again as 'a_2', column 3 has no "
                                "name: 'col3'\n");
    sqlite3_close(db);
}

static void
dialect_tests(void)
{
    test_markers();
    test_sniff();
    test_skip_trail_pad();
    test_decimal();
    test_hints();
    test_header_rules();
}

int
main(void)
{
    load_result_init(&res);
    batch_rows = -1;
    dialect_tests();
    batch_rows = 3;
    dialect_tests();
    load_result_release(&res);
    qerr_clear(&err);
    return check_done("test_load_dialect");
}
