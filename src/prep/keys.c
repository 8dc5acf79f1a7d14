/*
 * keys.c: prep_key_like, key-like columns (keys.h).
 */
#include "prep/keys.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "base/tick.h"
#include "prep/vcount.h"

#include "base/banned.h"

static const char *const key_words[] = {"id", "key", "code", "uuid", "guid"};
static const char *const label_words[] = {"class", "label", "target", "cluster", "segment",
                                          "outcome", "species", "y"};

/* The last word of name is one of the n words (rules 1 and 4). */
static int
last_word_in(const char *name, const char *const *words, size_t n_words)
{
    size_t len = strlen(name), start = len;
    while (start > 0 && !isalnum((unsigned char)name[start - 1]))
        start--;
    size_t end = start;
    while (start > 0 && isalnum((unsigned char)name[start - 1])) {
        /* customerId, CustomerID: a capital after a lower-case letter starts the word */
        if (isupper((unsigned char)name[start - 1]) && start >= 2 &&
            islower((unsigned char)name[start - 2])) {
            start--;
            break;
        }
        start--;
    }
    for (size_t i = 0; i < n_words; i++)
        if (end - start == strlen(words[i]) && strncasecmp(name + start, words[i], end - start) == 0)
            return 1;
    return 0;
}

#define LAST_WORD_IN(name, words) last_word_in(name, words, sizeof words / sizeof words[0])

int
prep_key_id_name(const char *name)
{
    static const char *const id_words[] = {"id", "uuid", "guid"};
    return LAST_WORD_IN(name, id_words);
}

static int
ends_in_id(const char *name)
{
    size_t len = strlen(name);
    return len > 2 && strcasecmp(name + len - 2, "id") == 0;
}

static int
whole_numbers(const struct frame *f, int j)
{
    if (f->kind[j] != FRAME_NUM || f->n_nonnum[j] > 0)
        return 0;
    const double *x = frame_col(f, j);
    for (long long r = 0; r < f->n_rows; r++)
        if (!isnan(x[r]) && x[r] != floor(x[r]))
            return 0;
    return 1;
}

/*
 * Distinct values among the n non-missing ones of numeric column j, counted
 * in a hash table (vcount.h), no sort. The count may stop early, once it
 * can no longer change the decision: when no rule 3 can hold (more than 1%
 * of the values repeat one before them) and rule 4 either does not apply
 * (label 0) or is already out (more than PREP_KEY_LABEL_MAX distinct);
 * *out is then the count so far.
 */
static int
distinct_numbers(const struct frame *f, int j, long long n, int label, struct tick *t,
                 long long *out, struct qerr *err)
{
    const double *x = frame_col(f, j);
    struct vcount h;
    vcount_init(&h, "clean");
    long long seen = 0, c;
    for (long long r = 0; r < f->n_rows; r++) {
        if (tick_row(t, r, f->n_rows)) {
            vcount_release(&h);
            return tick_fail(err);
        }
        if (isnan(x[r]))
            continue;
        if (vcount_add(&h, x[r], &c, err) < 0) {
            vcount_release(&h);
            return -1;
        }
        seen++;
        /* at most n less the repeats so far can be distinct: rule 3's test */
        if ((double)(n - (seen - (long long)h.used)) < PREP_KEY_DISTINCT * (double)n &&
            (!label || (long long)h.used > PREP_KEY_LABEL_MAX))
            break;
    }
    *out = (long long)h.used;
    vcount_release(&h);
    return 0;
}

int
prep_key_like(const struct frame *f, int j, int (*progress)(void *, double), void *pctx,
              enum prep_key *why, struct qerr *err)
{
    struct tick tk;
    tick_init(&tk, progress, pctx);
    int whole = whole_numbers(f, j);
    *why = PREP_KEY_NONE;
    if (LAST_WORD_IN(f->names[j], key_words) || (ends_in_id(f->names[j]) && whole)) {
        *why = PREP_KEY_NAME;
        return 0;
    }
    long long n = f->n_rows - f->n_missing[j], distinct = 0;
    int label = whole && LAST_WORD_IN(f->names[j], label_words);
    if ((n < PREP_KEY_MIN_VALUES && !label) || (f->kind[j] == FRAME_NUM && !whole))
        return 0;
    if (f->kind[j] == FRAME_TEXT)
        distinct = f->n_levels[j];
    else if (distinct_numbers(f, j, n, label, &tk, &distinct, err) < 0)
        return -1;
    if (label && distinct <= PREP_KEY_LABEL_MAX)
        *why = PREP_KEY_LABEL;
    else if (n >= PREP_KEY_MIN_VALUES && (double)distinct >= PREP_KEY_DISTINCT * (double)n)
        *why = PREP_KEY_DISTINCT_VALUES;
    return 0;
}

const char *
prep_key_reason(const struct frame *f, int j, enum prep_key why)
{
    if (why == PREP_KEY_NAME)
        return "named like a key";
    if (why == PREP_KEY_LABEL)
        return "named like a class label, a few whole numbers";
    if (why == PREP_KEY_DISTINCT_VALUES)
        return f->kind[j] == FRAME_TEXT ? "text, nearly every value distinct"
                                        : "whole numbers, nearly every value distinct";
    return "";
}
