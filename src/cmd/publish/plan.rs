//! The plan of a publish: what differs between the manifest that is live (or was last
//! published) and the manifest of the site just built, judged by SHA-256 alone.

use std::collections::BTreeMap;

/// Path → hex SHA-256, as `SHA256SUMS` holds it.
pub type Sums = BTreeMap<String, String>;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

impl Plan {
    /// From the live manifest `old` to the built one `new`; every list is in path order.
    pub fn diff(old: &Sums, new: &Sums) -> Plan {
        let mut plan = Plan::default();
        for (path, hex) in new {
            match old.get(path) {
                None => plan.added.push(path.clone()),
                Some(live) if live != hex => plan.changed.push(path.clone()),
                Some(_) => plan.unchanged += 1,
            }
        }
        plan.removed = old
            .keys()
            .filter(|path| !new.contains_key(*path))
            .cloned()
            .collect();
        plan
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// The files to send: the added and the changed ones, in path order.
    pub fn uploads(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self
            .added
            .iter()
            .chain(&self.changed)
            .map(String::as_str)
            .collect();
        paths.sort_unstable();
        paths
    }

    /// One line of counts, in Chinese with the English gloss.
    pub fn counts(&self) -> String {
        let (a, c, r, u) = (
            self.added.len(),
            self.changed.len(),
            self.removed.len(),
            self.unchanged,
        );
        format!("新增 {a}、改动 {c}、删除 {r}、不变 {u} 个文件 ({a} added, {c} changed, {r} removed, {u} unchanged)")
    }

    /// Every path with its mark (`+` added, `*` changed, `-` removed), for a dry run.
    pub fn listing(&self) -> String {
        let mut text = String::new();
        for (mark, paths) in [
            ('+', &self.added),
            ('*', &self.changed),
            ('-', &self.removed),
        ] {
            for path in paths {
                text.push_str(&format!("{mark} {path}\n"));
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sums(entries: &[(&str, &str)]) -> Sums {
        entries
            .iter()
            .map(|(p, h)| (p.to_string(), h.to_string()))
            .collect()
    }

    #[test]
    fn added_changed_removed_and_unchanged_by_digest() {
        let live = sums(&[("a.html", "1"), ("b.html", "2"), ("gone.csv", "3")]);
        let built = sums(&[("a.html", "1"), ("b.html", "9"), ("new/c.html", "4")]);
        let plan = Plan::diff(&live, &built);
        assert_eq!(plan.added, ["new/c.html"]);
        assert_eq!(plan.changed, ["b.html"]);
        assert_eq!(plan.removed, ["gone.csv"]);
        assert_eq!(plan.unchanged, 1);
        assert_eq!(plan.uploads(), ["b.html", "new/c.html"]);
        assert_eq!(plan.listing(), "+ new/c.html\n* b.html\n- gone.csv\n");
        assert!(!plan.is_empty());
    }

    #[test]
    fn the_first_publish_adds_everything_and_the_same_site_changes_nothing() {
        let built = sums(&[("a.html", "1"), ("b.html", "2")]);
        let first = Plan::diff(&Sums::new(), &built);
        assert_eq!(first.added.len(), 2);
        assert!(first.changed.is_empty() && first.removed.is_empty());
        let again = Plan::diff(&built, &built);
        assert!(again.is_empty());
        assert_eq!(again.unchanged, 2);
    }
}
