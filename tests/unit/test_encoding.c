/*
 * test_encoding.c: table columns into classifier rows (src/classify/encoding.h)
 * and trained models in the model store (src/classify/model.h).
 *
 * Plan:
 *   1. train(age REAL, city TEXT, buys TEXT): one-hot city gives features
 *      age, city=Berlin, city=Paris, city=Wien (levels sorted); the
 *      classes are no, yes (sorted); a row without a target is skipped
 *      and counted; a NULL city is NaN in its three features
 *   2. applied to other rows: an unseen city (Rome) is all zeros and
 *      counted; a label the model does not know (maybe) is skipped and
 *      counted; level codes (nb) give the index, NaN for unseen
 *   3. a numeric target: classes 2, 10 sorted by value (not "10" < "2")
 *   4. save and load: the same encoding; a model stored, loaded and
 *      used again gives the same bits; a damaged state is QE_DATA
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "classify/encoding.h"
#include "classify/model.h"
#include "classify/nb.h"
#include "data/catalog.h"
#include "data/frame.h"

static struct frame *
read(struct catalog *cat, const char *t, const char *const *cols, int n)
{
    struct qerr e = QERR_INIT;
    struct frame *f = NULL;
    CHECK_OK(frame_read(cat, t, cols, n, 0, NULL, NULL, &f, &e), e);
    return f;
}

static void
test_onehot(struct catalog *cat)
{
    struct qerr e = QERR_INIT;
    static const char *const cols[] = {"age", "city", "buys"};
    struct frame *f = read(cat, "tr", cols, 3);
    struct encoding enc;
    CHECK_OK(encoding_fit(f, 2, NULL, 1, &enc, &e), e);
    CHECK_INT(enc.p, 4);
    CHECK_STR(enc.names[0], "age");
    CHECK_STR(enc.names[1], "city=Berlin");
    CHECK_STR(enc.names[3], "city=Wien");
    CHECK_INT(enc.nclass, 2);
    CHECK_STR(enc.classes[0], "no");
    CHECK_STR(enc.classes[1], "yes");
    struct encoding_rows x;
    CHECK_OK(encoding_apply(&enc, f, 1, NULL, NULL, &x, &e), e);
    CHECK_INT(x.d.n, 5);
    CHECK_INT(x.n_no_target, 1);
    /* Row 0: 30, Wien, yes. */
    CHECK_NEAR(x.x[0], 30, 0);
    CHECK_NEAR(x.x[1] + x.x[2], 0, 0);
    CHECK_NEAR(x.x[3], 1, 0);
    CHECK_INT(x.y[0], 1);
    /* Row 4 (frame row 5, the 4th kept): NULL city. */
    CHECK_INT(x.rows[4], 5);
    CHECK(isnan(x.x[4 * 4 + 1]) && isnan(x.x[4 * 4 + 3]));
    struct buf miss = BUF_INIT;
    CHECK_INT(encoding_missing(&enc, &x, &miss), 1);
    CHECK_STR(miss.data, "'city'");
    buf_release(&miss);
    encoding_rows_release(&x);
    frame_release(f);

    f = read(cat, "te", cols, 3);
    CHECK_OK(encoding_apply(&enc, f, 1, NULL, NULL, &x, &e), e);
    CHECK_INT(x.d.n, 2);
    CHECK_INT(x.n_unseen, 1);
    CHECK_INT(x.n_other_class, 1);
    CHECK_STR(x.other_example, "maybe");
    CHECK_NEAR(x.x[1] + x.x[2] + x.x[3], 0, 0); /* Rome: all zeros */
    encoding_rows_release(&x);

    /* Saved and read back: the same features and classes. */
    struct buf b = BUF_INIT;
    encoding_save(&enc, &b);
    struct store_reader r;
    store_reader_init(&r, b.data, b.len, 1, "model 'm'", "m");
    struct encoding back;
    CHECK_OK(encoding_load(&r, &back, &e), e);
    CHECK_OK(store_read_end(&r, &e), e);
    store_reader_release(&r);
    CHECK_INT(back.p, 4);
    CHECK_STR(back.names[2], "city=Paris");
    CHECK_STR(back.classes[1], "yes");
    encoding_release(&back);
    for (size_t cut = 0; cut < b.len; cut += 5) {
        store_reader_init(&r, b.data, cut, 1, "model 'm'", "m");
        struct qerr e2 = QERR_INIT;
        CHECK(encoding_load(&r, &back, &e2) < 0 && e2.code == QE_DATA);
        qerr_clear(&e2);
        store_reader_release(&r);
    }
    buf_release(&b);
    encoding_release(&enc);

    /* Level codes: Berlin 0, Paris 1, Wien 2; Rome unseen is NaN. */
    struct frame *ft = read(cat, "tr", cols, 3);
    CHECK_OK(encoding_fit(ft, 2, NULL, 0, &enc, &e), e);
    CHECK_INT(enc.p, 2);
    CHECK_OK(encoding_apply(&enc, f, 0, NULL, NULL, &x, &e), e);
    CHECK_INT(x.d.n, 3);
    CHECK(x.y == NULL);
    CHECK(isnan(x.x[1]));          /* Rome */
    CHECK_NEAR(x.x[3], 1, 0);      /* Paris */
    CHECK_NEAR(x.x[5], 2, 0);      /* Wien */
    CHECK_INT(x.categorical[1], 1);
    CHECK_INT(x.levels[1], 3);
    encoding_rows_release(&x);
    encoding_release(&enc);
    frame_release(ft);
    frame_release(f);
}

