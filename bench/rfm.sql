-- bench/rfm.sql: the rfm command's result by hand-written SQL (SQLite 3.25+
-- window functions), over a table o(order_id, customer_id, ts, amount) of
-- clean ISO timestamps; the same scores (rank ties by customer id, pandas'
-- qcut of ranks: the smallest s with 5 (k - 1) <= s (n - 1)) and segments.
CREATE TABLE r AS
WITH c AS (
    SELECT customer_id, max(ts) AS last, count(*) AS frequency, sum(amount) AS monetary
    FROM o WHERE customer_id IS NOT NULL AND ts IS NOT NULL AND amount IS NOT NULL
    GROUP BY customer_id),
a AS (SELECT julianday(date(max(last))) + 1 AS asof, count(*) AS n FROM c),
b AS (SELECT c.customer_id, CAST(a.asof - julianday(date(c.last)) AS INTEGER) AS recency,
             c.frequency, c.monetary, a.n FROM c, a),
s AS (SELECT customer_id, recency, frequency, monetary,
          6 - max(1, (5 * (row_number() OVER (ORDER BY recency, customer_id) - 1) + n - 2) / (n - 1)) AS r_score,
          max(1, (5 * (row_number() OVER (ORDER BY frequency, customer_id) - 1) + n - 2) / (n - 1)) AS f_score,
          max(1, (5 * (row_number() OVER (ORDER BY monetary, customer_id) - 1) + n - 2) / (n - 1)) AS m_score
      FROM b)
SELECT customer_id, recency, frequency, monetary, r_score, f_score, m_score,
    CASE WHEN r_score = 5 AND f_score >= 4 THEN 'champions'
         WHEN r_score >= 3 AND f_score >= 4 THEN 'loyal customers'
         WHEN r_score >= 4 AND f_score >= 2 THEN 'potential loyalists'
         WHEN r_score = 5 THEN 'new customers'
         WHEN r_score = 4 THEN 'promising'
         WHEN r_score = 3 AND f_score = 3 THEN 'need attention'
         WHEN r_score = 3 THEN 'about to sleep'
         WHEN f_score = 5 THEN 'can''t lose them'
         WHEN f_score >= 3 THEN 'at risk'
         WHEN r_score = 2 THEN 'hibernating'
         ELSE 'lost' END AS segment
FROM s ORDER BY customer_id;
