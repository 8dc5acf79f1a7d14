/*
 * wavenet.h: the wavelet-network classifier, model=wavelet
 * (docs/METHODS.md B): the features z-score standardised with the
 * training rows' mean and sd (n-1; a constant feature reads as 0), a
 * hidden layer of wavelet units (nn.h: u_j = (z w_j - t_j) / d_j,
 * y_j = psi(u_j), the Mexican hat psi(u) = (1 - u^2) exp(-u^2/2), weights,
 * translation and dilation learned), and a dense softmax over the classes:
 *   p = softmax(psi(u) V + c)
 * trained by gradient descent (Adam, lr) on the mean cross-entropy
 * -log p_y, in batches of batch rows, the order shuffled each epoch from
 * the seed; epochs passes, no early stopping. After each epoch the model
 * records the epoch's mean training loss and its accuracy on the training
 * rows (wavenet_history; train writes them to MODEL_loss). Initialisation
 * and shuffles come from the seed: the same seed gives the same model.
 * Missing values are refused (the command says clean fills them).
 */
#ifndef QUARRY_WAVENET_H
#define QUARRY_WAVENET_H

#include "classify/classify.h"

extern const struct cls_method cls_wavelet;
extern const struct store_kind wavelet_kind;

#endif
