/*
 * cmd_demo_steps.c: the five demos of `demo` as data (cmd_demo.h), one
 * per method of docs/METHODS.md: each step a statement as typed ({data}
 * is the sample data folder) and one sentence on why. A step without a
 * statement is a note: a step of the published pipeline quarry has no
 * command for yet. Each demo ends with quarry's figures beside the
 * published ones. tests/transcripts/demo_*.qry run them; tests/sh/demo_replay.sh
 * checks the figures against the planted truth and that history save
 * replays to the same catalog.
 */
#include "cmd_demo.h"

#include <stddef.h>

#include "base/banned.h"

/* docs/METHODS.md A */
static const struct demo_step segments_steps[] = {
    {"load {data}/orders.csv as sf_orders",
     "The order log is where every customer feature comes from: one row per order, with "
     "the customer, the time and the amount."},
    {"load {data}/order_items.csv as sf_items",
     "The lines of each order give what was bought (the product type the method uses as a "
     "preference) and at what price."},
    {"load {data}/customers.csv as sf_customers",
     "The customers give each one's signup date, so a customer who joined late is not "
     "taken for a rare buyer."},
    {"load {data}/truth_segments.csv as sf_truth",
     "The generator's planted segment of each customer, loaded only to score the clusters "
     "and the classifier against."},
    {"load {data}/truth_monthly.csv as sf_planted",
     "The planted expected value of each segment and month: the best any forecaster could "
     "do, to set our figures beside."},
    {"clean sf_orders dedupe=yes as sf_clean",
     "Remove the noise the method names first: the log's exact duplicate orders would "
     "count twice."},
    {"rfm sf_clean customer=customer_id date=ts amount=amount asof=2025-01-01 as sf_rfm",
     "Recency, frequency and monetary value per customer; rows without a customer, a "
     "readable date or an amount are skipped and counted (the missing values and bad "
     "types)."},
    {"CREATE TABLE sf_basket AS SELECT customer_id, sum(value) / sum(units) AS unit_price, "
      "avg(has_e) AS electronics FROM (SELECT o.customer_id AS customer_id, sum(i.price * "
      "i.quantity) AS value, sum(i.quantity) AS units, max(i.category = 'electronics') AS "
      "has_e FROM sf_clean o JOIN sf_items i USING (order_id) WHERE o.customer_id IS NOT "
      "NULL GROUP BY o.order_id) GROUP BY 1",
     "The price per unit bought and the share of orders holding electronics: the amount "
     "and product type of the method, untouched by the log's extreme amounts."},
    {"CREATE TABLE sf_feat AS SELECT c.customer_id AS customer_id, t.segment AS truth, "
      "julianday('2025-01-01') - max(julianday(coalesce(c.signup_date, '2023-01-01')), "
      "julianday('2023-01-01')) AS tenure, coalesce(r.frequency, 0) AS orders, r.recency AS "
      "recency, b.unit_price AS unit_price, coalesce(b.electronics, 0) AS electronics FROM "
      "sf_customers c JOIN sf_truth t USING (customer_id) LEFT JOIN sf_rfm r USING "
      "(customer_id) LEFT JOIN sf_basket b USING (customer_id)",
     "One row per customer with the raw features side by side (and the planted segment, "
     "kept out of the clustering)."},
    {"derive sf_feat f='ln(1 + 30.44 * orders / tenure)' m='ln(unit_price)' "
      "r='coalesce(recency, tenure)' e=electronics",
     "Convert to features that mean the same for 3 orders as for 30: orders per month of "
     "tenure and the price per unit on a log scale (avoids extreme values), days since the "
     "last order, electronics share."},
    {"clean sf_feat cols=m missing=median",
     "Fill the missing values: a customer without orders has no unit price, so takes the "
     "median."},
    {"normalize sf_feat cols=f,m,r,e method=zscore as sf_shop",
     "Normalise: z-scores, so each feature weighs the same in the Euclidean distance."},
    {"cluster sf_shop cols=f,m,r,e k=4 seed=7 into=k4",
     "k-means with k=4, the first of the method's two choices of the number of groups."},
    {"cluster sf_shop cols=f,m,r,e k=5 seed=7 into=k5 as sf_seg",
     "k-means with k=5 into a copy that keeps the k=4 labels, to set the two side by side."},
    {"crosstab sf_seg rows=k4 cols=k5",
     "k=4 against k=5: which groups the fifth cluster splits off."},
    {"score sf_seg label=k4 truth=truth",
     "k=4 against the five planted segments: one segment has to share a cluster."},
    {"score sf_seg label=k5 truth=truth",
     "k=5 against the planted segments: the number the shop was generated with."},
    {"plot scatter sf_seg x=f y=m color=k5 centres=sf_seg_clusters",
     "The cluster scatter: orders per month against price per unit, coloured by cluster, "
     "centres marked."},
    {"split sf_seg stratify=truth seed=7",
     "Keep a test set for the classifier: 70% train, 15% validation, 15% test, in the "
     "segments' proportions."},
    {"train sf_seg target=truth cols=f,m,r,e model=nb as sf_nb",
     "Naive Bayes on the purchase features, learning the planted segment from the train "
     "rows."},
    {"evaluate sf_nb sf_seg where=\"split = 'test'\"",
     "Naive Bayes scored on the test rows it never saw."},
    {"CREATE TABLE sf_names AS SELECT k5, truth AS segment FROM (SELECT k5, truth, "
      "row_number() OVER (PARTITION BY k5 ORDER BY count(*) DESC) AS rk FROM sf_seg GROUP "
      "BY k5, truth) WHERE rk = 1",
     "Name each k=5 cluster after the planted segment it mostly holds, so the forecasts "
     "read as segments."},
    {"CREATE TABLE sf_os AS SELECT o.ts, o.amount, n.segment FROM sf_clean o JOIN sf_seg s "
      "USING (customer_id) JOIN sf_names n USING (k5) ORDER BY o.rowid",
     "Each order with its customer's segment."},
    {"series sf_os date=ts value=amount by=segment as sf_monthly",
     "Each segment's value month by month: the series the network forecasts (24 months)."},
    {"forecast sf_monthly date=period value=amount by=segment model=cnn lags=6 seed=1 "
      "patience=0 epochs=100 intervals=mcdropout dropout=0.1 as sf_fc",
     "The method's 5-layer 1-D CNN (128 filters, learning rate 0.001), fitted on 18 months "
     "and scored on the last 6; 100 epochs keep the demo quick, and MC dropout gives the "
     "intervals that keep it from being over-confident."},
    {"plot loss sf_fc_loss",
     "Training and validation loss per epoch, per segment."},
    {"CREATE TABLE sf_hold AS SELECT f.segment, f.period, f.actual, f.predicted, f.lower, "
      "f.upper, f.error, f.relative_error, t.expected_value * t.customers AS planted FROM "
      "sf_fc f JOIN sf_planted t ON t.segment = f.segment AND t.month = f.period WHERE "
      "f.part = 'holdout' AND f.segment <> 'dormant'",
     "The 6 scored months, beside the planted expected value; the dormant segment (no "
     "orders after its first months) is left out, as a relative error of a zero is not "
     "defined."},
    {"plot heatmap sf_hold x=period y=segment z=predicted values=yes",
     "Heatmap of the predicted value by month and segment."},
    {"plot heatmap sf_hold x=period y=segment z=relative_error values=yes",
     "Heatmap of the relative error by month and segment: where the network misses."},
    {"plot forecast sf_fc",
     "Predicted against true by month, with the interval."},
    {"plot corr sf_hold x=actual y=predicted",
     "Predicted against true as a scatter, with the correlation coefficient R in the "
     "title."},
    {"plot hist sf_hold col=relative_error bins=8",
     "The histogram of the relative errors (8 bins: the automatic rule gives 3 for 24 "
     "values)."},
    {"SELECT 'quarry cnn' AS forecaster, round((count(*) * sum(actual * predicted) - "
      "sum(actual) * sum(predicted)) / sqrt((count(*) * sum(actual * actual) - sum(actual) "
      "* sum(actual)) * (count(*) * sum(predicted * predicted) - sum(predicted) * "
      "sum(predicted))), 4) AS R, round(100 * max(abs(actual - predicted) / actual), 2) AS "
      "max_rel_pct FROM sf_hold UNION ALL SELECT 'planted expected value', round((count(*) "
      "* sum(actual * planted) - sum(actual) * sum(planted)) / sqrt((count(*) * sum(actual "
      "* actual) - sum(actual) * sum(actual)) * (count(*) * sum(planted * planted) - "
      "sum(planted) * sum(planted))), 4), round(100 * max(abs(actual - planted) / actual), "
      "2) FROM sf_hold UNION ALL SELECT 'published (method A)', 0.9785, 2.32",
     "Our R and largest relative error over the scored months beside the published 0.9785 "
     "and 2.32%, and beside the planted expected value (the noise no model can beat)."},
};

