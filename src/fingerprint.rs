//! A fingerprint of content, for the caches that let a build skip work it already did.

/// FNV-1a, 64 bits: stable across runs, platforms and compiler versions, unlike `std`'s hasher.
pub struct Fingerprint(u64);

impl Default for Fingerprint {
    /// A fingerprint of this version of brief, to which fields are added.
    fn default() -> Fingerprint {
        let mut fingerprint = Fingerprint(0xcbf2_9ce4_8422_2325);
        fingerprint.add(env!("CARGO_PKG_VERSION"));
        fingerprint
    }
}

impl Fingerprint {
    /// Adds one field; fields are separated so that ("ab", "c") and ("a", "bc") differ.
    pub fn add(&mut self, part: &str) {
        self.add_bytes(part.as_bytes());
    }

    pub fn add_bytes(&mut self, part: &[u8]) {
        for &byte in part.iter().chain(&[0xff]) {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    pub fn finish(&self) -> String {
        format!("{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_separate_fields_and_are_stable() {
        let of = |parts: &[&str]| {
            let mut f = Fingerprint::default();
            parts.iter().for_each(|p| f.add(p));
            f.finish()
        };
        assert_ne!(of(&["ab", "c"]), of(&["a", "bc"]));
        assert_eq!(of(&["x"]), of(&["x"]));
        assert_eq!(of(&["x"]).len(), 16);
    }
}
