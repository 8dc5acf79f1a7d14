/*
 * test_groups.c: group ids from a frame column: small-range integers
 * (direct table), spread-out reals (sorted), text (sorted dictionary),
 * NULL keys, and the key column written back by groups_out.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "prep/groups.h"

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

static void
test_groups(void)
{
    struct qerr err = QERR_INIT;
    struct frame *f = NULL;
    struct groups g;
    sql("CREATE TABLE t (i INTEGER, r REAL, s TEXT);"
        "INSERT INTO t VALUES (7, 1e9, 'pear'), (3, 5, 'apple'), (NULL, NULL, NULL),"
        "(7, 5, 'pear'), (5, -2.5, 'fig');");
    CHECK_INT(frame_read(cat, "t", NULL, 0, 0, NULL, NULL, &f, &err), 0);
    if (!f)
        return;
    CHECK_INT(groups_init(&g, f, 0, NULL, NULL, &err), 0);
    CHECK_INT(g.n_groups, 3);
    CHECK_INT(g.n_missing, 1);
    CHECK_INT(g.id[0], 2);
    CHECK_INT(g.id[1], 0);
    CHECK_INT(g.id[2], -1);
    CHECK_INT(g.id[3], 2);
    CHECK_INT(g.id[4], 1);
    CHECK_NEAR(g.key_num[1], 5, 0);
    struct frame_out out;
    void *store = NULL;
    const int32_t ids[] = {2, 0};
    CHECK_INT(groups_out(&g, ids, 2, "i", CATALOG_INTEGER, &out, &store, &err), 0);
    CHECK_INT(out.decl, CATALOG_INTEGER);
    CHECK_NEAR(out.num[0], 7, 0);
    CHECK_NEAR(out.num[1], 3, 0);
    free(store);
    groups_release(&g);

    CHECK_INT(groups_init(&g, f, 1, NULL, NULL, &err), 0);
    CHECK_INT(g.n_groups, 3);
    CHECK_INT(g.id[0], 2);
    CHECK_INT(g.id[1], 1);
    CHECK_INT(g.id[3], 1);
    CHECK_INT(g.id[4], 0);
    CHECK_NEAR(g.key_num[0], -2.5, 0);
    groups_release(&g);

    CHECK_INT(groups_init(&g, f, 2, NULL, NULL, &err), 0);
    CHECK_INT(g.n_groups, 3);
    CHECK(g.is_text);
    CHECK_STR(g.key_text[0], "apple");
    CHECK_STR(g.key_text[2], "pear");
    CHECK_INT(g.id[0], 2);
    CHECK_INT(g.id[2], -1);
    CHECK_INT(g.id[4], 1);
    CHECK_INT(groups_out(&g, ids, 2, "s", CATALOG_TEXT, &out, &store, &err), 0);
    CHECK_STR(out.text[0], "pear");
    CHECK_STR(out.text[1], "apple");
    free(store);
    groups_release(&g);
    frame_release(f);
}

int
main(void)
{
    struct qerr err = QERR_INIT;
    if (catalog_open(&cat, &err) < 0) {
        fprintf(stderr, "catalog_open: %s\n", err.msg);
        return 1;
    }
    test_groups();
    catalog_free(cat);
    return check_done("test_groups");
}