/* docs/METHODS.md B */
static const struct demo_step behaviour_steps[] = {
    {"load {data}/events.csv as bh_events",
     "The browsing log: views, carts, wish lists and purchases, one row per event."},
    {"load {data}/truth_segments.csv as bh_truth",
     "The planted behaviour type of each customer, to score against."},
    {"sessions bh_events user=customer_id time=ts event=event as bh_users",
     "Type each user's behaviour as simple, deterministic, habitual or preference-driven "
     "from their sessions (help sessions gives the rule)."},
    {"SELECT round(100.0 * sum(u.behaviour = CASE t.behaviour WHEN 'preference' "
      "THEN 'preference-driven' ELSE t.behaviour END) / count(*), 1) AS typed_as_planted_pct, "
      "count(*) AS users FROM bh_users u JOIN bh_truth t USING (customer_id)",
     "How many users the rule types as the generator planted them."},
    {"CREATE TABLE bh_items AS SELECT customer_id, 'type=' || behaviour AS item FROM "
      "bh_users UNION ALL SELECT customer_id, 'transacted' FROM bh_users WHERE transacted "
      "UNION ALL SELECT customer_id, 'carted' FROM bh_users WHERE carted UNION ALL SELECT "
      "customer_id, 'wishlisted' FROM bh_users WHERE wishlisted UNION ALL SELECT "
      "customer_id, 'high_turnover' FROM bh_users WHERE high_turnover UNION ALL SELECT "
      "customer_id, 'many_carts' FROM bh_users WHERE many_carts UNION ALL SELECT "
      "customer_id, 'many_wishlists' FROM bh_users WHERE many_wishlists",
     "Behaviour items: each user is a transaction holding their type and the groups they "
     "fall in."},
    {"rules bh_items tid=customer_id item=item maxlen=2 minsup=0.05 minconf=0.6 as "
      "bh_rules",
     "Rules between behaviour items H -> H': support is the share of users holding both, "
     "confidence support(H u H') / support(H)."},
    {"similarity bh_users cols=views,carts,wishlists,purchases,browse_sessions "
      "by=customer_id top=1 as bh_sim",
     "The cosine of the angle between two users' behaviour vectors; each user's nearest "
     "neighbour."},
    {"SELECT round(100.0 * avg(a.behaviour = b.behaviour), 1) AS "
      "nearest_same_type_pct, count(*) AS users FROM bh_sim s JOIN bh_truth a ON a.customer_id "
      "= s.customer_id JOIN bh_truth b ON b.customer_id = s.neighbour",
     "How often a user's most similar user has the same planted type (a quarter would be "
     "chance)."},
    {"CREATE TABLE bh_feat AS SELECT u.customer_id, t.behaviour AS planted, "
      "u.browse_per_month AS bpm, coalesce(u.views_per_browse, 0) AS vpb, 1.0 * u.wishlists "
      "/ max(u.views, 1) AS wpv, coalesce(u.peak_hour_share, 0) AS peak FROM bh_users u "
      "JOIN bh_truth t USING (customer_id)",
     "The features that tell the types apart: browsing sessions a month, views per "
     "browsing session, wish lists per view, the share of purchases in the busiest hour."},
    {"normalize bh_feat cols=bpm,vpb,wpv,peak method=zscore as bh_z",
     "z-scores first, as the method standardises before the network."},
    {"derive bh_z sb='1 / (1 + exp(-bpm))' sv='1 / (1 + exp(-vpb))' sw='1 / (1 + "
      "exp(-wpv))' sp='1 / (1 + exp(-peak))'",
     "The method's logistic squashing of each feature into 0..1 before clustering, so no "
     "outlier pulls a centre."},
    {"cluster bh_z cols=sb,sv,sw,sp k=4 seed=1 restarts=1 trace=yes",
     "k-means into four groups, one start, every iteration's centres kept in bh_z_trace."},
    {"CREATE TABLE bh_iter AS WITH d AS (SELECT t.iteration, z.customer_id, z.planted, "
      "t.cluster, (z.sb - t.sb) * (z.sb - t.sb) + (z.sv - t.sv) * (z.sv - t.sv) + (z.sw - "
      "t.sw) * (z.sw - t.sw) + (z.sp - t.sp) * (z.sp - t.sp) AS d2 FROM bh_z z CROSS JOIN "
      "bh_z_trace t), a AS (SELECT iteration, customer_id, planted, cluster, min(d2) FROM d "
      "GROUP BY iteration, customer_id), m AS (SELECT iteration, cluster, max(n) AS top "
      "FROM (SELECT iteration, cluster, planted, count(*) AS n FROM a GROUP BY 1, 2, 3) "
      "GROUP BY 1, 2) SELECT iteration, round(100.0 - 100.0 * sum(top) / (SELECT count(*) "
      "FROM bh_z), 2) AS clustering_error_pct FROM m GROUP BY iteration",
     "The clustering error at each iteration: the share of users outside their cluster's "
     "commonest planted type, with each user at the nearest centre of that iteration."},
    {"SELECT * FROM bh_iter ORDER BY iteration",
     "The clustering error per iteration."},
    {"plot line bh_iter x=iteration y=clustering_error_pct",
     "Clustering error against iterations, the method's second figure."},
    {"split bh_z ratios=0.7,0.3 stratify=planted seed=1",
     "Hold out 30% of the users, in each type's share, to score the network on users it "
     "never saw."},
    {"train bh_z target=planted cols=bpm,vpb,wpv,peak model=wavelet hidden=16 epochs=100 "
      "seed=1 as bh_wnn",
     "The wavelet network: z-scored features, 16 Mexican-hat units with learned translation "
     "and dilation, softmax over the four types, 100 iterations (epochs) of gradient "
     "descent (Adam) on the training users."},
    {"plot line bh_wnn_loss x=epoch y=accuracy",
     "Mining accuracy against iterations, the method's first figure (its clustering error "
     "against iterations is above)."},
    {"evaluate bh_wnn bh_z where=\"split = 'test'\"",
     "The network on the held-out users: accuracy, each type's precision and recall, the "
     "confusion matrix."},
    {"predict bh_wnn bh_z",
     "Each user's predicted type, written back as bh_z.predicted."},
    {"SELECT 'quarry' AS source, round(100.0 * avg(predicted = planted), 1) AS "
      "accuracy_pct, (SELECT clustering_error_pct FROM bh_iter ORDER BY iteration DESC "
      "LIMIT 1) AS clustering_error_pct FROM bh_z WHERE split = 'test' UNION ALL SELECT "
      "'published (method B)', 97, 2.7",
     "Our accuracy on the held-out users and final clustering error beside the published "
     "97% and 2.7%."},
};

