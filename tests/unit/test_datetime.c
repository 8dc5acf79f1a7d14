/*
 * test_datetime.c: ISO 8601 parsing with range checks (the planted bad
 * dates of sample-data fail), day numbers against known calendar facts,
 * weekdays, durations.
 */
#include <math.h>

#include "check.h"
#include "base/datetime.h"

static void
test_days(void)
{
    long long y;
    int m, d;
    CHECK_INT(datetime_days(1970, 1, 1), 0);
    CHECK_INT(datetime_days(2000, 3, 1), 11017);   /* 30 years + 7 leap days + Jan, Feb */
    CHECK_INT(datetime_days(1969, 12, 31), -1);
    CHECK_INT(datetime_days(2025, 1, 1) - datetime_days(2024, 1, 1), 366);
    datetime_civil(datetime_days(2024, 2, 29), &y, &m, &d);
    CHECK_INT(y, 2024);
    CHECK_INT(m, 2);
    CHECK_INT(d, 29);
    datetime_civil(-1, &y, &m, &d);
    CHECK_INT(y, 1969);
    CHECK_INT(d, 31);
    CHECK_INT(datetime_weekday(0), 3);                          /* a Thursday */
    CHECK_INT(datetime_weekday(datetime_days(2024, 1, 1)), 0);  /* a Monday */
    CHECK_INT(datetime_weekday(datetime_days(1969, 12, 28)), 6); /* a Sunday */
    char s[16];
    datetime_format(datetime_days(2024, 7, 9), s, sizeof s);
    CHECK_STR(s, "2024-07-09");
    CHECK_INT(datetime_day_of(-0.5), -1);
    CHECK_INT(datetime_day_of(86399.9), 0);
}

static void
test_parse(void)
{
    double t = 0;
    double day = (double)datetime_days(2024, 5, 17) * 86400;
    CHECK_INT(datetime_parse("2024-05-17", &t), 0);
    CHECK_NEAR(t, day, 0);
    CHECK_INT(datetime_parse("2024-05-17T10:00", &t), 0);
    CHECK_NEAR(t, day + 36000, 0);
    CHECK_INT(datetime_parse("2024-05-17 10:20:30.5Z", &t), 0);
    CHECK_NEAR(t, day + 37230.5, 1e-6);
    CHECK_INT(datetime_parse("2024-02-29", &t), 0);
    /* the planted bad dates of sample-data/orders.csv */
    CHECK_INT(datetime_parse("2024-13-45", &t), -1);
    CHECK_INT(datetime_parse("31/02/2024", &t), -1);
    CHECK_INT(datetime_parse("2023-02-30T10:00:00", &t), -1);
    CHECK_INT(datetime_parse("2024-05-17T25:61:00", &t), -1);
    CHECK_INT(datetime_parse("yesterday", &t), -1);
    CHECK_INT(datetime_parse("last week", &t), -1);
    CHECK_INT(datetime_parse("2023-02-29", &t), -1);
    CHECK_INT(datetime_parse("2024-05-17T", &t), -1);
    CHECK_INT(datetime_parse("2024-05-17x", &t), -1);
    CHECK_INT(datetime_parse("2024-5-17", &t), -1);
    CHECK_INT(datetime_parse("", &t), -1);
    CHECK_INT(datetime_parse(NULL, &t), -1);
}

static void
test_duration(void)
{
    double s = 0;
    CHECK_INT(datetime_duration("30m", &s), 0);
    CHECK_NEAR(s, 1800, 0);
    CHECK_INT(datetime_duration("1.5h", &s), 0);
    CHECK_NEAR(s, 5400, 0);
    CHECK_INT(datetime_duration("90", &s), 0);
    CHECK_NEAR(s, 90, 0);
    CHECK_INT(datetime_duration("2d", &s), 0);
    CHECK_NEAR(s, 172800, 0);
    CHECK_INT(datetime_duration("0m", &s), -1);
    CHECK_INT(datetime_duration("-5m", &s), -1);
    CHECK_INT(datetime_duration("5x", &s), -1);
    CHECK_INT(datetime_duration("5mm", &s), -1);
    CHECK_INT(datetime_duration("m", &s), -1);
    CHECK_INT(datetime_duration("", &s), -1);
}

int
main(void)
{
    test_days();
    test_parse();
    test_duration();
    return check_done("test_datetime");
}
