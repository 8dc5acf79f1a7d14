/*
 * test_keys.c: key-like columns (prep/keys.h): each rule of the header on
 * a column it must catch, and measurements it must leave alone, from
 * names and from values built here (20 rows, the rule's minimum).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "prep/keys.h"

static struct catalog *cat;

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

/* The verdict on column col of table t. */
static enum prep_key
verdict(const char *col)
{
    struct qerr err = QERR_INIT;
    struct frame *f = NULL;
    enum prep_key why = PREP_KEY_NONE;
    CHECK_INT(frame_read(cat, "t", &col, 1, 0, NULL, NULL, &f, &err), 0);
    if (f)
        CHECK_INT(prep_key_like(f, 0, NULL, NULL, &why, &err), 0);
    frame_release(f);
    qerr_clear(&err);
    return why;
}

static void
test_keys(void)
{
    /*
     * 20 rows (i = 1..20): row numbers, ids by name, and measurements:
     * amount (reals, all distinct), qty (whole numbers, 5 distinct),
     * big (whole numbers, 19 distinct of 20: 95%, under 99%), paid (reals
     * named like ...id), valid (0/1, named like ...id: whole numbers).
     */
    sql("CREATE TABLE t (n INTEGER, customer_id INTEGER, CustomerID INTEGER, orderKey TEXT,"
        " \"zip-code\" TEXT, id REAL, userid INTEGER, amount REAL, qty INTEGER, big INTEGER,"
        " paid REAL, valid INTEGER, email TEXT, city TEXT, few INTEGER, grid INTEGER,"
        " codes INTEGER);"
        "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 20)"
        " INSERT INTO t SELECT i * 7, i % 3, i % 3, 'k' || (i % 2), 'z', i % 2, i % 4,"
        " i + 0.5, i % 5, CASE WHEN i = 20 THEN 100 ELSE i * 100 END, i + 0.25, i % 2,"
        " 'u' || i || '@x.org', 'c' || (i % 4), i, i % 6, i % 3 FROM c;"
        "INSERT INTO t (n) VALUES (NULL);");
    CHECK_INT(verdict("n"), PREP_KEY_DISTINCT_VALUES);    /* rule 3: row numbers */
    CHECK_INT(verdict("customer_id"), PREP_KEY_NAME);     /* rule 1 */
    CHECK_INT(verdict("CustomerID"), PREP_KEY_NAME);      /* rule 1, by case */
    CHECK_INT(verdict("orderKey"), PREP_KEY_NAME);        /* rule 1, text */
    CHECK_INT(verdict("zip-code"), PREP_KEY_NAME);        /* rule 1 */
    CHECK_INT(verdict("id"), PREP_KEY_NAME);              /* rule 1 */
    CHECK_INT(verdict("userid"), PREP_KEY_NAME);          /* rule 2 */
    CHECK_INT(verdict("valid"), PREP_KEY_NAME);           /* rule 2 catches it too */
    CHECK_INT(verdict("paid"), PREP_KEY_NONE);            /* reals: rule 2 needs whole numbers */
    CHECK_INT(verdict("amount"), PREP_KEY_NONE);          /* reals, however distinct */
    CHECK_INT(verdict("qty"), PREP_KEY_NONE);
    CHECK_INT(verdict("big"), PREP_KEY_NONE);             /* 95% distinct */
    CHECK_INT(verdict("email"), PREP_KEY_DISTINCT_VALUES); /* text, all distinct */
    CHECK_INT(verdict("city"), PREP_KEY_NONE);
    CHECK_INT(verdict("grid"), PREP_KEY_NAME);            /* ends in id, whole numbers */
    CHECK_INT(verdict("codes"), PREP_KEY_NONE);           /* not the word code */

    /* Under 20 values rule 3 says nothing: 19 distinct numbers. */
    sql("CREATE TABLE s (n INTEGER);"
        "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 19)"
        " INSERT INTO s SELECT i FROM c;");
    struct qerr err = QERR_INIT;
    struct frame *f = NULL;
    enum prep_key why = PREP_KEY_NAME;
    const char *col = "n";
    CHECK_INT(frame_read(cat, "s", &col, 1, 0, NULL, NULL, &f, &err), 0);
    if (f)
        CHECK_INT(prep_key_like(f, 0, NULL, NULL, &why, &err), 0);
    CHECK_INT(why, PREP_KEY_NONE);
    frame_release(f);
    CHECK_STR(prep_key_reason(NULL, 0, PREP_KEY_NAME), "named like a key");
}

/* train's default features leave out the columns whose last word is id, uuid or guid */
static void
test_id_names(void)
{
    CHECK(prep_key_id_name("customer_id"));
    CHECK(prep_key_id_name("CustomerID"));
    CHECK(prep_key_id_name("orderId"));
    CHECK(prep_key_id_name("order-uuid"));
    CHECK(prep_key_id_name("id"));
    CHECK(prep_key_id_name("session GUID"));
    CHECK(!prep_key_id_name("valid"));     /* ends in id, but the word is valid */
    CHECK(!prep_key_id_name("paid"));
    CHECK(!prep_key_id_name("zip_code"));  /* a code can be a category worth learning */
    CHECK(!prep_key_id_name("identity"));
    CHECK(!prep_key_id_name("id_score"));  /* the last word decides */
}

int
main(void)
{
    struct qerr err = QERR_INIT;
    if (catalog_open(&cat, &err) < 0) {
        fprintf(stderr, "catalog_open: %s\n", err.msg);
        return 1;
    }
    test_keys();
    test_id_names();
    catalog_free(cat);
    return check_done("test_keys");
}
