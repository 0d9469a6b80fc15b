//! Calendar dates and quarters as editors write them (`2024-07-10`, `2024-Q2`), parsed strictly:
//! a date that does not exist or a fifth quarter is an error, never silently rolled over. Also
//! the one calendar of the program: day counts, UTC timestamps and today's date.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Quarter {
    pub year: i32,
    /// 1..=4
    pub number: u32,
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

fn digits(s: &str, len: usize) -> Option<u32> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

impl Date {
    /// Parses `YYYY-MM-DD` (a trailing time such as `T10:00:00` is not accepted: dates only).
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().split('-');
        let year = digits(parts.next()?, 4)? as i32;
        let month = digits(parts.next()?, 2)?;
        let day = digits(parts.next()?, 2)?;
        if parts.next().is_some() || !(1..=12).contains(&month) {
            return None;
        }
        (1..=days_in_month(year, month))
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    pub fn quarter(self) -> Quarter {
        Quarter {
            year: self.year,
            number: (self.month - 1) / 3 + 1,
        }
    }

    /// Days since 1970-01-01 (negative before), in the proleptic Gregorian calendar (Howard
    /// Hinnant's days-from-civil).
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (Howard Hinnant's civil-from-days).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        Date {
            year: (yoe + era * 400 + i64::from(month <= 2)) as i32,
            month: month as u32,
            day: day as u32,
        }
    }

    /// Today's date (UTC), for commands that may read the clock (`check`; never `build`).
    pub fn today() -> Date {
        Date::from_days_since_epoch((now_seconds() / 86_400) as i64)
    }

    /// RFC 3339 at midnight China Standard Time, for Atom feeds.
    pub fn rfc3339(self) -> String {
        format!("{self}T00:00:00+08:00")
    }

    /// `2024年7月10日`
    pub fn chinese(self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    to.days_since_epoch() - from.days_since_epoch()
}

/// Seconds since 1970 by the system clock.
pub fn now_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Seconds since 1970 as an RFC 3339 UTC time (`2024-07-01T00:00:00Z`).
pub fn utc_rfc3339(seconds: u64) -> String {
    let date = Date::from_days_since_epoch((seconds / 86_400) as i64);
    let rest = seconds % 86_400;
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

const QUARTER_NAMES: [&str; 4] = ["第一季度", "第二季度", "第三季度", "第四季度"];

impl Quarter {
    /// Parses `2024-Q2` (the `Q` may be lower case).
    pub fn parse(text: &str) -> Option<Quarter> {
        let (year, q) = text.trim().split_once('-')?;
        let year = digits(year, 4)? as i32;
        let number = digits(q.strip_prefix(['Q', 'q'])?, 1)?;
        (1..=4)
            .contains(&number)
            .then_some(Quarter { year, number })
    }

    /// The lower-case form used in URLs: `2024-q2`.
    pub fn slug(self) -> String {
        format!("{}-q{}", self.year, self.number)
    }

    /// `2024年第二季度`
    pub fn chinese(self) -> String {
        format!(
            "{}年{}",
            self.year,
            QUARTER_NAMES[(self.number - 1) as usize]
        )
    }

    /// The last day of the quarter (`2024-06-30`).
    pub fn last_day(self) -> Date {
        let (month, day) =
            [(3, 31), (6, 30), (9, 30), (12, 31)][(self.number.clamp(1, 4) - 1) as usize];
        Date {
            year: self.year,
            month,
            day,
        }
    }

    /// The months a year-to-date value of this quarter covers: `1—9月`, or `全年` at Q4.
    pub fn to_date(self) -> String {
        match self.number {
            4 => "全年".to_string(),
            n => format!("1—{}月", n * 3),
        }
    }

    /// The quarter after this one.
    pub fn next(self) -> Quarter {
        if self.number >= 4 {
            Quarter {
                year: self.year + 1,
                number: 1,
            }
        } else {
            Quarter {
                year: self.year,
                number: self.number + 1,
            }
        }
    }

    /// `第二季度`
    pub fn chinese_short(self) -> &'static str {
        QUARTER_NAMES[(self.number - 1) as usize]
    }
}

/// What a snapshot archives: one quarter, or a whole year (its annual report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Quarter(Quarter),
    Year(i32),
}

