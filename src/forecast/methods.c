/*
 * methods.c: the list of forecasting methods (forecast.h), the classical
 * ones and, listed so help and the command can name them, the neural ones
 * of issue 17 that are not built yet (fit NULL).
 */
#include "forecast/forecast.h"

#include <string.h>

#include "base/banned.h"

#define NOT_BUILT(v, n)                                                                        \
    static const struct fc_method v = {.name = n, .what = "neural network (not built yet)"}
NOT_BUILT(fc_mlp, "mlp");
NOT_BUILT(fc_cnn, "cnn");
NOT_BUILT(fc_rnn, "rnn");
NOT_BUILT(fc_lstm, "lstm");
NOT_BUILT(fc_gru, "gru");
NOT_BUILT(fc_wavelet, "wavelet");

const struct fc_method *const fc_methods[] = {
    &fc_naive, &fc_snaive, &fc_drift, &fc_mean, &fc_ses, &fc_holt, &fc_holtwinters, &fc_theta,
    &fc_arima,
    &fc_mlp, &fc_cnn, &fc_rnn, &fc_lstm, &fc_gru, &fc_wavelet, NULL,
};

const struct fc_method *
fc_method_find(const char *name)
{
    for (int i = 0; fc_methods[i]; i++)
        if (strcmp(fc_methods[i]->name, name) == 0)
            return fc_methods[i];
    return NULL;
}
