/*
 * knn.h: k nearest neighbours; the method `knn` of classify.h.
 *
 * What `explain knn` can say:
 *
 *   k-NN keeps the training rows and classifies a row by the classes of
 *   the k=5 training rows nearest to it (Euclidean distance on the
 *   features as they are: put features on one scale first, with
 *   normalize, or the feature with the widest range decides alone).
 *   weights=uniform gives each neighbour one vote, so P(class) is the
 *   share of the k neighbours in it; weights=distance gives each a vote
 *   of 1/distance, and when some neighbours sit at distance 0 they alone
 *   vote, one each (scikit-learn's rule). The predicted class is the one
 *   with the largest share, the first in class order on a tie. When two
 *   training rows are equally far from a row, the earlier training row is
 *   the nearer (as scikit-learn's brute force search orders them).
 *   Distances are computed by blocks with BLAS (|a|^2 - 2 a.b + |b|^2 on
 *   rows less the training mean) to find the candidates, then exactly,
 *   feature by feature, for every row that could be among the k nearest,
 *   so the rounding of the fast formula never changes which rows are
 *   chosen. With at most 10 features (and 256 training rows or more) a
 *   k-d tree is searched instead, which skips whole boxes of rows that
 *   cannot hold a nearer one and chooses the same rows. Prediction runs
 *   on threads= threads.
 */
#ifndef QUARRY_KNN_H
#define QUARRY_KNN_H

#include "classify/classify.h"

extern const struct cls_method cls_knn;
extern const struct store_kind knn_kind;

/* How the neighbours are searched for: KNN_AUTO chooses (a k-d tree for
 * at most 10 features and 256 training rows or more, else brute force). */
enum knn_search { KNN_AUTO, KNN_BRUTE, KNN_TREE };

/*
 * Search model's neighbours as how says from now on (tests and the bench
 * compare the two; both give the same rows). 0, or -1 with err set
 * (QE_NOMEM; the model then has no search and must be released).
 */
int knn_set_search(void *model, enum knn_search how, struct qerr *err);

/* k, the weighting and the number of training rows of a model. */
void knn_params(const void *model, int *k, enum cls_weights *weights, size_t *n_train);

/*
 * The k nearest training rows of each of the n rows of x (p features
 * each, the model's p): idx n x k training row numbers, nearest first
 * (the lower row number first among equal distances), dist n x k their
 * Euclidean distances (either may be NULL). 0, or -1 with err set
 * (QE_NOMEM, QE_ARG for a feature count that is not the model's).
 */
int knn_neighbors(const void *model, const double *x, size_t n, size_t p, int *idx,
                  double *dist, struct qerr *err);

#endif
