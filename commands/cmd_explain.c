/*
 * cmd_explain.c: `explain TOPIC`, how a method works: the formula, the rule
 * and the conventions quarry follows, for teaching and for checking a
 * result by hand. Topics are the methods below; any command without a
 * topic of its own falls back to its help.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"

#include "remote.h"
#include "base/banned.h"

struct topic {
    const char *name;
    const char *text;
};

static const struct topic topics[] = {
    {"clean",
     "clean repairs a table in three steps, in this order.\n"
     "1. dates=COL: every value is parsed as a date in one of the usual layouts and written\n"
     "   as ISO 8601 (YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss when any value has a time). d/m/y\n"
     "   is read day first unless a value has a second field above 12. A value that is not\n"
     "   a real calendar date (30/02/2023, 'last week') becomes NULL and is counted.\n"
     "2. dedupe=yes: of rows equal in every column (NULL equals NULL), the first is kept.\n"
     "3. missing=: for each column of cols with missing values (NULL, or text in a numeric\n"
     "   column), drop the row, or fill with\n"
     "     mean    (1/n) sum x_i over the values present\n"
     "     median  the middle value (linear interpolation at rank (n-1)/2)\n"
     "     mode    the most frequent value; ties go to the one that sorts first\n"
     "     value:X the constant X\n"
     "     knn     the mean of column c over the k nearest rows that have c, by\n"
     "             d(a,b) = sqrt(T/P * sum over shared coordinates (a_j - b_j)^2)\n"
     "             where T counts the features and P those present in both rows\n"
     "   Text columns always take their mode."},
    {"outliers",
     "A value x is an outlier when it lies outside the bounds of its column:\n"
     "  iqr     [q1 - k (q3 - q1), q3 + k (q3 - q1)]   Tukey's fences, k = 1.5\n"
     "  zscore  |x - mean| / sd > k                     sd with n-1, k = 3\n"
     "  mad     |x - median| / (1.4826 MAD) > k         MAD = median |x - median|, k = 3\n"
     "1.4826 = 1 / Phi^-1(3/4) makes 1.4826 MAD estimate sd for normal data. The mad rule\n"
     "resists the outliers it looks for; zscore is pulled by them (a huge value inflates\n"
     "sd). action=flag writes 1/0, clip replaces x by the bound it crossed, drop removes\n"
     "the row."},
    {"normalize",
     "normalize fits one transform per column and stores (center, scale, lo, hi):\n"
     "  minmax  y = lo + (x - min) / (max - min) * (hi - lo)    default [lo, hi] = [-1, 1]\n"
     "  zscore  y = (x - mean) / sd                             sd with n-1\n"
     "  robust  y = (x - median) / (q3 - q1)\n"
     "  log     y = ln(1 + x)                                   x > -1\n"
     "The inverse (denormalize) is x = min + (y - lo) / (hi - lo) * (max - min),\n"
     "x = mean + y sd, x = median + y IQR, x = e^y - 1. Scaling matters for every\n"
     "distance-based method: without it the column with the largest range decides the\n"
     "distances alone. A constant column has max = min (or sd = 0) and is refused."},
    {"encode",
     "encode turns a category column into numbers.\n"
     "  onehot   one 0/1 column per category: x_c = 1 if the row's value is c\n"
     "  ordinal  one column of ranks 0..L-1 of the categories in sorted order\n"
     "One-hot keeps categories equidistant (every pair differs in two coordinates);\n"
     "ordinal invents an order, which suits trees but misleads distances."},
    {"split",
     "split labels rows train / valid / test. Counts: n_i = floor(n r_i), then the rows\n"
     "left over go one each to the shares with the largest remainders n r_i - n_i, so\n"
     "the counts add up to n. Random: a seeded Fisher-Yates shuffle, then the first n_1\n"
     "rows are train, the next n_2 valid, the rest test. stratify=COL does this within\n"
     "each value of COL. by=time:COL sorts by COL instead of shuffling: the model is\n"
     "trained on the past and tested on the future, as a forecast will be used."},
    {"rfm",
     "RFM describes each customer by three numbers from the order log:\n"
     "  recency    days from the customer's last order to the as-of date (lower is better)\n"
     "  frequency  number of orders\n"
     "  monetary   total amount spent\n"
     "Each becomes a score 1..5 by quintile of rank: values ranked ascending (ties in\n"
     "customer order), rank r of n in bin ceil(5 r / n); recency is reversed, so the most\n"
     "recent fifth scores 5. The segment comes from R and F alone:\n"
     "  champions R5 F4-5        loyal customers R3-4 F4-5   potential loyalists R4-5 F2-3\n"
     "  new customers R5 F1      promising R4 F1             need attention R3 F3\n"
     "  about to sleep R3 F1-2   at risk R1-2 F3-4           can't lose them R1-2 F5\n"
     "  hibernating R2 F1-2      lost R1 F1-2\n"
     "Cluster the three (scaled) numbers when the segments should come from the data\n"
     "rather than from this fixed grid: normalize ... method=zscore, then cluster."},
    {"series",
     "series turns dated rows into a regular time series: each row falls in the period\n"
     "(day, ISO week from Monday, month, quarter, year) holding its date; the value is\n"
     "the sum, mean or count of the period's rows; every period from the first to the\n"
     "last is present in every group, an empty one holding 0 (fill=zero) or NULL\n"
     "(fill=null). Forecasting models need this: a missing month is not a month with\n"
     "the same value as the last one."},
    {"sessions",
     "sessions splits each user's events, in time order, into sessions: a pause longer\n"
     "than gap (30 minutes by default) starts a new one. A browsing session is one\n"
     "without a purchase. Per user it counts views, carts, wishlists and purchases and\n"
     "assigns the behaviour type by the first rule that holds:\n"
     "  preference-driven  at least 2 wishlist events and wishlists >= 0.10 x views\n"
     "  deterministic      no browsing session, or one view per browsing session\n"
     "  habitual           views per browsing session < 1.8 and browsing sessions per\n"
     "                     month < 1.75; or >= 3 purchase sessions, >= 60% of them\n"
     "                     starting in the same hour, and views per browsing session < 2.2\n"
     "  simple             otherwise\n"
     "Customer groups (0/1 columns): transacted, carted, wishlisted (any such event), and\n"
     "high_turnover, many_carts, many_wishlists: purchase, cart or wishlist count at or\n"
     "above the upper quartile of the users who have any. The thresholds were set on the\n"
     "sample shop, whose planted types they recover for 94% of users."},
    {"sample",
     "sample draws n of N rows without replacement by a partial Fisher-Yates shuffle:\n"
     "for i = 0..n-1 swap row i with a uniformly drawn row of i..N-1. Every subset of\n"
     "size n is equally likely. stratify=COL allocates n to the groups in proportion,\n"
     "n_g = n N_g / N rounded by largest remainder, and draws within each."},
    {"kmeans",
     "K-means (Lloyd): centres at the means of their rows.\n"
     "Objective: J = sum over rows i of ||x_i - c_(label i)||^2 (the inertia).\n"
     "Start: k centres (init=kmeans++ | random | first; see explain kmeans++).\n"
     "Repeat: 1. assign each row to its nearest centre (squared Euclidean distance;\n"
     "           ties go to the lower centre number);\n"
     "        2. move each centre to the mean of its rows: c_j = (1/n_j) sum of x_i.\n"
     "Each step can only lower J, so it converges (to a local minimum). quarry stops\n"
     "when no label changes, when sum_j ||c_j(new) - c_j(old)||^2 <= tol x the mean\n"
     "column variance, or at maxiter; restarts=N keeps the start with the lowest J.\n"
     "An empty cluster takes the row farthest from its centre.\n"
     "Fast form of the distance: ||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2, and ||x||^2\n"
     "is the same for every centre, so the nearest centre minimises ||c||^2 - 2 x.c.\n"
     "Scale matters: a column in thousands outweighs one in units; normalise first."},
    {"kmedians",
     "K-medians: Manhattan distance, centres at coordinate medians.\n"
     "Objective: J = sum over rows of sum over columns |x_iq - c_(label i)q| (L1).\n"
     "Assign each row to the centre at the smallest Manhattan distance, then set each\n"
     "coordinate of a centre to the median of its rows' values in that column (the\n"
     "mean of the two middle values for an even count): the median minimises a sum\n"
     "of absolute deviations, so J never rises. Less moved by outliers than k-means.\n"
     "cluster ... method=kmedians, or method=kmeans distance=manhattan."},
    {"cosine",
     "Spherical k-means: direction, not length.\n"
     "cos(x, c) = x.c / (||x|| ||c||), 1 for the same direction, 0 at right angles.\n"
     "Rows are scaled to length 1; each is assigned to the centre with the largest\n"
     "cosine; a centre becomes the mean of its rows scaled back to length 1.\n"
     "Objective: J = sum of (1 - cos(x_i, c_(label i))). For unit vectors\n"
     "||x - c||^2 = 2 - 2 cos(x, c), so the nearest centre is the most similar.\n"
     "cluster ... distance=cosine. Rows of zeros have no direction (cosine 0)."},
    {"kmedoids",
     "K-medoids: k rows as centres, any Minkowski distance.\n"
     "Objective: J = sum over rows of d(x_i, nearest medoid), d any Minkowski distance\n"
     "(distance=manhattan p=1, euclidean p=2, minkowski with p=). The centres are rows\n"
     "of the table (medoids), so a centre is always a real customer, and no mean is\n"
     "needed: any distance works. Start: k-means++ rows. Then PAM-style swaps: for\n"
     "each row x and each medoid m, the change of J if x replaced m is found in one\n"
     "scan (each row's nearest and second-nearest medoid are kept); an improving swap\n"
     "is made at once. It stops when a whole pass finds no improving swap. A pass\n"
     "costs O(n^2): up to 20,000 rows."},
    {"hierarchical",
     "Agglomerative clustering: a tree of merges.\n"
     "Start with every row its own cluster; repeatedly merge the two closest clusters\n"
     "until one is left, recording each merge and its height (the distance merged at).\n"
     "Cutting the tree below its last k - 1 merges gives k clusters. Linkage, the\n"
     "distance between clusters A and B (rows compared by Euclidean distance):\n"
     "  single    min over a in A, b in B of d(a, b) (chains along thin bridges);\n"
     "  complete  max d(a, b) (compact clusters);\n"
     "  average   mean of d(a, b) over all pairs (UPGMA);\n"
     "  ward      sqrt(2 |A||B| / (|A| + |B|)) ||mean A - mean B||: merges the pair that\n"
     "            raises the within-cluster sum of squares least (like k-means).\n"
     "quarry updates distances by the Lance-Williams formulas and finds merges with the\n"
     "nearest-neighbour chain, as SciPy: O(n^2) time and memory, up to 20,000 rows.\n"
     "trace=yes writes the merge table for a dendrogram."},
    {"distances",
     "Minkowski, Euclidean, Manhattan and cosine distances.\n"
     "Minkowski, order p >= 1: d(x, y) = (sum over columns |x_q - y_q|^p)^(1/p).\n"
     "  p = 2: Euclidean, d = sqrt(sum (x_q - y_q)^2), the straight line;\n"
     "  p = 1: Manhattan, d = sum |x_q - y_q|, along the axes;\n"
     "  p -> infinity: the largest single difference (Chebyshev).\n"
     "Cosine distance: 1 - x.y / (||x|| ||y||), the angle, blind to length.\n"
     "k-means minimises squared Euclidean distance (mean centres), k-medians the\n"
     "Manhattan distance (median centres), spherical k-means the cosine distance."},
    {"kmeans++",
     "K-means++ seeding: D^2 sampling.\n"
     "The first centre is a row drawn uniformly. Each next centre is a row drawn with\n"
     "probability D(x)^2 / sum D^2, where D(x) is the row's distance to the nearest\n"
     "centre chosen so far: far rows are likely, rows on a centre never. The expected\n"
     "J of the start is within O(log k) of the optimum (Arthur and Vassilvitskii,\n"
     "2007). The draws come from the seeded generator: the same seed, the same start."},
    {"dbscan",
     "DBSCAN: clusters as dense regions, noise as -1.\n"
     "Parameters: eps (a radius) and minpts. The neighbourhood of x is every row\n"
     "within distance eps of x, x included. x is a core row if it has >= minpts\n"
     "neighbours. A cluster is what can be reached from a core row through chains of\n"
     "core rows, plus the border rows (not core, within eps of a core row) they touch.\n"
     "Rows in no cluster are noise, label -1. The number of clusters is found, not\n"
     "given. quarry grows clusters from core rows in row order (as scikit-learn), so a\n"
     "border row near two clusters joins the one found first. Neighbours come from a\n"
     "k-d tree. Without eps, quarry sorts each row's distance to its minpts-th\n"
     "nearest row and takes the knee of that curve.\n"
     "Quality indices: noise is no cluster, so the value column of silhouette,\n"
     "Davies-Bouldin, Calinski-Harabasz and inertia leaves the noise rows out (the\n"
     "output says how many). The with_noise column counts them as one more cluster,\n"
     "as scikit-learn's silhouette_score(X, labels_) does, which scores -1 like any\n"
     "label: noise spread between clusters lowers it (iris at eps=0.5: silhouette\n"
     "0.735 without the 17 noise rows, 0.486 with them)."},
    {"silhouette",
     "The silhouette: how well each row sits in its cluster.\n"
     "For row i: a = mean distance to the other rows of its cluster, b = the smallest\n"
     "mean distance to the rows of another cluster; s_i = (b - a) / max(a, b), from\n"
     "-1 (closer to another cluster) to 1 (well inside its own); 0 for a row alone in\n"
     "its cluster. The silhouette is the mean of s_i. It costs O(n^2): above 10,000\n"
     "rows quarry uses a seeded sample of 10,000 and says so."},
    {"indices",
     "Davies-Bouldin, Calinski-Harabasz and inertia.\n"
     "Inertia: sum of squared distances of rows to their cluster's centroid.\n"
     "Davies-Bouldin: s_j = mean distance of cluster j's rows to its centroid c_j;\n"
     "  DB = (1/k) sum over j of max over l != j of (s_j + s_l) / ||c_j - c_l||.\n"
     "  Lower is better: tight clusters far apart.\n"
     "Calinski-Harabasz: B = sum_j n_j ||c_j - mean||^2 (between), W = inertia\n"
     "  (within); CH = (B / (k - 1)) / (W / (n - k)). Higher is better."},
    {"score",
     "ARI, NMI and purity: a clustering against known classes.\n"
     "Adjusted Rand index: over all pairs of rows, how often the two labellings agree\n"
     "(same group in both, or different in both), corrected so chance gives about 0\n"
     "and the same partition gives 1, whatever the label names.\n"
     "NMI: the mutual information I(L; T) of labels and classes divided by the mean\n"
     "of their entropies (H(L) + H(T)) / 2; 0 = independent, 1 = the same.\n"
     "Purity: each cluster votes for its most common class; the share of rows in the\n"
     "winning class. Purity rises with k (k = n gives 1), so read it with ARI."},
    {"elbow",
     "The elbow: choosing k.\n"
     "Inertia always falls as k grows, fast while k is below the natural number of\n"
     "groups, slowly after it. elbow runs k-means for each k and takes the knee: the\n"
     "k whose point lies farthest below the straight line from the first to the last\n"
     "point (both axes scaled to 0..1; the difference curve of Kneedle, Satopaa et al.\n"
     "2011). The line depends on the range: a range that stops soon after the natural\n"
     "k tilts it and moves the knee left, so let the range run well past the k you\n"
     "expect (the default is 2..12). Compare it with the k of highest silhouette\n"
     "(k=1 has none)."},
    {"forecast",
     "forecast: fit on all but the last holdout periods of each series, predict them\n"
     "and horizon periods beyond, score the holdout.\n"
     "  naive   yhat(T+h) = y(T)                          sd s sqrt(h)\n"
     "  snaive  yhat(T+h) = y(T+h-m(k+1)), k = (h-1) div m  sd s sqrt(k+1)\n"
     "  drift   yhat(T+h) = y(T) + h (y(T) - y(1)) / (T-1) sd s sqrt(h (1 + h/(T-1)))\n"
     "  mean    yhat(T+h) = mean of y(1..T)               sd s sqrt(1 + 1/T)\n"
     "  ses, holt, holtwinters: explain holtwinters; theta: explain theta.\n"
     "  arima: explain arima.\n"
     "  mlp, cnn, rnn, lstm, gru, wavelet: explain cnn, lstm, gru, wavelet, intervals.\n"
     "s^2 is the mean squared one-step residual of the fit; the interval is\n"
     "yhat +- z sd, z the normal quantile at (1 + level) / 2.\n"
     "Scores over the holdout (a actual, p predicted): R Pearson's correlation;\n"
     "MAE mean |a-p|; RMSE sqrt(mean (a-p)^2); MAPE 100 mean |a-p|/|a| (a != 0);\n"
     "sMAPE 200 mean |a-p|/(|a|+|p|); MASE MAE / mean |y(t)-y(t-m)| over the fit\n"
     "(m the season, 1 without one); max rel 100 max |a-p|/|a|; coverage the share\n"
     "of holdout values inside the interval, beside the nominal level.\n"
     "season=auto: the lag of the largest peak of the autocorrelation of the\n"
     "training series (a straight line taken out) above 2/sqrt(n), else none."},
    {"holtwinters",
     "Exponential smoothing (Holt 1957, Winters 1960), as statsmodels'\n"
     "ExponentialSmoothing runs it. With level l, trend b, season s of period m:\n"
     "  fitted  yhat(t) = l(t-1) + phi b(t-1) + s(t-m)        (mul: (l + phi b) s)\n"
     "  level   l(t) = alpha (y(t) - s(t-m)) + (1-alpha)(l(t-1) + phi b(t-1))\n"
     "  trend   b(t) = beta (l(t) - l(t-1)) + (1-beta) phi b(t-1)\n"
     "  season  s(t) = gamma (y(t) - l(t-1) - phi b(t-1)) + (1-gamma) s(t-m)\n"
     "  forecast yhat(T+h) = l(T) + (phi + ... + phi^h) b(T) + s(T+h-m(k+1))\n"
     "ses has no trend or season, holt no season; phi = 1 unless damped=yes.\n"
     "Bounds: 0 < alpha < 1, 0 <= beta <= alpha, 0 <= gamma <= 1-alpha,\n"
     "0.8 <= phi <= 0.995. The parameters not given and the initial states\n"
     "minimise the sum of squared one-step errors, from statsmodels' heuristic\n"
     "initial states (Hyndman et al. 2008, 2.6). Interval: the additive-error\n"
     "variance s^2 (1 + sum over j < h of c(j)^2), c(j) = alpha + alpha beta\n"
     "(phi + ... + phi^j) + gamma [j mod m = 0]."},
    {"theta",
     "The Theta method (Assimakopoulos and Nikolopoulos 2000) as statsmodels'\n"
     "ThetaModel computes it (Hyndman and Billah 2003):\n"
     "1. with a season m: if n r(m)^2 / sum over k < m of r(k)^2 > 2.7055 (r the\n"
     "   autocorrelation), divide by the multiplicative indices of a classical\n"
     "   decomposition (additive when a value is <= 0);\n"
     "2. b0 = the slope of the least-squares line through (t, x(t));\n"
     "3. simple exponential smoothing from l = x(1), alpha minimising the squared\n"
     "   one-step errors; l(T) its last level;\n"
     "4. xhat(T+h) = l(T) + (1 - 1/theta) b0 (h - 1 + 1/alpha - (1-alpha)^T/alpha),\n"
     "   seasonalised again. theta = 2 by default.\n"
     "Interval: s^2 (1 + (h-1)(1 + (alpha-1)^2)), s^2 the SES residual variance."},
    {"arima",
     "Seasonal ARIMA(p,d,q)(P,D,Q)[m] (Box and Jenkins), as statsmodels' SARIMAX fits it:\n"
     "  phi(L) Phi(L^m) (1-L)^d (1-L^m)^D y(t) = c + theta(L) Theta(L^m) e(t),\n"
     "  e(t) ~ N(0, sigma2); phi(L) = 1 - ar1 L - ... - arp L^p, theta(L) = 1 + ma1 L + ...\n"
     "The state holds d + Dm differencing states and r = max(p+mP, q+mQ+1) ARMA states\n"
     "(Harvey's form). The Kalman filter gives v(t) = y(t) - yhat(t|t-1), F(t) its\n"
     "variance, and the exact log-likelihood\n"
     "  l = -1/2 sum over t > d+Dm of (log 2pi + log F(t) + v(t)^2 / F(t)),\n"
     "the differencing states starting approximately diffuse (variance 1e6), the ARMA\n"
     "states from their stationary mean and covariance. As SARIMAX's defaults: no\n"
     "constant c unless constant=yes; AR and MA kept stationary and invertible (Monahan's\n"
     "map from partial autocorrelations); sigma2 a parameter. L-BFGS maximises l.\n"
     "AICc = -2 l + 2k + 2k(k+1)/(n - d - Dm - k - 1), k parameters with sigma2.\n"
     "Forecasts run the state forward; the interval is yhat +- z sqrt(F(T+h)).\n"
     "Without order=, a stepwise search as R's auto.arima (Hyndman and Khandakar 2008):\n"
     "D = 1 when the seasonal strength 1 - var(remainder)/var(season + remainder) of a\n"
     "moving-average decomposition is over 0.64; d = the KPSS tests (5%) it takes to\n"
     "stop rejecting, at most 2; start from (2,d,2)(1,D,1), (0,d,0)(0,D,0),\n"
     "(1,d,0)(1,D,0), (0,d,1)(0,D,1) (with c when d + D <= 1), then move P, Q, p, q by\n"
     "+-1 and toggle c while AICc falls; p, q <= 5, P, Q <= 2; a fit with an AR or MA\n"
     "root within 1.01 of the unit circle is refused.\n"
     "exog=x1,...: regression with ARIMA errors, as SARIMAX(exog=): y(t) = x(t)'b + u(t),\n"
     "u(t) the ARIMA above; b maximises the same l over y - Xb (starting from least\n"
     "squares on the differenced series) and counts in k; forecasts add x(T+h)'b."},
    /* the neural forecasters (src/forecast/fc_nn.h) */
    {"cnn",
     "The neural forecasters (mlp, cnn, rnn, lstm, gru, wavelet) learn windows of the\n"
     "last lags values -> the next value, on the series standardised as\n"
     "z = (y - mean) / sd of the fitted values (the stored transform; predictions go\n"
     "back as mean + sd z). The last windows (validation=0.2 of them) validate.\n"
     "cnn: layers (5) of conv1d with filters (128) of width kernel (3), same padding\n"
     "(zeros outside), relu, then one dense output (method A: 5 layers, 128 filters,\n"
     "lr 0.001):\n"
     "  y[t,f] = relu(b[f] + sum over j < k, c of x[t+j-(k-1)/2, c] W[j,c,f])\n"
     "mlp: layers (2) dense relu layers of hidden (32) units, then dense 1.\n"
     "rnn: h(t) = tanh(x(t) Wx + h(t-1) Wh + b); lstm and gru: explain lstm, gru.\n"
     "Loss: mean squared error; Adam (lr 0.001, b1 0.9, b2 0.999, eps 1e-8) or SGD\n"
     "with momentum 0.9; batches of batch (32) windows in an order drawn from seed.\n"
     "patience=N: stop after N epochs without a better validation loss and keep the\n"
     "best weights. A loss that becomes NaN or grows 10^4-fold is reported with its\n"
     "epoch (try a lower lr) and nothing is written. Prediction is recursive: each\n"
     "predicted value enters the window of the next step. NAME_loss holds the\n"
     "training and validation loss per epoch (plot loss NAME_loss).\n"
     "exog=x1,...: regressors, each standardised by its own stored transform; the\n"
     "window that predicts y(t) pairs each value y(s) with x(s+1), so its last step\n"
     "holds x(t): cnn, rnn, lstm and gru see (z(s), x(s+1)) per step, mlp and wavelet\n"
     "the lags values then the lags x's. Forecasts need x of the periods ahead (rows\n"
     "with the regressors and no value); global=yes takes none."},
    {"lstm",
     "An LSTM layer (Hochreiter and Schmidhuber 1997), per step t, with\n"
     "[i f g o] = [x(t), h(t-1)] W + b and s the logistic sigmoid:\n"
     "  input gate   i(t) = s(.)       forget gate  f(t) = s(.)\n"
     "  output gate  o(t) = s(.)       candidate    g(t) = tanh(.)\n"
     "  cell         c(t) = f(t) c(t-1) + i(t) g(t)\n"
     "  output       h(t) = o(t) tanh(c(t))\n"
     "from h(0) = c(0) = 0 over the lags values of a window; the last h goes to a\n"
     "dense output. layers > 1 stacks them (every step's h feeds the next layer).\n"
     "Weights and biases start U(-1/sqrt(H), 1/sqrt(H)) (H = hidden, 32), as\n"
     "PyTorch's. Gradients by backpropagation through time. explain cnn for the\n"
     "training and prediction all neural forecasters share."},
    {"gru",
     "A GRU layer (Cho et al. 2014) in PyTorch's form, per step t (s the sigmoid):\n"
     "  reset   r = s(x Wxr + bxr + h(t-1) Whr + bhr)\n"
     "  update  z = s(x Wxz + bxz + h(t-1) Whz + bhz)\n"
     "  new     n = tanh(x Wxn + bxn + r * (h(t-1) Whn + bhn))\n"
     "  output  h(t) = (1 - z) n + z h(t-1)\n"
     "from h(0) = 0; the last h goes to a dense output. explain cnn for the\n"
     "training and prediction all neural forecasters share."},
    {"wavelet",
     "A wavelet network (Zhang and Benveniste 1992): the window x (lags values)\n"
     "feeds hidden (16) units, each with weights w(j), a translation t(j) and a\n"
     "dilation d(j), all learned:\n"
     "  u(j) = (x w(j) - t(j)) / d(j),   y(j) = psi(u(j))\n"
     "  Mexican hat (wave=mexhat)  psi(u) = (1 - u^2) exp(-u^2 / 2)\n"
     "  Morlet (wave=morlet)       psi(u) = cos(5 u) exp(-u^2 / 2)\n"
     "then a dense output. Weights start Glorot uniform, t = 0, d = 1. explain cnn\n"
     "for the training and prediction all neural forecasters share.\n"
     /* the classifier, train model=wavelet (src/classify/wavenet.h) */
     "train model=wavelet classifies with one (method B): the features z-scored by\n"
     "the training rows' mean and sd, hidden (32) Mexican-hat units as above, then\n"
     "p = softmax(psi(u) V + c) over the classes; the mean cross-entropy -log p(y)\n"
     "is minimised by Adam (lr 0.005) in batches of batch (64) rows, shuffled each\n"
     "epoch from seed, for epochs (30) passes. MODEL_loss holds each epoch's mean\n"
     "training loss and the accuracy on the training rows after it."},
    {"intervals",
     "The neural forecasters' intervals at level (0.9), intervals=...:\n"
     "  conformal  (default) one network; e(i) the absolute one-step errors on the v\n"
     "             validation windows; the bound is the k-th smallest, k = ceil((v+1)\n"
     "             level) (the largest when k > v: too few windows for the level),\n"
     "             at every step ahead: yhat +- sd e(k). Split conformal: with\n"
     "             exchangeable errors it covers at least level on average; errors\n"
     "             that grow with the step ahead are not widened for.\n"
     "  ensemble   members (10) networks from seeds seed .. seed+members-1; the mean\n"
     "             of their paths predicts, +- z sqrt(var of the paths + mse), mse the\n"
     "             mean squared one-step error of the mean on the validation windows.\n"
     "  mcdropout  one network with dropout (0.1 unless given) kept on at prediction\n"
     "             (Gal and Ghahramani 2016): members paths; the network with dropout\n"
     "             off predicts, +- z sqrt(var of the paths + mse).\n"
     "  none       no bounds.\n"
     "z is the normal quantile at (1 + level) / 2. coverage% beside the metrics is the\n"
     "share of holdout values inside the interval: compare it with the level."},
    {"nb",
     "Naive Bayes picks the class c with the largest posterior, taking the features as\n"
     "independent given the class:\n"
     "  log P(c | x) = log P(c) + sum over present features j of log P(x_j | c) - log Z\n"
     "  numeric j:  log N(x_j; mu, var) = -0.5 log(2 pi var) - (x_j - mu)^2 / (2 var)\n"
     "              mu, var the mean and variance (1/n) of class c's training values of j,\n"
     "              var plus epsilon = var_smoothing * the largest variance of a numeric\n"
     "              feature over all training rows (scikit-learn's GaussianNB)\n"
     "  text j:     P(level | c) = (count(c, level) + alpha) / (count(c) + alpha * L_j),\n"
     "              L_j the levels seen in training (Laplace smoothing; CategoricalNB)\n"
     "P(c) is the class's share of the training rows, or priors=. Everything is summed in\n"
     "log space and P(c | x) = exp(jll_c - logsumexp(jll)), so tiny likelihoods do not\n"
     "underflow. A missing value, or a text level unseen in training, is left out of the\n"
     "sum: the other features decide. alpha > 0 keeps a level never seen with a class\n"
     "from ruling that class out; var_smoothing keeps a constant feature from dividing\n"
     "by zero."},
    {"metrics",
     "With n rows, TP_c (rows of class c predicted c), FP_c (predicted c, not c) and\n"
     "FN_c (of class c, predicted otherwise):\n"
     "  accuracy            sum_c TP_c / n\n"
     "  precision_c         TP_c / (TP_c + FP_c)        (0 when nothing is predicted c)\n"
     "  recall_c            TP_c / (TP_c + FN_c)\n"
     "  f1_c                2 precision recall / (precision + recall) = 2TP / (2TP + FP + FN)\n"
     "  macro_*             the plain mean over the classes; weighted_*: weighted by support\n"
     "  balanced_accuracy   the mean recall over the classes present\n"
     "  kappa               (p_o - p_e) / (1 - p_e), p_o the accuracy and p_e = sum_c\n"
     "                      (true share of c) (predicted share of c), chance agreement\n"
     "  roc_auc             P(score of a random positive > score of a random negative),\n"
     "                      ties counting 1/2: (R - P(P+1)/2) / (P N) with R the rank sum\n"
     "                      of the positives (Mann-Whitney U)\n"
     "  pr_auc              average precision: sum over thresholds (R_i - R_{i-1}) P_i\n"
     "  log_loss            -(1/n) sum ln p(true class), p clipped to [2^-52, 1 - 2^-52]\n"
     "The scores of a binary target are about the positive class (positive=LABEL).\n"
     "compare tests a difference in accuracy over k folds (r repeats) with the corrected\n"
     "resampled t-test (Nadeau and Bengio 2003; Weka's Experimenter): with d the per-fold\n"
     "differences, t = mean(d) / sqrt((1/(k r) + n_test/n_train) var(d)), k r - 1 degrees\n"
     "of freedom. The correction n_test/n_train widens the test: the training sets of the\n"
     "folds overlap, so the folds are not independent and the plain paired t-test finds\n"
     "differences that are not there.\n"
     "Forecasts (forecast, its models= table), a actual and p predicted over the holdout:\n"
     "R Pearson's correlation; MAE mean |a-p|; RMSE sqrt(mean (a-p)^2); MAPE 100 mean\n"
     "|a-p|/|a| (a != 0); sMAPE 200 mean |a-p|/(|a|+|p|); MASE MAE / mean |y(t)-y(t-m)|\n"
     "over the fitted values (explain forecast)."},
    {"rules",
     "Association rules X -> Y from the transactions (rules): N transactions, n(S) the\n"
     "number holding every item of S.\n"
     "  support    s(X -> Y) = n(X u Y) / N       how common the whole itemset is\n"
     "  confidence c = n(X u Y) / n(X)            P(Y | X)\n"
     "  lift       c / (n(Y) / N)                 > 1: X and Y go together more than\n"
     "                                            chance; 1: independent\n"
     "  leverage   s(X u Y) - s(X) s(Y)            the share of transactions above chance\n"
     "  conviction (1 - s(Y)) / (1 - c)           how often X -> Y would be wrong if X\n"
     "                                            and Y were independent, over how often it\n"
     "                                            is; infinite when c = 1, stored as NULL\n"
     "An itemset is frequent when n(S) >= minsup (a count, or a share of N rounded up).\n"
     "Every frequent itemset of two or more items gives a rule for each split into a\n"
     "non-empty X and Y; those with c >= minconf (and lift >= minlift) are kept, sorted\n"
     "by lift. Closed itemsets have no superset with the same count (they lose nothing);\n"
     "maximal ones have no frequent superset. Before mining, the frequent items and\n"
     "pairs are counted: their sum is a lower bound on the output; past a million\n"
     "itemsets (or the memory budget) the statement is refused, and mining stops once\n"
     "it has found a million, unless force=yes. The four methods find the same\n"
     "itemsets: explain apriori, fpgrowth, eclat (declat is Eclat on diffsets).\n"
     "As a classifier (train ... model=rules; CBA, Liu, Hsu and Ma 1998): each row is a\n"
     "transaction of items (a 0/1 or one-hot feature when 1; any other number in one of\n"
     "bins=3 equal-frequency bins, cuts kept with the model) plus its class; the rules\n"
     "X -> class with support >= minsup and confidence >= minconf are ordered by\n"
     "confidence, then support, then fewer items; database coverage keeps a rule that\n"
     "rightly classifies a training row no earlier kept rule matches. A row gets the\n"
     "class of the first kept rule it matches (P = its confidence), else the majority\n"
     "class of the training rows left uncovered. show lists the rules, trace the match."},
    {"apriori",
     "Apriori (Agrawal and Srikant 1994), level by level. Every subset of a frequent\n"
     "itemset is frequent (the Apriori property), so the candidates of size k come\n"
     "from the frequent itemsets of size k-1: two that share their first k-2 items\n"
     "(items in name order) join into one candidate (generated); a candidate with a\n"
     "(k-1)-subset that is not frequent cannot be frequent and is dropped without\n"
     "counting (pruned); the rest are counted in one pass over the transactions\n"
     "(counted), and those with count >= minsup are the frequent itemsets of size k.\n"
     "trace=yes writes these four numbers per level to NAME_levels. One pass per\n"
     "level; the candidates of size 2 number about F^2 / 2 for F frequent items."},
    {"fpgrowth",
     "FP-Growth (Han, Pei and Yin 2000). The frequent items of each\n"
     "transaction, most frequent first, are inserted into a prefix tree (the FP-tree),\n"
     "so transactions that share a prefix share nodes, each node counting the\n"
     "transactions through it; each item's nodes are linked. For each item, least\n"
     "frequent first: its support is the sum over its nodes; the paths from its nodes\n"
     "to the root, each weighted by the node's count, are its conditional pattern base;\n"
     "the items frequent in that base make a smaller tree (the conditional FP-tree),\n"
     "mined the same way with the item added to the prefix. A tree that is a single\n"
     "path yields every combination of its nodes at once. No candidates, two passes\n"
     "over the data."},
    {"eclat",
     "Eclat (Zaki 2000), depth first over vertical data. Each frequent item has the\n"
     "sorted list of the transactions holding it (its tid list); the support of an\n"
     "itemset is the length of its list. Items that extend the same prefix form a\n"
     "class; extending item a by each later item b of its class intersects the two\n"
     "lists, and the results of at least minsup make the class of prefix + a. Items go\n"
     "least frequent first, so lists shrink fast. Memory: the lists of one path of\n"
     "classes. method=declat (dEclat, Zaki and Gouda 2003; the default) keeps\n"
     "diffsets below the first level: d(Pab) = t(Pa) minus t(Pab); from the items'\n"
     "lists d(ab) = t(a) - t(b), then d(Pab) = d(Pb) - d(Pa), and sup(Pab) = sup(Pa) -\n"
     "|d(Pab)|; on dense data they are much shorter than tid lists. Both skip, at the\n"
     "first level, the pairs that one pass counting every pair found infrequent.\n"
     "Where the data is dense enough both keep a bitset per list instead (a bit per\n"
     "transaction): an intersection is a word-by-word AND and its support the count\n"
     "of bits set, which beats merging long lists (10x on supermarket.arff).\n"
     "dEclat measured fastest here (bench/RESULTS.md), so it is the default."},
    {"itemcf",
     "Item-based collaborative filtering (recommend, similar; Sarwar et al. 2001).\n"
     "The log is binary implicit feedback: user u has item i or not (a repeat counts\n"
     "once). With U(i) the users who have i, the cosine similarity of two items is\n"
     "  cos(i, j) = |U(i) & U(j)| / sqrt(|U(i)| |U(j)|)\n"
     "the dot product of their 0/1 columns over the product of the norms. It is found\n"
     "sparsely: for each item i, every item j of every user of i is counted once per\n"
     "shared user, so only pairs that share a user cost anything (the work is the sum\n"
     "over users of their item count squared, never items x items). Each item keeps its\n"
     "`neighbours` most similar items (ties: the item that sorts first). A user's score\n"
     "for an item j they do not have is\n"
     "  score(u, j) = sum over the user's items i of cos(i, j)   (j among i's kept)\n"
     "and the list is the n best scores. Example: U(tent) = {1,2,3}, U(bag) = {1,2}:\n"
     "cos = 2 / sqrt(3 * 2) = 0.816. popular scores j by |U(j)|; rules by the best\n"
     "confidence of a rule A -> C with A among the user's items and j in C.\n"
     "similar TABLE item=ITEM lists the j with the highest cos(ITEM, j)."},
    {"recmetrics",
     "evalrec holds out each user's last item (or a share of their items), recommends\n"
     "n items from the rest, and compares the list L(u) with the held-out set T(u) for\n"
     "every user who held something out (U); hits(u) = |L(u) & T(u)|, rel_k = 1 when\n"
     "the item at rank k is held out:\n"
     "  precision@N = mean over U of hits(u) / N          (a short list still divides by N)\n"
     "  recall@N    = mean over U of hits(u) / |T(u)|\n"
     "  hit rate    = share of U with hits(u) >= 1\n"
     "  MAP@N       = mean over U of AP(u), AP(u) = sum_k (hits in the top k / k) rel_k\n"
     "                / min(|T(u)|, N)\n"
     "  coverage    = items listed for anyone / items in the catalogue\n"
     "  diversity   = mean over lists of 2+ items of 1 - mean cos(i, j) over the pairs\n"
     "                of the list (cosine on the training part, explain itemcf)\n"
     "Example: L = [c a d], T = {a, e}: precision@3 = 1/3, recall = 1/2, AP = (1/2)\n"
     "/ min(2, 3) = 1/4. Popularity is the baseline: a method that does not beat it on\n"
     "precision has learned nothing personal; its coverage is the lowest there is."},
    {"tree",
     "A decision tree (CART, as scikit-learn's DecisionTreeClassifier) asks one question\n"
     "per node, x_j <= t, and predicts at a leaf the class shares of its training rows.\n"
     "It grows from the root: at each node every feature j and every cut t between two\n"
     "neighbouring values (the midpoint) is tried, and the cut with the largest drop in\n"
     "impurity is taken:  n I(node) - n_left I(left) - n_right I(right), where\n"
     "  criterion=gini     I = 1 - sum_c p_c^2\n"
     "  criterion=entropy  I = -sum_c p_c log2 p_c      (p_c: the node's class shares)\n"
     "A node stays a leaf when it is pure, at maxdepth (0 = no limit), when it has\n"
     "fewer than minsplit rows, or when no cut leaves minleaf rows on each side; larger\n"
     "minleaf and smaller maxdepth give smaller trees that overfit less. Ties go to the\n"
     "first feature. Missing values: the cut is chosen on the rows that have x_j, and\n"
     "the rows without it follow the child that got more training rows, in training and\n"
     "in prediction (show names the side). show prints the rules with each node's rows\n"
     "per class and impurity."},
    {"forest",
     "A random forest (Breiman 2001; scikit-learn's RandomForestClassifier) averages the\n"
     "class shares of trees=100 trees, each grown (see explain tree) on a bootstrap\n"
     "sample (n rows drawn with replacement) and trying at each node only features=\n"
     "randomly chosen features (0: sqrt(p), -1: all). The two kinds of randomness make\n"
     "the trees differ, and their average varies less than one deep tree. Each tree\n"
     "draws from its own stream of seed, so a seed gives the same forest on any number\n"
     "of threads. Out-of-bag accuracy: every row is predicted by the trees whose sample\n"
     "left it out (about a third of them), a free estimate of accuracy on new rows.\n"
     "Importance (mean decrease in impurity): for each tree, the impurity drops of the\n"
     "cuts on a feature, weighted by the rows at the node, as a share of the tree's\n"
     "total; averaged over the trees and scaled to sum 1. It favours features with\n"
     "many distinct values; check it against the accuracy without the feature."},
    /* the classifiers whose texts live in their headers (logreg.h, svm.h, knn.h) */
    {"logreg",
     "Logistic regression models each class's probability as a softmax of linear\n"
     "scores: score_k(x) = b_k + sum_j w_kj x_j, P(k | x) = exp(score_k) / sum_l\n"
     "exp(score_l). With two classes there is one score s(x) and P(second class | x) =\n"
     "1 / (1 + exp(-s(x))), so a coefficient is the change in the log-odds for one unit\n"
     "of its feature. The fit minimises, as scikit-learn's LogisticRegression(\n"
     "solver='lbfgs') does,\n"
     "  sum_i log-loss_i + ||w||^2 / (2 c)\n"
     "c=1.0 is the inverse strength of the L2 penalty: a smaller c shrinks the\n"
     "coefficients towards 0; intercepts are not penalised. Features are standardised\n"
     "inside the fit (less the mean, over the population standard deviation; a constant\n"
     "feature is left as it is), so the penalty treats every feature alike whatever its\n"
     "unit; show reports the coefficients back in the data's units. Text columns are\n"
     "one-hot encoded (the encoding is stored with the model). The minimiser is L-BFGS\n"
     "(10 pairs, More-Thuente line search), stopping when every gradient component is\n"
     "within tol=1e-4, when the objective stops falling (relative decrease under\n"
     "2.2e-9) or after max_iter=100 iterations; show says whether it converged."},
    {"svm",
     "A linear SVM scores a row with f(x) = b + sum_j w_j x_j and predicts by the sign\n"
     "of the score (two classes) or the largest score (one machine per class, its class\n"
     "against the rest). It minimises\n"
     "  0.5 ||w||^2 + c * sum_i max(0, 1 - y_i f(x_i))      (hinge loss, y_i = +1 or -1)\n"
     "so rows beyond the margin cost nothing and c=1.0 prices a row inside the margin\n"
     "or on the wrong side: a smaller c gives a wider margin. As LIBLINEAR and\n"
     "scikit-learn's LinearSVC(loss='hinge', dual=True), the intercept is the weight of\n"
     "an extra constant feature 1, penalised with the others. Features are standardised\n"
     "inside the fit; coefficients are reported in the data's units. The solver is\n"
     "LIBLINEAR's dual coordinate descent (Hsieh et al. 2008): rows in a random order\n"
     "each pass (seed=), one dual variable at a time, rows at a bound set aside\n"
     "(shrinking), until the projected gradients span no more than tol=1e-4 or after\n"
     "max_iter=1000 passes. Probabilities are a fixed monotone map of the scores\n"
     "(1 / (1 + exp(-f)) for two classes, a softmax for more): they rank rows (ROC AUC\n"
     "is meaningful) but are not calibrated frequencies."},
    {"knn",
     "k-NN keeps the training rows and classifies a row by the classes of the k=5\n"
     "training rows nearest to it, by Euclidean distance on the features as they are\n"
     "(normalize first, or the feature with the widest range decides alone).\n"
     "weights=uniform: one vote each, P(class) = the class's share of the k;\n"
     "weights=distance: a vote of 1/distance, and neighbours at distance 0 alone vote\n"
     "(scikit-learn's rule). Ties: the first class in class order; of two training rows\n"
     "equally far, the earlier one is the nearer. Candidates are found by blocks with\n"
     "BLAS (|a|^2 - 2 a.b + |b|^2 on rows less the training mean), then every row that\n"
     "could be among the k is measured exactly, feature by feature, so rounding never\n"
     "changes which rows are chosen. With at most 10 features and 256 training rows or\n"
     "more a k-d tree is searched instead, skipping boxes that cannot hold a nearer row;\n"
     "it chooses the same rows. Prediction runs on threads= threads."},
    /* whatif and stability (cluster_quality.h) */
    {"ari",
     "The adjusted Rand index (Hubert and Arabie 1985) of two labellings of the same n\n"
     "rows, from their contingency table n_ij (a_i, b_j its row and column sums):\n"
     "  index    = sum_ij C(n_ij, 2)\n"
     "  expected = sum_i C(a_i, 2) * sum_j C(b_j, 2) / C(n, 2)\n"
     "  maximum  = (sum_i C(a_i, 2) + sum_j C(b_j, 2)) / 2\n"
     "  ARI      = (index - expected) / (maximum - expected)\n"
     "1 means the same partition (whatever the cluster names), about 0 what chance\n"
     "gives, below 0 worse than chance; scikit-learn's adjusted_rand_score. score,\n"
     "whatif and stability report it. To say which rows moved, whatif and stability\n"
     "match the new clusters to the old ones by overlap: the largest cell of the\n"
     "old x new table first, each cluster used once; a row moved when its new cluster\n"
     "matched another old segment than its own (or none)."},
    {"sequences",
     "sequences cuts each user's event log at a point in time, the cut c (until=):\n"
     "  features   the events with c - window <= t < c (the sequence, the counts,\n"
     "             items, active_days); recency_days and tenure_days from the last and\n"
     "             first event before c; behaviour by the sessions rule over t < c\n"
     "  label      1 when the target event (purchase) happens at c <= t < c + horizon\n"
     "Nothing at or after the cut reaches a feature, so a model cannot learn from the\n"
     "answer. Without until=, c is the day of (last event - horizon), so the horizon of\n"
     "every label fits in the log. holdout=yes adds a second, earlier cut c - horizon:\n"
     "its rows (split = train) are labelled by events up to c, where the test rows'\n"
     "features end; a model trained on them is scored on a period it never saw.\n"
     "The sequence: the last maxlen events of the window, each a token\n"
     "  1 + kind + 5 b   kind view 0, cart 1, wishlist 2, purchase 3, other 4;\n"
     "                   b the gap to the user's event before: <= 1 h 0, <= 1 d 1,\n"
     "                   <= 7 d 2, longer or none 3\n"
     "left-padded with 0 into seq_01 .. seq_NN (the latest event last). Two carts\n"
     "within a day are a cart token followed by a cart token of b <= 1 (tokens 2, 7);\n"
     "counts alone cannot tell them from two carts a month apart."},
    {"rnn",
     "rnn, lstm and gru classify a row by its event sequence seq_01 .. seq_T\n"
     "(sequences writes it; other columns are ignored):\n"
     "  e_t = E[x_t]                         embedding: one learned row of embed numbers\n"
     "                                       per token code (0 pads)\n"
     "  h_t = tanh(e_t Wx + h_{t-1} Wh + b)  rnn (Elman), h_0 = 0\n"
     "  P(class) = softmax(h_T W + b)        dense layer on the last step\n"
     "layers= stacks recurrent layers, each reading every step of the one below.\n"
     "Training minimises the mean cross-entropy -w_y log P(y) (class weights w_c =\n"
     "n / (classes x n_c) with classweights=auto) by Adam (lr=, batch=) over epochs=\n"
     "passes; 10% of the rows (a seeded shuffle) are held out, and after patience=\n"
     "epochs without a lower validation loss training stops and the best epoch's\n"
     "weights are kept. An Elman RNN's gradient through many steps shrinks or grows\n"
     "by the powers of Wh; model=lstm and model=gru use the gated cells of explain\n"
     "lstm and explain gru (the same layers as the neural forecasters), with e_t as\n"
     "their input."},
    {"trace",
     "trace works a taught algorithm as a textbook does, each step in a table:\n"
     "  trace kmeans T cols=x,y start=1,4,7  Lloyd's k-means by hand: each iteration\n"
     "    assigns every point to its nearest centre (squared distance, the lower\n"
     "    cluster on a tie), then moves each centre to its points' mean, until no\n"
     "    point moves; per iteration the points moved, the inertia (sum of squared\n"
     "    distances to the new centres) and the farthest shift. plot trace draws it.\n"
     "  trace apriori T tid= item= minsup=2  every candidate of every level: joined\n"
     "    from two frequent (k-1)-itemsets sharing k-2 items, pruned when a subset is\n"
     "    not frequent (named), else counted: frequent or not.\n"
     "  trace dbscan T cols= eps= minpts=    the rows in the order they join their\n"
     "    clusters (depth first, as scikit-learn), the core row that reached each.\n"
     "  trace split T target= [cols=]       the gini 1 - sum p_c^2 of the node and of\n"
     "    both sides of every candidate split, weighted n_side/n, and the gain.\n"
     "  trace MODEL T row=N                  one prediction's arithmetic.\n"
     "  trace LSTM T row=N step=S            an lstm model's gates at step S (explain\n"
     "    lstm), recomputed from its weights in double precision: i, f, g, o, c_prev,\n"
     "    c and h of every unit, c = f c_prev + i g and h = o tanh(c) with the numbers;\n"
     "    the last step's h is checked against the network's own."},
    /* demo (issue 21) */
    {"demo",
     "demo NAME replays a published pipeline of docs/METHODS.md on the sample data.\n"
     "Each step is a statement and one sentence on why; the statement runs as if\n"
     "typed (its own savepoint, history line and undo level), so history save of a\n"
     "session that ran a demo is the demo's script, and it replays to the same\n"
     "catalog. In the full-screen front end Enter runs the next step (any other key\n"
     "stops; demo NAME step=N goes on from N); plain mode and fast=yes run through.\n"
     "  segments-forecast (A)  clean, rfm, per-customer features (orders a month,\n"
     "      price per unit, recency, electronics share), z-scores, k-means k=4\n"
     "      and k=5 side by side, naive Bayes of the segment, each segment's\n"
     "      monthly value, a 1-D CNN forecast with MC-dropout intervals, the\n"
     "      method's seven figures; R and the largest relative error beside the\n"
     "      published 0.9785 and 2.32% and beside the planted expected value.\n"
     "  behaviour (B)  sessions types each user, rules between behaviour items,\n"
     "      cosine similarity, a logistic squashing, k-means with its clustering\n"
     "      error per iteration, a wavelet network (train model=wavelet) that\n"
     "      types held-out users, its accuracy per iteration; beside 97% and 2.7%.\n"
     "  purchase (C)  sequences cut in time, an RNN, logistic regression, a tree\n"
     "      and rules scored on a later month, beside the published table.\n"
     "  survey (D)  100 users x 5 features, k-means k=3 and DBSCAN, Apriori (its\n"
     "      levels) and FP-Growth, item CF top-10 scored by evalrec.\n"
     "  marketing (E)  the six customer groups, payment, unit price and year-on-\n"
     "      year change beside the planted, a group-by query timed live at four\n"
     "      data volumes (5,000 to 135,000 rows) beside the published stores'\n"
     "      times, log-log (a PNG in $TMPDIR or /tmp: the times are the run's own).\n"
     "A timed step's seconds go into its table by an INSERT run as typed, so the\n"
     "history holds them and a replay rebuilds the same table. Stand-ins: D has no\n"
     "reviews or ratings (carts and wish lists stand in)."},
};

