/*
 * methods.c: the list of forecasting methods (forecast.h), the classical
 * ones and the neural ones (fc_nn.h).
 */
#include "forecast/forecast.h"
#include "forecast/fc_nn.h"

#include <string.h>

#include "base/banned.h"

const struct fc_method *const fc_methods[] = {
    &fc_naive, &fc_snaive, &fc_drift, &fc_mean, &fc_ses, &fc_holt, &fc_holtwinters, &fc_theta,
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
