/*
 * classify.c: the list of classification methods and their default
 * options (the contract is in classify.h).
 */
#include "classify/classify.h"

#include <string.h>

#include "classify/nb.h"
#include "classify/seqnn.h"
#include "classify/wavenet.h" /* wavelet */

#include "base/banned.h"

void
cls_opts_default(struct cls_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 0;
    o->threads = 0;
    o->alpha = 1.0;
    o->var_smoothing = 1e-9;
    o->priors = NULL;
    o->c = 1.0;
    o->tol = 1e-4;
    o->max_iter = 0; /* 0: the method's own default (logreg 100, svm 1000) */
    o->criterion = CLS_GINI;
    o->maxdepth = 0;
    o->minleaf = 1;
    o->minsplit = 2;
    o->trees = 100;
    o->features = 0;
    o->k = 5;
    o->weights = CLS_UNIFORM;
    o->embed = 16;
    o->hidden = 32;
    o->layers = 1;
    o->epochs = 30;
    o->batch = 64;
    o->lr = 0.005;
    o->patience = 5;
    o->classweights = 1;
}

/*
 * Each method file defines its const struct cls_method cls_NAME; add one
 * line here (the extern and the entry) when a method lands.
 */
extern const struct cls_method cls_logreg, cls_svm, cls_knn;
extern const struct cls_method cls_tree, cls_forest;
extern const struct cls_method cls_rules; /* rulecls.h */

const struct cls_method *const cls_methods[] = {
    &cls_nb,
    &cls_logreg,
    &cls_tree,
    &cls_forest,
    &cls_knn,
    &cls_svm,
    &cls_rules,
    &cls_rnn, &cls_lstm, &cls_gru,
    &cls_wavelet, /* wavenet.h */
    NULL,
};

const struct cls_method *
cls_method_find(const char *name)
{
    for (int i = 0; cls_methods[i]; i++)
        if (strcmp(cls_methods[i]->name, name) == 0)
            return cls_methods[i];
    return NULL;
}