static const int n_topics = (int)(sizeof topics / sizeof topics[0]);

static int
cmd_explain_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                 struct qerr *err)
{
    const char *want = args_str(args, "TOPIC");
    if (args_given(args, "TABLE")) /* explain rfm NAME.table ...: the SQL it sends (remote.h) */
        return remote_explain(ctx, args, res, err);
    if (!want) {
        struct buf b = BUF_INIT;
        buf_adds(&b, "topics:");
        for (int i = 0; i < n_topics; i++)
            buf_addf(&b, " %s", topics[i].name);
        buf_adds(&b, "\n(and every command: explain COMMAND shows its help)");
        result_text(res, "%s", b.data);
        buf_release(&b);
        return 0;
    }
    if (strcasecmp(want, "euclidean") == 0 || strcasecmp(want, "manhattan") == 0 ||
        strcasecmp(want, "minkowski") == 0)
        want = "distances";
    else if (strcasecmp(want, "mlp") == 0)
        want = "cnn"; /* the neural forecasters share one text */
    else if (strcasecmp(want, "whatif") == 0 || strcasecmp(want, "stability") == 0)
        want = "ari";
    for (int i = 0; i < n_topics; i++)
        if (strcasecmp(want, topics[i].name) == 0) {
            result_text(res, "%s", topics[i].text);
            return 0;
        }
    struct qerr e2 = QERR_INIT;
    const struct cmd_entry *c = cmd_find(want, &e2);
    qerr_clear(&e2);
    if (c) {
        struct buf b = BUF_INIT;
        cmd_help_format(c, &b);
        result_text(res, "%s", b.data);
        buf_release(&b);
        return 0;
    }
    const char *names[sizeof topics / sizeof topics[0]];
    for (int i = 0; i < n_topics; i++)
        names[i] = topics[i].name;
    const char *near = catalog_suggest(want, names, n_topics);
    qerr_set(err, QE_NOTFOUND, "no topic named '%s'", want);
    if (near)
        qerr_hint(err, "did you mean explain %s?", near);
    else
        qerr_hint(err, "type explain to list the topics");
    err->pos = args_get(args, "TOPIC")->pos;
    return -1;
}

