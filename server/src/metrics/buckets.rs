//! Engaged-time histogram buckets: exact seconds up to a minute, then 5 s steps to 5 minutes,
//! 30 s steps to an hour, and one bucket beyond. Medians come from these counts, exact for
//! the short visits that dominate and within 30 s for long ones.

pub fn bucket(seconds: i32) -> i32 {
    match seconds.max(0) {
        s @ 0..=60 => s,
        s @ 61..=300 => 61 + (s - 61) / 5,
        s @ 301..=3600 => 109 + (s - 301) / 30,
        _ => 219,
    }
}

/// The smallest number of seconds that falls in `bucket`.
pub fn lower_bound(bucket: i32) -> i32 {
    match bucket {
        b if b <= 60 => b.max(0),
        b if b <= 108 => 61 + (b - 61) * 5,
        b if b <= 218 => 301 + (b - 109) * 30,
        _ => 3601,
    }
}

/// The median of a histogram given as (bucket, visits), as the bucket's lower bound.
pub fn median(histogram: &[(i32, i64)]) -> Option<f64> {
    let mut sorted: Vec<(i32, i64)> = histogram.iter().copied().filter(|&(_, n)| n > 0).collect();
    sorted.sort_unstable();
    let total: i64 = sorted.iter().map(|&(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    // The lower median for even counts: the visit at position ceil(total / 2).
    let target = (total + 1) / 2;
    let mut seen = 0;
    for (bucket, n) in sorted {
        seen += n;
        if seen >= target {
            return Some(f64::from(lower_bound(bucket)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_monotonic_and_exact_under_a_minute() {
        let mut previous = -1;
        for s in 0..5000 {
            let b = bucket(s);
            assert!(b >= previous, "{s}");
            assert!(lower_bound(b) <= s, "{s}");
            previous = b;
        }
        for s in 0..=60 {
            assert_eq!(lower_bound(bucket(s)), s);
        }
        assert_eq!(bucket(-5), 0);
        assert_eq!(bucket(i32::MAX), 219);
    }

    #[test]
    fn medians_from_histograms() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[(10, 0)]), None);
        assert_eq!(median(&[(10, 1)]), Some(10.0));
        assert_eq!(median(&[(5, 2), (30, 1)]), Some(5.0));
        assert_eq!(median(&[(5, 1), (30, 2)]), Some(30.0));
        assert_eq!(median(&[(40, 1), (5, 1), (20, 1), (10, 1)]), Some(10.0));
    }
}