/* docs/METHODS.md C */
static const struct demo_step purchase_steps[] = {
    {"load {data}/events.csv as pu_events",
     "The browsing and purchase log, one row per event."},
    {"sequences pu_events user=customer_id time=ts event=event item=product horizon=30d "
      "window=60d maxlen=20 holdout=yes as pu_seq",
     "Each user's log cut twice, strictly in time: train rows at 2024-11-01 labelled by a "
     "purchase in the 30 days after, test rows at 2024-12-01, so every model is scored on "
     "a month it never saw."},
    {"SELECT split, count(*) AS users, round(avg(label), 4) AS buy_share, round(1 - "
      "avg(label), 4) AS majority FROM pu_seq GROUP BY split",
     "How many buy: the majority baseline (always no) every model must beat."},
    {"train pu_seq target=label model=rnn embed=8 hidden=16 epochs=8 seed=1 as pu_rnn",
     "The method's RNN over each user's event sequence, softmax on top, cross-entropy, "
     "Adam and early stopping (a small network, 8 epochs, keeps the demo quick)."},
    {"train pu_seq target=label model=logreg seed=1 as pu_logreg",
     "Logistic regression on the flat features (counts, recency, tenure)."},
    {"train pu_seq target=label model=tree maxdepth=5 seed=1 as pu_tree",
     "A decision tree, five levels deep."},
    {"train pu_seq target=label model=rules seed=1 as pu_rules",
     "Association-rule mining as a classifier (CBA: the first matching class rule)."},
    {"predict pu_rnn pu_seq into=predicted_rnn",
     "Each model's prediction for every row; the test rows are scored below."},
    {"predict pu_logreg pu_seq into=predicted_logreg",
     "The logistic regression's predictions."},
    {"predict pu_tree pu_seq into=predicted_tree",
     "The tree's predictions."},
    {"predict pu_rules pu_seq into=predicted_rules",
     "The rules' predictions."},
    {"CREATE TABLE pu_held AS SELECT 'rnn' AS model, predicted_rnn AS p, label FROM pu_seq "
      "WHERE split = 'test' UNION ALL SELECT 'logreg', predicted_logreg, label FROM pu_seq "
      "WHERE split = 'test' UNION ALL SELECT 'tree', predicted_tree, label FROM pu_seq "
      "WHERE split = 'test' UNION ALL SELECT 'rules', predicted_rules, label FROM pu_seq "
      "WHERE split = 'test'",
     "The held-out month's predictions of the four models side by side."},
    {"CREATE TABLE pu_published (model TEXT, pub_accuracy REAL, pub_recall REAL, pub_f1 "
      "REAL); INSERT INTO pu_published VALUES ('rnn', 0.892, 0.875, 0.883), ('logreg', "
      "0.763, 0.721, 0.742), ('tree', 0.794, 0.750, 0.771), ('rules', 0.736, 0.698, 0.714)",
     "The published table (accuracy, recall, F1), from another shop's data."},
    {"SELECT h.model, round(avg(h.p = h.label), 4) AS accuracy, round(1.0 * sum(h.p = 1 "
      "AND h.label = 1) / sum(h.label = 1), 4) AS recall, round(2.0 * sum(h.p = 1 AND "
      "h.label = 1) / (sum(h.p = 1) + sum(h.label = 1)), 4) AS f1, p.pub_accuracy, "
      "p.pub_recall, p.pub_f1, (SELECT round(1 - avg(label), 4) FROM pu_seq WHERE split = "
      "'test') AS majority FROM pu_held h JOIN pu_published p USING (model) GROUP BY "
      "h.model ORDER BY accuracy DESC",
     "Accuracy, recall and F1 of the buyers on the test month beside the published figures "
     "and the majority baseline."},
};