static const struct arg_spec cmd_explain_args[] = {
    {.name = "TOPIC", .positional = 1, .type = ARG_TEXT,
     .help = "A method or command; without it, the list of topics.", .comp = COMP_COMMANDS},
    {.name = "TABLE", .positional = 1, .type = ARG_TEXT,
     .help = "With a command that pushes its work down (rfm, series, sessions, sample, rules) "
             "and a remote table NAME.table, then the command's keys: the SQL it would send "
             "to PostgreSQL and the server's plan, without running it.", .comp = COMP_TABLES},
    {0},
};

const struct cmd_entry cmd_explain_entry = {
    .name = "explain",
    .family = "help",
    .synopsis = "explain [TOPIC] | explain COMMAND NAME.table KEY=VALUE ...",
    .help = "Explain how a method works: its formulas, the rule it applies and the "
            "conventions quarry follows (which standard deviation, which quantile), so a "
            "result can be checked by hand. explain alone lists the topics. explain rfm "
            "NAME.table customer=... (or series, sessions, sample, rules over a remote "
            "table) shows the SQL the command would push down to PostgreSQL, and the "
            "server's plan for it, without running either.",
    .example = "explain normalize",
    .args = cmd_explain_args,
    .flags = CMD_NOT_RECORDED | CMD_FREE_KEYS | CMD_AS,
    .exec = cmd_explain_exec,
    .as_help = "With COMMAND NAME.table: the command's own as NAME, taken so the statement "
               "reads as the one it explains (explain rfm pg.orders ... as r); explain writes "
               "no table.",
};
