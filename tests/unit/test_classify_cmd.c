/*
 * test_classify_cmd.c: what the classification commands share
 * (commands/cmd_classify.h) that no built method reaches yet: a method
 * that cannot take missing values (takes_missing 0, as logreg, knn and
 * svm) is refused rows with a missing feature, with the columns that hold
 * them and the remedy named; a method that takes them is not.
 *
 * Plan: t(a REAL, b TEXT, y TEXT) with a NULL in a (row 2) and in b
 * (rows 2 and 3): 2 rows lack a value, in 'a' and 'b'.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmd_classify.h"
#include "classify/nb.h"

int
main(void)
{
    struct catalog *cat = NULL;
    struct qerr e = QERR_INIT;
    if (catalog_open(&cat, &e) < 0)
        return 1;
    catalog_exec(catalog_db(cat),
                 "CREATE TABLE t(a REAL, b TEXT, y TEXT);"
                 "INSERT INTO t VALUES (1, 'p', 'x'), (NULL, NULL, 'y'), (3, NULL, 'x'), "
                 "(4, 'q', 'y');",
                 &e);
    static const char *const cols[] = {"a", "b", "y"};
    struct clf_rows r = {0};
    CHECK_OK(frame_read(cat, "t", cols, 3, 0, NULL, NULL, &r.f, &e), e);
    r.own_enc = 1;
    CHECK_OK(encoding_fit(r.f, 2, NULL, 1, &r.enc, &e), e);
    CHECK_OK(encoding_apply(&r.enc, r.f, 1, NULL, NULL, &r.x, &e), e);
    struct cls_method strict = cls_nb;
    strict.name = "strict";
    strict.takes_missing = 0;
    CHECK(clf_check_missing(&strict, &r, "t", &e) < 0 && e.code == QE_DATA);
    CHECK_STR(e.msg, "strict cannot take missing values: 2 rows of 't' lack a value in 'a', "
                     "'b'");
    CHECK_HAS(e.hint, "clean t missing=median");
    qerr_clear(&e);
    CHECK_OK(clf_check_missing(&cls_nb, &r, "t", &e), e);
    clf_rows_release(&r);
    catalog_free(cat);
    return check_done("test_classify_cmd");
}