/* docs/METHODS.md D */
static const struct demo_step survey_steps[] = {
    {"load {data}/orders.csv as sv_orders",
     "The order log."},
    {"load {data}/order_items.csv as sv_items",
     "The lines of each order: the baskets for the rules and the recommender."},
    {"load {data}/events.csv as sv_events",
     "The browsing log, for each user's browsing time and carts."},
    {"load {data}/truth_segments.csv as sv_truth",
     "The planted segments, to read the clusters against."},
    {"sessions sv_events user=customer_id time=ts event=event as sv_users",
     "Per user: sessions, their length (browsing time), carts and wish lists."},
    {"rfm sv_orders customer=customer_id date=ts amount=amount asof=2025-01-01 as sv_rfm",
     "Per customer: purchase frequency and amount."},
    {"CREATE TABLE sv_feat AS SELECT u.customer_id, t.segment AS truth, u.session_seconds "
      "/ 60.0 AS browsing_minutes, r.frequency AS frequency, r.monetary / r.frequency AS "
      "amount, u.carts AS carts, u.wishlists AS wishlists FROM sv_users u JOIN sv_rfm r "
      "USING (customer_id) JOIN sv_truth t USING (customer_id) WHERE u.session_seconds IS "
      "NOT NULL",
     "The worked example's five behaviour features per user; the shop has no reviews or "
     "ratings, so carts and wish lists stand in for them."},
    {"sample sv_feat n=100 seed=1 as sv_100",
     "The worked example's 100 users."},
    {"normalize sv_100 cols=browsing_minutes,frequency,amount,carts,wishlists "
      "method=zscore",
     "Standardised, as in the example."},
    {"cluster sv_100 cols=browsing_minutes,frequency,amount,carts,wishlists k=3 seed=1 "
      "into=kmeans",
     "k-means with k=3, k-means++ starts, assign and update until the centres stop moving: "
     "J, the sum of squared distances to the nearest centre, is the inertia."},
    {"plot scatter sv_100 x=frequency y=amount color=kmeans centres=sv_100_clusters",
     "The example's scatter, coloured by cluster with the centres marked."},
    {"crosstab sv_100 rows=truth cols=kmeans as sv_kt",
     "The three clusters against the five planted segments."},
    {"cluster sv_100 cols=browsing_minutes,frequency,amount,carts,wishlists method=dbscan "
      "into=dbscan replace=yes",
     "DBSCAN on the same users: dense regions and noise (label -1) instead of k centres; "
     "eps from the knee of the k-distance curve (its profile replaces k-means')."},
    {"crosstab sv_100 rows=kmeans cols=dbscan",
     "k-means against DBSCAN."},
    {"rules sv_items tid=order_id item=product method=apriori minsup=0.005 minconf=0.5 "
      "trace=yes as sv_apriori",
     "Apriori over the baskets, level by level; the planted bundles come out on top by "
     "lift."},
    {"SELECT * FROM sv_apriori_levels",
     "Apriori's levels: candidates generated, pruned by the subset rule, counted, "
     "frequent."},
    {"rules sv_items tid=order_id item=product method=fpgrowth minsup=0.005 minconf=0.5 as "
      "sv_fpgrowth",
     "FP-Growth on the same baskets, without candidates."},
    {"SELECT (SELECT count(*) FROM sv_apriori_itemsets) AS apriori_itemsets, (SELECT "
      "count(*) FROM sv_fpgrowth_itemsets) AS fpgrowth_itemsets, (SELECT count(*) FROM "
      "sv_apriori_itemsets a JOIN sv_fpgrowth_itemsets f USING (itemset) WHERE a.count = "
      "f.count) AS same_itemset_and_count",
     "Both miners find the same itemsets with the same counts."},
    {"CREATE TABLE sv_bought AS SELECT o.customer_id AS customer, i.product AS product, "
      "o.ts AS ts FROM sv_orders o JOIN sv_items i USING (order_id) WHERE o.customer_id IS "
      "NOT NULL ORDER BY o.rowid, i.product",
     "Who bought what, when: the recommender's log."},
    {"evalrec sv_bought user=customer item=product time=ts n=10 methods=itemcf,popular",
     "Item collaborative filtering by cosine similarity, top-10 lists, each customer's "
     "last item held out: precision, recall, coverage and diversity beside the popularity "
     "baseline."},
    {"SELECT 'quarry' AS source, 100 AS users, 5 AS features, 3 AS k, (SELECT count(*) "
      "FROM sv_apriori_itemsets) AS itemsets UNION ALL SELECT 'published (method D, worked "
      "example)', 100, 5, 3, NULL",
     "The survey publishes a worked example, not figures: our run has its shape (100 "
     "users, 5 standardised features, k=3)."},
};

