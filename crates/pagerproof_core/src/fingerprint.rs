//! Stable fingerprints: FNV-1a over the rule, the path, the subject and the normalised
//! text of the site. Never the line number, so a finding keeps its fingerprint when
//! unrelated lines are added above it, and the output of this hasher never depends on
//! the Rust release (unlike `std`'s `DefaultHasher`).

/// 64-bit FNV-1a, the same on every platform and release.
#[derive(Clone, Copy)]
pub struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// Writes a field and a separator that cannot occur in it, so ("ab","c") != ("a","bc").
    pub fn field(&mut self, s: &str) {
        self.write(s.as_bytes());
        self.write(&[0xff]);
    }

    pub fn finish(self) -> u64 {
        self.0
    }
}

/// Collapses runs of whitespace, so re-indenting a line keeps its fingerprint.
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The fingerprint of a finding. `occurrence` tells apart identical sites in one file
/// (0 for the first, in line order).
pub fn fingerprint(
    rule: &str,
    path: &str,
    subject: &str,
    site_text: &str,
    occurrence: u32,
) -> String {
    let mut h = Fnv64::default();
    h.field(rule);
    h.field(path);
    h.field(subject);
    h.field(&normalise(site_text));
    if occurrence > 0 {
        h.field(&occurrence.to_string());
    }
    format!("{:016x}", h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_known_value() {
        // Pinned: a change here breaks every user's baseline file.
        assert_eq!(
            fingerprint(
                "http-call-without-timeout",
                "a.py",
                "requests.get",
                "requests.get(url)",
                0
            ),
            fingerprint(
                "http-call-without-timeout",
                "a.py",
                "requests.get",
                "  requests.get(url)  ",
                0
            )
        );
        let mut h = Fnv64::default();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn fields_do_not_run_together() {
        assert_ne!(
            fingerprint("ab", "c", "", "", 0),
            fingerprint("a", "bc", "", "", 0)
        );
        assert_ne!(
            fingerprint("r", "p", "s", "t", 0),
            fingerprint("r", "p", "s", "t", 1)
        );
    }
}
