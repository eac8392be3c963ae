//! The string catalogue: every sentence a page shows, from `content/en/strings.toml`.

use std::collections::HashMap;
use std::sync::OnceLock;

const ENGLISH: &str = include_str!("../../../content/en/strings.toml");

/// One language's sentences, looked up by `section.key`.
pub struct Strings {
    entries: HashMap<String, String>,
}

impl Strings {
    /// The English catalogue, parsed once. It is checked by tests, so a parse failure here
    /// can only come from a build that skipped them.
    pub fn english() -> &'static Strings {
        static ENGLISH_STRINGS: OnceLock<Strings> = OnceLock::new();
        ENGLISH_STRINGS.get_or_init(|| {
            Strings::parse(ENGLISH).unwrap_or_else(|e| panic!("content/en/strings.toml: {e}"))
        })
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
        let mut entries = HashMap::new();
        for (section, values) in table {
            let values = values
                .as_table()
                .ok_or_else(|| format!("[{section}] must be a table"))?;
            for (key, value) in values {
                let value = value
                    .as_str()
                    .ok_or_else(|| format!("{section}.{key} must be a string"))?;
                entries.insert(format!("{section}.{key}"), value.to_owned());
            }
        }
        Ok(Self { entries })
    }

    /// The sentence for `key`; a missing key shows itself, which the tests forbid.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.entries.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The sentence for `key` with `{slot}`s filled in. The result is escaped by the template.
    pub fn fill(&self, key: &str, slots: &[(&str, &str)]) -> String {
        let mut text = self.t(key).to_owned();
        for (slot, value) in slots {
            text = text.replace(&format!("{{{slot}}}"), value);
        }
        text
    }

    /// [`Strings::fill`] less the sentence's ` ({slot})` aside, for a page that already says
    /// what it would: the journey page, whose heading names the breach's kind, lists what
    /// waits in each area without repeating that kind on every line.
    pub fn fill_without(&self, key: &str, aside: &str, slots: &[(&str, &str)]) -> String {
        let mut text = self.t(key).replace(&format!(" ({{{aside}}})"), "");
        for (slot, value) in slots {
            text = text.replace(&format!("{{{slot}}}"), value);
        }
        text
    }

    /// The sentence for `key` with its one slot filled in.
    pub fn with(&self, key: &str, slot: &str, value: &str) -> String {
        self.fill(key, &[(slot, value)])
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }
}

/// Marks a catalogue key written in Rust code, so that the catalogue test finds it.
#[macro_export]
macro_rules! key {
    ($key:literal) => {
        $key
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::path::Path;

    /// Every `t("...")`, `fill("...")` and `key = "..."` in templates and sources.
    fn used_keys() -> HashSet<String> {
        let mut used = HashSet::new();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut stack = vec![root.join("templates"), root.join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                // This file's own examples are not real keys.
                if path.ends_with("strings.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for marker in ["t(\"", "fill(\"", "with(\"", "key!(\""] {
                    for part in text.split(marker).skip(1) {
                        if let Some(end) = part.find('"') {
                            used.insert(part[..end].to_owned());
                        }
                    }
                }
            }
        }
        used
    }

    #[test]
    fn the_catalogue_parses() {
        assert!(Strings::parse(ENGLISH).is_ok());
        assert_eq!(Strings::english().t("app.name"), "Mend");
    }

    #[test]
    fn every_key_used_exists_and_every_key_is_used() {
        let strings = Strings::english();
        let used = used_keys();
        let missing: Vec<_> = used
            .iter()
            .filter(|k| k.contains('.') && !k.contains(' '))
            .filter(|k| !strings.entries.contains_key(k.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "keys used but not in the catalogue: {missing:?}"
        );
        let unused: Vec<_> = strings.keys().filter(|k| !used.contains(*k)).collect();
        assert!(unused.is_empty(), "catalogue keys no page uses: {unused:?}");
    }

    #[test]
    fn slots_are_filled() {
        let strings = Strings::parse("[a]\nb = \"Hello {name}, {name}\"\n").unwrap();
        assert_eq!(strings.fill("a.b", &[("name", "Sam")]), "Hello Sam, Sam");
    }
}