/* docs/METHODS.md E */
static const struct demo_step marketing_steps[] = {
    {"load {data}/orders.csv as mk_orders",
     "The order log: payments over two years."},
    {"load {data}/events.csv as mk_events",
     "The browsing log: carts, wish lists and purchases."},
    {"load {data}/truth_monthly.csv as mk_planted",
     "The planted expected value per segment and month, to check the trend against."},
    {"sessions mk_events user=customer_id time=ts event=event as mk_users",
     "Per user: purchases, carts and wish lists, and the six groups as 0/1 columns."},
    {"CREATE TABLE mk_groups AS SELECT 'high turnover' AS customer_group, "
      "sum(high_turnover) AS customers, 'purchases in the upper quartile' AS rule FROM "
      "mk_users UNION ALL SELECT 'added to cart', sum(carted), 'a cart event' FROM mk_users "
      "UNION ALL SELECT 'added to wish list', sum(wishlisted), 'a wish-list event' FROM "
      "mk_users UNION ALL SELECT 'transacted', sum(transacted), 'a purchase event' FROM "
      "mk_users UNION ALL SELECT 'many cart additions', sum(many_carts), 'carts in the "
      "upper quartile' FROM mk_users UNION ALL SELECT 'many wish-list additions', "
      "sum(many_wishlists), 'wish lists in the upper quartile' FROM mk_users",
     "The method's six customer groups."},
    {"SELECT * FROM mk_groups",
     "How many customers fall in each group."},
    {"clean mk_orders dedupe=yes as mk_clean",
     "Drop the log's duplicate orders before summing payments."},
    {"CREATE TABLE mk_trend AS SELECT substr(ts, 1, 7) || '-01' AS period, count(DISTINCT "
      "customer_id) AS customers, round(sum(amount), 2) AS payment, round(sum(amount) / "
      "count(DISTINCT customer_id), 2) AS unit_price FROM mk_clean WHERE date(substr(ts, 1, "
      "10)) IS NOT NULL AND amount IS NOT NULL AND amount < 5000 AND customer_id IS NOT "
      "NULL GROUP BY 1 ORDER BY 1",
     "Per month: paying customers, payment, and the customer unit price (payment per "
     "paying customer); bad dates, missing amounts and the 20 planted extreme amounts are "
     "left out."},
    {"CREATE TABLE mk_plan AS SELECT month AS period, sum(expected_value * customers) AS "
      "planted_payment FROM mk_planted GROUP BY 1",
     "The planted expected payment per month."},
    {"CREATE TABLE mk_yoy AS SELECT t.period, t.payment, t.unit_price, round(100.0 * "
      "(t.payment / p.payment - 1), 1) AS yoy_pct, round(100.0 * (q.planted_payment / "
      "q0.planted_payment - 1), 1) AS planted_yoy_pct FROM mk_trend t JOIN mk_trend p ON "
      "p.period = date(t.period, '-12 months') JOIN mk_plan q ON q.period = t.period JOIN "
      "mk_plan q0 ON q0.period = p.period ORDER BY t.period",
     "Year-on-year change of the payment, beside the planted one (the dormant customers of "
     "early 2023 pull 2024's first months down)."},
    {"SELECT * FROM mk_yoy",
     "The sales trend of 2024 against 2023."},
    {"plot line mk_trend x=period y=payment",
     "Payment by month: the summer peak and the growth."},
    {"plot line mk_trend x=period y=unit_price",
     "The customer unit price by month."},
    {"plot line mk_yoy x=period y=yoy_pct,planted_yoy_pct",
     "Year-on-year change, ours beside the planted."},
    {"CREATE TABLE mk_rows AS SELECT o.customer_id, o.amount FROM mk_clean o CROSS JOIN "
      "(SELECT 1 AS copy UNION ALL SELECT 2) ORDER BY copy, o.rowid",
     "Data volume: two copies of the cleaned orders (138,882 rows), so a query can read 5 "
     "thousand to 135 thousand of them."},
    {"CREATE TABLE mk_volume (store TEXT, rows INTEGER, seconds REAL); INSERT INTO mk_volume "
      "VALUES ('published fast store', 40000, 0.067), ('published fast store', 40000000, "
      "10.486), ('published slow store', 40000, 4.034), ('published slow store', 40000000, "
      "50.184)",
     "The published query times of the two stores, beside which ours go (other hardware, "
     "other queries: context only)."},
    {"SELECT count(*) AS customers, round(sum(paid), 2) AS payment FROM (SELECT "
      "customer_id, sum(amount) AS paid FROM mk_rows WHERE rowid <= 5000 GROUP BY "
      "customer_id)",
     "The group-by query of the catalog (payment per customer) on the first 5,000 rows, "
     "timed: its seconds go into mk_volume."},
    {"SELECT count(*) AS customers, round(sum(paid), 2) AS payment FROM (SELECT "
      "customer_id, sum(amount) AS paid FROM mk_rows WHERE rowid <= 15000 GROUP BY "
      "customer_id)",
     "The same query on the first 15,000 rows, timed: its seconds go into mk_volume."},
    {"SELECT count(*) AS customers, round(sum(paid), 2) AS payment FROM (SELECT "
      "customer_id, sum(amount) AS paid FROM mk_rows WHERE rowid <= 45000 GROUP BY "
      "customer_id)",
     "The same query on the first 45,000 rows, timed: its seconds go into mk_volume."},
    {"SELECT count(*) AS customers, round(sum(paid), 2) AS payment FROM (SELECT "
      "customer_id, sum(amount) AS paid FROM mk_rows WHERE rowid <= 135000 GROUP BY "
      "customer_id)",
     "The same query on the first 135,000 rows, timed: its seconds go into mk_volume."},
    {"SELECT store, count(*) AS volumes, min(rows) AS from_rows, max(rows) AS to_rows, "
      "count(DISTINCT rows) = count(*) AS one_row_per_volume, min(seconds) > 0 AS "
      "times_positive FROM mk_volume GROUP BY store ORDER BY store",
     "One row per volume and store; our times are this run's own (SELECT * FROM mk_volume "
     "shows them), so they differ from run to run."},
    {"CREATE TABLE mk_volume_log AS SELECT store, rows, seconds, round(log10(rows), 3) AS "
      "log10_rows, round(log10(seconds), 3) AS log10_seconds FROM mk_volume",
     "On log scales, so 5 thousand and 40 million rows fit one figure."},
    {"plot line mk_volume_log x=log10_rows y=log10_seconds by=store "
      "to={tmp}/quarry-demo-volume.png",
     "Time against data volume, log-log (a slope of 1 is linear growth); written to a PNG "
     "file, as the times are this run's."},
    {"DROP TABLE mk_rows",
     "The copies were only for timing."},
};