static void
test_numeric_target(struct catalog *cat)
{
    struct qerr e = QERR_INIT;
    static const char *const cols[] = {"v", "k"};
    struct frame *f = read(cat, "num", cols, 2);
    struct encoding enc;
    CHECK_OK(encoding_fit(f, 1, NULL, 1, &enc, &e), e);
    CHECK_INT(enc.nclass, 2);
    CHECK_STR(enc.classes[0], "2");
    CHECK_STR(enc.classes[1], "10");
    CHECK_INT(encoding_class_find(&enc, "10"), 1);
    CHECK_INT(encoding_class_find(&enc, "10.0"), 1);
    CHECK_INT(encoding_class_find(&enc, "3"), -1);
    encoding_release(&enc);
    frame_release(f);
}

static void
test_store(struct catalog *cat)
{
    struct qerr e = QERR_INIT;
    static const char *const cols[] = {"age", "city", "buys"};
    struct frame *f = read(cat, "tr", cols, 3);
    struct model m = {.method = &cls_nb, .n_train = 5};
    m.params = strdup("alpha=1");
    struct encoding_rows x;
    CHECK_OK(encoding_fit(f, 2, NULL, 0, &m.enc, &e), e);
    CHECK_OK(encoding_apply(&m.enc, f, 1, NULL, NULL, &x, &e), e);
    struct cls_opts o;
    cls_opts_default(&o);
    CHECK_OK(cls_nb.fit(&x.d, &o, NULL, &m.state, &e), e);
    double p1[10], p2[10];
    CHECK_OK(model_predict(&m, &x.d, p1, NULL, &e), e);
    CHECK_OK(model_save(cat, "m1", &m, "tr", "a test", &e), e);
    char kind[STORE_KIND_MAX + 1];
    CHECK_INT(model_stored(cat, "M1", kind, &e), 1);
    CHECK_STR(kind, "nb");
    struct model back;
    CHECK_OK(model_load(cat, "m1", &back, &e), e);
    CHECK_OK(model_predict(&back, &x.d, p2, NULL, &e), e);
    CHECK(memcmp(p1, p2, sizeof(double) * 2 * x.d.n) == 0);
    CHECK_STR(back.params, "alpha=1");
    struct buf show = BUF_INIT;
    CHECK_OK(model_show(&back, "m1", &show, &e), e);
    CHECK_HAS(show.data, "classes: 0=no 1=yes");
    CHECK_HAS(show.data, "city (categorical, 3 levels)");
    buf_release(&show);
    model_release(&back);
    /* Nothing there: not found. */
    CHECK(model_load(cat, "m2", &back, &e) < 0 && e.code == QE_NOTFOUND);
    qerr_clear(&e);
    model_release(&back);
    /* A damaged state: a data error naming the model. */
    catalog_exec(catalog_db(cat),
                 "UPDATE quarry_models SET state = substr(state, 1, length(state) - 9) "
                 "WHERE name = 'm1'", &e);
    CHECK(model_load(cat, "m1", &back, &e) < 0 && e.code == QE_DATA);
    CHECK_HAS(e.msg, "m1");
    qerr_clear(&e);
    model_release(&back);
    model_release(&m);
    encoding_rows_release(&x);
    frame_release(f);
}

int
main(void)
{
    struct catalog *cat = NULL;
    struct qerr e = QERR_INIT;
    if (catalog_open(&cat, &e) < 0)
        return 1;
    catalog_exec(catalog_db(cat),
                 "CREATE TABLE tr(age REAL, city TEXT, buys TEXT);"
                 "INSERT INTO tr VALUES (30, 'Wien', 'yes'), (40, 'Paris', 'no'), "
                 "(25, 'Wien', NULL), (35, 'Berlin', 'yes'), (50, 'Paris', 'no'), "
                 "(45, NULL, 'no');"
                 "CREATE TABLE te(age REAL, city TEXT, buys TEXT);"
                 "INSERT INTO te VALUES (33, 'Rome', 'yes'), (41, 'Paris', 'no'), "
                 "(20, 'Wien', 'maybe');"
                 "CREATE TABLE num(v REAL, k INTEGER);"
                 "INSERT INTO num VALUES (1, 10), (2, 2), (3, 10);",
                 &e);
    test_onehot(cat);
    test_numeric_target(cat);
    test_store(cat);
    catalog_free(cat);
    return check_done("test_encoding");
}
