//! Text helpers shared by every stage: numbers as published, escaping, encoding.

/// Numbers as published: at most two decimals, no trailing zeros (`35.6`, `28`, `85.25`).
pub fn format_number(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_formatted_as_published() {
        assert_eq!(format_number(35.6), "35.6");
        assert_eq!(format_number(28.0), "28");
        assert_eq!(format_number(85.25), "85.25");
        assert_eq!(format_number(-0.0001), "0");
    }
}