/* E's query at each data volume (the steps after mk_volume is made), timed */
static const struct demo_timing marketing_timed[] = {
    {17, "mk_volume", 5000},
    {18, "mk_volume", 15000},
    {19, "mk_volume", 45000},
    {20, "mk_volume", 135000},
};

#define STEPS(a) (a), (int)(sizeof(a) / sizeof((a)[0]))

const struct demo demo_list[] = {
    {"segments-forecast", "A",
     "customer segments by k-means, then each segment's value forecast by a 1-D CNN",
     "sf_", STEPS(segments_steps), NULL, 0},
    {"behaviour", "B",
     "behaviour types, rules between them, cosine similarity, clustering and a wavelet network",
     "bh_", STEPS(behaviour_steps), NULL, 0},
    {"purchase", "C",
     "purchase prediction: an RNN against logistic regression, a tree and rules",
     "pu_", STEPS(purchase_steps), NULL, 0},
    {"survey", "D",
     "k-means and DBSCAN, Apriori and FP-Growth, item CF top-N",
     "sv_", STEPS(survey_steps), NULL, 0},
    {"marketing", "E",
     "six customer groups, the sales trend, query time against data volume",
     "mk_", STEPS(marketing_steps), STEPS(marketing_timed)},
};

const int demo_count = (int)(sizeof demo_list / sizeof demo_list[0]);