impl Period {
    /// Parses `2024-Q2` or `2024`.
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim();
        match Quarter::parse(text) {
            Some(q) => Some(Period::Quarter(q)),
            None => digits(text, 4).map(|y| Period::Year(y as i32)),
        }
    }

    pub fn year(self) -> i32 {
        match self {
            Period::Quarter(q) => q.year,
            Period::Year(y) => y,
        }
    }

    /// Whether `quarter` falls in this period.
    pub fn contains(self, quarter: Quarter) -> bool {
        match self {
            Period::Quarter(q) => q == quarter,
            Period::Year(y) => quarter.year == y,
        }
    }

    /// The last quarter of the period.
    pub fn last_quarter(self) -> Quarter {
        match self {
            Period::Quarter(q) => q,
            Period::Year(year) => Quarter { year, number: 4 },
        }
    }

    /// `2024年第二季度`, `2024年度`.
    pub fn chinese(self) -> String {
        match self {
            Period::Quarter(q) => q.chinese(),
            Period::Year(y) => format!("{y}年度"),
        }
    }

    /// Newest first, a year before its own quarters (the annual report sums them up).
    pub fn newest_first(self) -> (std::cmp::Reverse<i32>, u32) {
        match self {
            Period::Year(y) => (std::cmp::Reverse(y), 0),
            Period::Quarter(q) => (std::cmp::Reverse(q.year), 5 - q.number),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Quarter(q) => q.fmt(f),
            Period::Year(y) => write!(f, "{y}"),
        }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_dates_parse() {
        assert_eq!(
            Date::parse("2024-07-10"),
            Some(Date {
                year: 2024,
                month: 7,
                day: 10
            })
        );
        assert!(Date::parse("2024-02-29").is_some(), "2024 is a leap year");
        assert!(Date::parse("2000-02-29").is_some());
    }

    #[test]
    fn impossible_dates_are_refused() {
        for bad in [
            "2024-02-30",
            "2023-02-29",
            "1900-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-7-10",
            "24-07-10",
            "2024/07/10",
            "2024-07-10T00:00",
            "",
            "二〇二四年",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn quarter_of_date_and_forms() {
        let q = Date::parse("2024-07-10").unwrap().quarter();
        assert_eq!(
            q,
            Quarter {
                year: 2024,
                number: 3
            }
        );
        assert_eq!(q.to_string(), "2024-Q3");
        assert_eq!(q.slug(), "2024-q3");
        assert_eq!(q.chinese(), "2024年第三季度");
        assert_eq!(q.to_date(), "1—9月");
        assert_eq!(
            Quarter {
                year: 2024,
                number: 4
            }
            .to_date(),
            "全年"
        );
        assert_eq!(Date::parse("2024-03-31").unwrap().quarter().number, 1);
        assert_eq!(Date::parse("2024-12-31").unwrap().quarter().number, 4);
        assert_eq!(
            Quarter {
                year: 2024,
                number: 2
            }
            .last_day()
            .to_string(),
            "2024-06-30"
        );
    }

    #[test]
    fn days_between_dates() {
        let d = |s: &str| Date::parse(s).unwrap();
        assert_eq!(days_between(d("2024-07-10"), d("2024-07-24")), 14);
        assert_eq!(
            days_between(d("2024-02-28"), d("2024-03-01")),
            2,
            "leap year"
        );
        assert_eq!(days_between(d("2023-12-31"), d("2024-01-01")), 1);
        assert_eq!(days_between(d("2024-01-01"), d("2023-01-01")), -365);
    }

    #[test]
    fn epoch_seconds_to_rfc3339() {
        assert_eq!(utc_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_rfc3339(1_719_792_000), "2024-07-01T00:00:00Z");
        assert_eq!(utc_rfc3339(1_735_689_599), "2024-12-31T23:59:59Z");
    }

    #[test]
    fn days_and_dates_round_trip() {
        for text in [
            "1970-01-01",
            "1969-12-31",
            "2000-02-29",
            "2024-12-31",
            "1600-03-01",
        ] {
            let date = Date::parse(text).unwrap();
            assert_eq!(Date::from_days_since_epoch(date.days_since_epoch()), date);
        }
    }

    #[test]
    fn quarters_parse_strictly() {
        assert_eq!(
            Quarter::parse("2024-Q2"),
            Some(Quarter {
                year: 2024,
                number: 2
            })
        );
        assert_eq!(
            Quarter::parse("2024-q4"),
            Some(Quarter {
                year: 2024,
                number: 4
            })
        );
        for bad in [
            "2024-Q5", "2024-Q0", "2024Q1", "2024-1", "2024-Q12", "Q1-2024", "",
        ] {
            assert_eq!(Quarter::parse(bad), None, "{bad}");
        }
    }
}
